import { PrintableStrings } from './printable-strings';

const utf16 = (text: string) => Buffer.from(text, 'utf16le');
function strings(chunks: Buffer[], minLength = 6, maxChars = 1 << 20): { text: string; truncated: boolean } {
  const scan = new PrintableStrings({ minLength, maxChars });
  for (const chunk of chunks) if (!scan.push(chunk)) break;
  return { text: scan.finish(), truncated: scan.truncated };
}

describe('PrintableStrings', () => {
  it('finds ASCII runs of at least the minimum length, then UTF-16LE ones, one per line', () => {
    const data = Buffer.concat([
      Buffer.from('MZ\x90\x00'),
      Buffer.from('This program\x01'),
      utf16('kernel32.dll'),
      Buffer.from('\xff\xfeshort\x00', 'latin1'),
      Buffer.from('GetProcAddress'),
    ]);
    expect(strings([data])).toEqual({ text: 'This program\nGetProcAddress\nkernel32.dll', truncated: false });
  });

  it('finds UTF-16LE strings at odd offsets too', () => {
    const data = Buffer.concat([Buffer.from([0x01]), utf16('odd offset'), Buffer.from([0x01, 0x02]), utf16('even!!')]);
    expect(strings([data]).text).toBe('odd offset\neven!!');
  });

  it('gives the same answer whatever the chunking, strings crossing chunk boundaries included', () => {
    const data = Buffer.concat([Buffer.from('\x00abcdefgh\x01'), utf16('wide string'), Buffer.from('\x02tail-string')]);
    const whole = strings([data]);
    for (const size of [1, 2, 3, 5, 7]) {
      const chunks: Buffer[] = [];
      for (let n = 0; n < data.length; n += size) chunks.push(data.subarray(n, n + size));
      expect(strings(chunks)).toEqual(whole);
    }
    expect(whole.text).toBe('abcdefgh\ntail-string\nwide string');
  });

  it('honours the minimum length (Assemblyline `len`)', () => {
    const data = Buffer.from('ab\x00abcd\x00abcdef\x00');
    expect(strings([data], 4).text).toBe('abcd\nabcdef');
    expect(strings([data], 7).text).toBe('');
  });

  it('stops when the next string would pass the output cap, keeping what fitted', () => {
    const data = Buffer.from('aaaaaa\x00bbbbbb\x00cccccc\x00');
    // 6 + (1 + 6) = 13 characters fit in 15; the third string would need 7 more.
    expect(strings([data], 6, 15)).toEqual({ text: 'aaaaaa\nbbbbbb', truncated: true });
  });

  it('stops on a single run longer than the cap instead of holding it', () => {
    const scan = new PrintableStrings({ minLength: 6, maxChars: 100 });
    expect(scan.push(Buffer.alloc(1000, 0x41))).toBe(false);
    expect(scan.finish()).toBe('');
    expect(scan.truncated).toBe(true);
  });

  it('answers each string once, where it was first found, as Assemblyline de-duplicates them', () => {
    const data = Buffer.concat([Buffer.from('repeated\x00other-one\x00repeated\x01'), utf16('repeated'), Buffer.from([1, 1]), utf16('wide-one'), Buffer.from('\x01wide-one\x00')]);
    expect(strings([data])).toEqual({ text: 'repeated\nother-one\nwide-one', truncated: false });
  });

  it('answers an empty string for a file without strings', () => {
    expect(strings([Buffer.from([0, 1, 2, 3, 0xff])])).toEqual({ text: '', truncated: false });
  });
});
