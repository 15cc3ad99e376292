import { stripOversizedMetadata } from './strip-metadata';

describe('stripOversizedMetadata', () => {
  it('removes values longer than the maximum, keeps the rest, and names what it removed', () => {
    const out = stripOversizedMetadata({ short: 'abcd', long: 'abcde', count: 12345, list: ['a'] }, 4);
    expect(out.metadata).toEqual({ short: 'abcd' });
    expect(out.stripped).toEqual(['long', 'count', 'list']);
  });

  it('keeps everything within the maximum and never throws', () => {
    expect(stripOversizedMetadata({ a: 'x' }, 4096)).toEqual({ metadata: { a: 'x' }, stripped: [] });
  });
});
