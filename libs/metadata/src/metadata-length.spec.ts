import { InvalidMetadata } from './metadata-errors';
import { enforceMetadataLength, metadataValueLength } from './metadata-length';

describe('enforceMetadataLength', () => {
  it('keeps values up to the maximum, counting characters rather than UTF-16 units', () => {
    expect(metadataValueLength('😀😀')).toBe(2);
    expect(metadataValueLength(12345)).toBe(5);
    expect(metadataValueLength(['ab'])).toBe(6);
    const { metadata, stripped } = enforceMetadataLength({ a: 'xxxx', b: '😀😀😀😀' }, 4, 'reject');
    expect(metadata).toEqual({ a: 'xxxx', b: '😀😀😀😀' });
    expect(stripped).toEqual([]);
  });

  it('rejects a longer value with a message naming the key', () => {
    expect(() => enforceMetadataLength({ ok: 'x', long: 'xxxxx' }, 4, 'reject')).toThrow(
      new InvalidMetadata("Metadata field 'long' is too long (5 > 4 characters)", 'too_long', 'long'),
    );
  });

  it('strips longer values instead when asked, as Assemblyline\'s ingester does', () => {
    const { metadata, stripped } = enforceMetadataLength({ ok: 'x', long: 'xxxxx', list: ['aaaa'] }, 4, 'strip');
    expect(metadata).toEqual({ ok: 'x' });
    expect(stripped).toEqual(['long', 'list']);
  });
});
