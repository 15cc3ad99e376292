import { checksumOf } from './checksum';

describe('checksumOf', () => {
  it('tells MD5, SHA-1 and SHA-256 apart by length, in lower case', () => {
    expect(checksumOf('A'.repeat(32))).toEqual({ algorithm: 'md5', value: 'a'.repeat(32) });
    expect(checksumOf(` ${'b'.repeat(40)} `)).toEqual({ algorithm: 'sha1', value: 'b'.repeat(40) });
    expect(checksumOf('0'.repeat(64))).toEqual({ algorithm: 'sha256', value: '0'.repeat(64) });
  });

  it('is null for other lengths and for non-hexadecimal text', () => {
    expect(checksumOf('a'.repeat(33))).toBeNull();
    expect(checksumOf('g'.repeat(32))).toBeNull();
    expect(checksumOf('')).toBeNull();
  });
});
