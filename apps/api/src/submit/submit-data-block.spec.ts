import { BadRequestException } from '@nestjs/common';
import { readSubmitDataBlock } from './submit-data-block';

const refusal = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(BadRequestException);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('readSubmitDataBlock', () => {
  it('refuses a JSON request without a data block, but takes an empty one (then the name is missing)', () => {
    expect(refusal(() => readSubmitDataBlock(null, null))).toBe('Missing data block');
    expect(refusal(() => readSubmitDataBlock({}, null))).toBe('Filename missing');
  });

  it("names an upload by the json's name, even empty, else by the bin part's filename", () => {
    expect(readSubmitDataBlock({ name: 'dir/a.exe' }, 'b.bin').name).toBe('a.exe');
    expect(readSubmitDataBlock({}, 'C:\\x\\b.bin').name).toBe('b.bin');
    expect(refusal(() => readSubmitDataBlock({ name: '' }, 'b.bin'))).toBe('Filename missing');
    expect(refusal(() => readSubmitDataBlock({}, ''))).toBe('Filename missing');
  });

  it('ignores sha256 and url in an upload', () => {
    expect(readSubmitDataBlock({ sha256: 'a'.repeat(64), url: 'http://x/y' }, 'f.txt')).toMatchObject({ sha256: null, url: null, name: 'f.txt' });
  });

  it('names a JSON submission by name, else sha256, else a file source input', () => {
    expect(readSubmitDataBlock({ sha256: 'ab'.repeat(32), name: 'n.txt' }, null)).toMatchObject({ name: 'n.txt', sha256: 'ab'.repeat(32) });
    expect(readSubmitDataBlock({ sha256: 'ab'.repeat(32) }, null).name).toBe('ab'.repeat(32));
    expect(readSubmitDataBlock({ lab: 'ticket-1' }, null, 'ticket-1').name).toBe('ticket-1');
  });

  it('names a URL submission by the whole URL, whatever name is given', () => {
    expect(readSubmitDataBlock({ url: 'http://host/dir/file.js?x=1', name: 'other' }, null)).toMatchObject({
      name: 'http://host/dir/file.js?x=1',
      url: 'http://host/dir/file.js?x=1',
    });
  });

  it('takes sha256 over url, as the file loader does', () => {
    expect(readSubmitDataBlock({ sha256: 'cd'.repeat(32), url: 'http://x/y' }, null)).toMatchObject({ sha256: 'cd'.repeat(32), url: null });
  });

  it('refuses names with nothing left, non-string names and non-string sha256/url', () => {
    expect(refusal(() => readSubmitDataBlock({ name: '../' }, null))).toBe('Invalid filename');
    expect(refusal(() => readSubmitDataBlock({ name: 5 }, null))).toBe('Invalid filename');
    expect(refusal(() => readSubmitDataBlock({ sha256: 5 }, null))).toBe('sha256 should be a string');
    expect(refusal(() => readSubmitDataBlock({ url: ['x'] }, null))).toBe('url should be a string');
  });
});
