import { randomBytes } from 'node:crypto';
import { parseServiceManifest } from '../../contract/manifest-schema';
import { acceptsFileType } from '../../contract/service-selection';
import { parseServiceResult, resultScore } from '../../contract/service-result';
import { InMemoryContext } from '../../testing/in-memory-context';
import { CHARACTERIZE_MANIFEST, CharacterizeService } from './characterize-service';
import { ChunkedTestContext } from './chunked-test-context';

const service = new CharacterizeService();

async function characterize(context: InMemoryContext) {
  const result = parseServiceResult('Characterize', await service.execute(context));
  expect(result.sections).toHaveLength(1);
  const section = result.sections[0]!;
  expect(section.title).toBe('File characteristics');
  expect(section.body_format).toBe('KEY_VALUE');
  return { result, section, values: JSON.parse(section.body!) as Record<string, string | number | boolean> };
}

describe('CharacterizeService', () => {
  it('has a valid manifest that takes every type but empty', () => {
    expect(parseServiceManifest(CHARACTERIZE_MANIFEST)).toEqual(CHARACTERIZE_MANIFEST);
    expect(CHARACTERIZE_MANIFEST).toMatchObject({ name: 'Characterize', version: '1.0.0', category: 'Static Analysis', stage: 'CORE', timeout_seconds: 60 });
    expect(acceptsFileType(CHARACTERIZE_MANIFEST, 'executable/windows/pe32')).toBe(true);
    expect(acceptsFileType(CHARACTERIZE_MANIFEST, 'empty')).toBe(false);
  });

  it('gives entropy 0 for an all-zero file, with zero ratio 1 and no heuristic', async () => {
    const { result, values } = await characterize(InMemoryContext.forFile(Buffer.alloc(10_000), { type: 'unknown' }));
    expect(values).toMatchObject({ size: 10_000, entropy: 0, zero_ratio: 1, printable_ratio: 0, entropy_block_max: 0 });
    expect(resultScore(result)).toBe(0);
  });

  it('gives entropy of at least 7.9 for random data and flags it as high entropy in unknown binary data', async () => {
    const data = randomBytes(128 * 1024);
    const { result, section, values } = await characterize(InMemoryContext.forFile(data, { type: 'application/octet-stream' }));
    expect(values.entropy).toBeGreaterThanOrEqual(7.9);
    expect(values.entropy_blocks).toBe(2);
    expect(values.entropy_block_min).toBeGreaterThan(7.9);
    expect(section.heuristic).toMatchObject({ heur_id: 'CHAR.1', name: 'High entropy' });
    expect(resultScore(result)).toBeGreaterThan(0);
  });

  it('does not flag high entropy in a zip archive, nor in a file under 4 KiB', async () => {
    const zip = await characterize(InMemoryContext.forFile(randomBytes(64 * 1024), { type: 'archive/zip' }));
    expect(zip.values.entropy).toBeGreaterThanOrEqual(7.5);
    expect(zip.section.heuristic).toBeNull();
    const small = await characterize(InMemoryContext.forFile(randomBytes(2048), { type: 'application/octet-stream' }));
    expect(small.section.heuristic).toBeNull();
  });

  it('reports printable and zero byte ratios and the file type', async () => {
    const data = Buffer.concat([Buffer.from('hello\r\n\tworld!!\x01'), Buffer.alloc(4)]); // 15 printable (CR, LF, tab included), 1 control, 4 zero
    const { values } = await characterize(InMemoryContext.forFile(data, { type: 'text/plain' }));
    expect(values.file_type).toBe('text/plain');
    expect(values.size).toBe(20);
    expect(values.printable_ratio).toBeCloseTo(15 / 20, 4);
    expect(values.zero_ratio).toBeCloseTo(4 / 20, 4);
  });

  it('counts ASCII and UTF-16LE strings and the longest one', async () => {
    const data = Buffer.concat([
      Buffer.from('This program cannot be run in DOS mode.'), // 39 chars
      Buffer.from([0, 0x90, 0x90]),
      Buffer.from('short'),
      Buffer.from([0xff]),
      Buffer.from('LoadLibraryA'),
      Buffer.from([0, 0]),
      Buffer.from('C:\\Windows\\System32', 'utf16le'),
      Buffer.from([0, 0xff, 0xee]),
      Buffer.from('wide!!', 'utf16le'),
    ]);
    const { values } = await characterize(InMemoryContext.forFile(data));
    expect(values).toMatchObject({ ascii_strings: 2, utf16le_strings: 2, longest_string: 39 });
  });

  it('gives the same result however the stream is chunked', async () => {
    const data = Buffer.concat([randomBytes(70_000), Buffer.from('some text here '.repeat(500)), Buffer.from('wide text', 'utf16le'), Buffer.alloc(9000)]);
    const expected = await characterize(InMemoryContext.forFile(data, { type: 'unknown' }));
    for (const sizes of [[1, 2, 3], [4093], [65_537, 7]]) {
      const chunked = await characterize(ChunkedTestContext.chunked(data, sizes, { type: 'unknown' }));
      expect(chunked.result).toEqual(expected.result);
    }
  });

  it('stops after max_bytes and says so', async () => {
    const data = Buffer.concat([Buffer.alloc(5000), randomBytes(5000)]);
    const { values } = await characterize(ChunkedTestContext.chunked(data, [333], { params: { max_bytes: 5000 } }));
    expect(values).toMatchObject({ size: 10_000, analysed_bytes: 5000, truncated: true, entropy: 0 });
  });

  it('stops when aborted', async () => {
    const context = InMemoryContext.forFile(randomBytes(1024));
    context.abort('timed out');
    await expect(service.execute(context)).rejects.toThrow('timed out');
  });
});
