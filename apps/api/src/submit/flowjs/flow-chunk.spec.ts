import { BadRequestException } from '@nestjs/common';
import { flowCacheName, MAX_FLOW_CHUNKS, MissingFlowArguments, readFlowChunk } from './flow-chunk';

const fields = {
  flowChunkNumber: '2',
  flowChunkSize: '1048576',
  flowCurrentChunkSize: '1048576',
  flowTotalSize: '3000000',
  flowIdentifier: '3000000-samplebin',
  flowFilename: 'sample.bin',
  flowRelativePath: 'sample.bin',
  flowTotalChunks: '2',
};

describe('readFlowChunk', () => {
  it('reads what flow.js sends', () => {
    expect(readFlowChunk(fields)).toEqual({
      chunkNumber: 2,
      chunkSize: 1048576,
      currentChunkSize: 1048576,
      totalSize: 3000000,
      totalChunks: 2,
      identifier: '3000000-samplebin',
      filename: 'sample.bin',
    });
  });

  it('answers 412 when a required argument is missing or empty; flowCurrentChunkSize is optional', () => {
    for (const key of ['flowChunkNumber', 'flowChunkSize', 'flowTotalSize', 'flowIdentifier', 'flowFilename', 'flowTotalChunks']) {
      const { [key]: _dropped, ...rest } = fields as Record<string, string>;
      expect(() => readFlowChunk(rest)).toThrow(MissingFlowArguments);
      expect(() => readFlowChunk({ ...fields, [key]: '' })).toThrow(MissingFlowArguments);
    }
    const { flowCurrentChunkSize: _current, ...withoutCurrent } = fields;
    expect(readFlowChunk(withoutCurrent).currentChunkSize).toBeNull();
    expect(new MissingFlowArguments().getStatus()).toBe(412);
  });

  it('refuses numbers that are not integers in range, naming the field', () => {
    expect(() => readFlowChunk({ ...fields, flowChunkNumber: '3' })).toThrow(new BadRequestException('flowChunkNumber must be an integer from 1 to 2'));
    expect(() => readFlowChunk({ ...fields, flowChunkNumber: '0' })).toThrow(BadRequestException);
    expect(() => readFlowChunk({ ...fields, flowTotalSize: '1e6' })).toThrow('flowTotalSize must be an integer');
    expect(() => readFlowChunk({ ...fields, flowChunkSize: '-1' })).toThrow('flowChunkSize must be an integer');
    expect(() => readFlowChunk({ ...fields, flowTotalChunks: String(MAX_FLOW_CHUNKS + 1) })).toThrow(`flowTotalChunks must be an integer from 1 to ${MAX_FLOW_CHUNKS}`);
  });

  it('ignores values that are not single strings (a repeated query parameter) as missing', () => {
    expect(() => readFlowChunk({ ...fields, flowIdentifier: ['a', 'b'] })).toThrow(MissingFlowArguments);
  });
});

describe('flowCacheName', () => {
  it("is Assemblyline's get_cache_name: 36 characters at most, dashes made underscores", () => {
    expect(flowCacheName('c7668cfa-1234-4d5e-8f90-c4132285142e-extra')).toBe('c7668cfa_1234_4d5e_8f90_c4132285142e');
    expect(flowCacheName('3000000-samplebin')).toBe('3000000_samplebin');
  });
});
