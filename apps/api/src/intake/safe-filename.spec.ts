import { safeBasename, safeName } from './safe-filename';

describe('safeBasename', () => {
  it.each([
    ['sample.exe', 'sample.exe'],
    ['/tmp/upload/sample.exe', 'sample.exe'],
    ['C:\\Users\\x\\evil.doc', 'evil.doc'],
    ['../../etc/passwd', 'passwd'],
    ['  spaced name.txt  ', 'spaced name.txt'],
    ['tab\there\u0000.bin', 'tabhere.bin'],
    ['bell\u0007\u009f.js', 'bell.js'],
    ['lone\uD800surrogate', 'lonesurrogate'],
    ['emoji😀.txt', 'emoji😀.txt'],
  ])('%j → %j', (input, expected) => {
    expect(safeBasename(input)).toBe(expected);
  });

  it.each(['dir/', '/', '\u0001\u0002', '   '])('leaves nothing of %j', (input) => {
    expect(safeBasename(input)).toBe('');
  });

  it('keeps at most 255 characters, never splitting a surrogate pair', () => {
    expect(safeBasename('a'.repeat(300))).toHaveLength(255);
    const name = safeBasename('😀'.repeat(300));
    expect(Array.from(name)).toHaveLength(255);
    expect(name).toBe('😀'.repeat(255));
  });
});

describe('safeName', () => {
  it('keeps the path (a URL stays whole) and removes what is not printable', () => {
    expect(safeName(' http://host/dir/file.js?x=1\u0000 ')).toBe('http://host/dir/file.js?x=1');
    expect(safeName('a/b\\c')).toBe('a/b\\c');
  });

  it('cuts at 255 characters unless told otherwise', () => {
    expect(safeName('u'.repeat(300))).toHaveLength(255);
    expect(safeName('u'.repeat(300), 2048)).toHaveLength(300);
  });
});
