import { totalFileSize } from './file-size';

describe('totalFileSize', () => {
  it('sums the sizes of every file, counting unknown sizes as 0', () => {
    const sha256 = 'a'.repeat(64);
    expect(totalFileSize([{ sha256, size: 10 }, { sha256, size: 5 }, { sha256, size: null }])).toBe(15);
    expect(totalFileSize([])).toBe(0);
  });
});
