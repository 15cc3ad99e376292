import { BadRequestException } from '@nestjs/common';
import { safeBasename, safeName, submittedBasename, submittedName } from './safe-filename';

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

  it.each(['dir/', '/', '\u0001\u0002', '   ', '.', '..', 'dir/..', ' .. ', '\u0000.'])('leaves nothing of %j', (input) => {
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

describe('submittedBasename and submittedName', () => {
  const refusal = (name: () => string): string => {
    try {
      name();
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  it('reduce a name as safeBasename and safeName do', () => {
    expect(submittedBasename('C:\\x\\evil.doc')).toBe('evil.doc');
    expect(submittedBasename('..name')).toBe('..name');
    expect(submittedName(' http://host/a.js ', 4096)).toBe('http://host/a.js');
  });

  it.each(['', '.', '..', 'dir/..', 'dir/', '\u0001'])('refuse %j: "Invalid filename"', (name) => {
    expect(refusal(() => submittedBasename(name))).toBe('Invalid filename');
  });

  it('refuse a name over the limit, naming it, instead of cutting it; keep one at the limit', () => {
    expect(submittedBasename('n'.repeat(255))).toHaveLength(255);
    expect(submittedBasename('😀'.repeat(255))).toBe('😀'.repeat(255));
    expect(refusal(() => submittedBasename('n'.repeat(256)))).toBe('Invalid filename: a file name may be at most 255 characters (this one has 256)');
    expect(refusal(() => submittedName(`http://h/${'u'.repeat(4096)}`, 4096))).toMatch(/at most 4096 characters/);
  });
});
