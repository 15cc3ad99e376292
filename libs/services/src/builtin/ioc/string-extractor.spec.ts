import { type ExtractedString, StringExtractor, type StringExtractorOptions } from './string-extractor';

function extract(data: Buffer, chunkSizes: readonly number[] = [data.length || 1], options: StringExtractorOptions = {}): ExtractedString[] {
  const found: ExtractedString[] = [];
  const extractor = new StringExtractor((string) => found.push(string), options);
  for (let at = 0, turn = 0; at < data.length; turn++) {
    const size = chunkSizes[turn % chunkSizes.length]!;
    extractor.update(data.subarray(at, at + size));
    at += size;
  }
  extractor.finish();
  return found;
}

const texts = (found: ExtractedString[], channel?: string) => found.filter((s) => !channel || s.channel === channel).map((s) => s.text);

describe('StringExtractor', () => {
  it('extracts ASCII runs of at least the minimum length, ended by control and high bytes', () => {
    const data = Buffer.concat([Buffer.from('abc\x00abcd\nhello world\x01'), Buffer.from([0xff]), Buffer.from('tail')]);
    expect(texts(extract(data), 'narrow')).toEqual(['abcd', 'hello world', 'tail']);
  });

  it('keeps well-formed UTF-8 sequences in narrow strings and ends a string at a broken one', () => {
    const data = Buffer.concat([Buffer.from('http://пример.рф/ok'), Buffer.from([0x00]), Buffer.from('abcd'), Buffer.from([0xe2, 0x41]), Buffer.from('efgh')]);
    expect(texts(extract(data), 'narrow')).toEqual(['http://пример.рф/ok', 'abcd', 'Aefgh']);
  });

  it('extracts UTF-16LE strings at even and at odd offsets', () => {
    const data = Buffer.concat([Buffer.from('even string', 'utf16le'), Buffer.from([0xff, 0xfe, 0x01]), Buffer.from('odd string', 'utf16le'), Buffer.from([0xff, 0xff])]);
    const found = extract(data);
    expect(texts(found, 'wide-even')).toEqual(['even string']);
    expect(texts(found, 'wide-odd')).toEqual(['odd string']);
    expect(texts(found, 'narrow')).toEqual([]);
  });

  it('gives the same strings whatever the chunking, straddling strings included', () => {
    const data = Buffer.concat([
      Buffer.from('first ascii string'),
      Buffer.from([1]), // not 0: "g\0" would be a wide unit that starts the next string
      Buffer.from('wide across chunks', 'utf16le'),
      Buffer.from([0x90]),
      Buffer.from('a UTF-8 ✓ string'),
      Buffer.from([0x07, 0x07, 0x07]),
      Buffer.from('odd wide', 'utf16le'),
    ]);
    const whole = extract(data);
    expect(whole.map((s) => s.text).sort()).toEqual(['a UTF-8 ✓ string', 'first ascii string', 'odd wide', 'wide across chunks']);
    for (const sizes of [[1], [2], [3, 5], [7, 1, 4]]) expect(extract(data, sizes)).toEqual(whole);
  });

  it('hands a run longer than the window on in overlapping windows, marking the later ones continued', () => {
    const line = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' '); // one long run
    const found = extract(Buffer.from(line), [1], { windowLength: 32, overlapLength: 8 });
    expect(found.length).toBeGreaterThan(3);
    expect(found.every((s) => s.text.length <= 32)).toBe(true);
    expect(found[0]!.continued).toBe(false);
    expect(found.slice(1).every((s) => s.continued)).toBe(true);
    // Each window starts with the last 8 characters of the one before, and together they are the run.
    for (let i = 1; i < found.length; i++) expect(found[i]!.text.startsWith(found[i - 1]!.text.slice(-8))).toBe(true);
    expect(found[0]!.text + found.slice(1).map((s) => s.text.slice(8)).join('')).toBe(line);
  });

  it('does not split a UTF-8 character between windows', () => {
    const line = 'ab' + 'é'.repeat(40);
    const found = extract(Buffer.from(line), [1], { windowLength: 16, overlapLength: 5 });
    expect(found.every((s) => !s.text.includes('\ufffd'))).toBe(true);
  });
});
