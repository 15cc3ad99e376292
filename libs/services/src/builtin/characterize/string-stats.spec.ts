import { StringStatsCounter } from './string-stats';

function count(data: Buffer, minChars = 6, chunk = data.length) {
  const counter = new StringStatsCounter(minChars);
  for (let at = 0; at < data.length; at += chunk) counter.update(data.subarray(at, at + chunk));
  return counter.finish();
}

describe('StringStatsCounter', () => {
  it('counts ASCII runs of at least the minimum length and the longest run', () => {
    const data = Buffer.concat([
      Buffer.from('abcdef'), // 6: counts
      Buffer.from([0x00]),
      Buffer.from('abcde'), // 5: too short
      Buffer.from([0xff]),
      Buffer.from('0123456789\tx'), // 12 with tab: counts, the longest
      Buffer.from('\n'),
    ]);
    expect(count(data)).toEqual({ ascii: 2, utf16le: 0, longest: 12 });
  });

  it('counts UTF-16LE runs at even and odd offsets', () => {
    const data = Buffer.concat([
      Buffer.from('kernel32', 'utf16le'), // 8 units at offset 0
      Buffer.from([0xff, 0xff, 0x01]), // now at an odd offset
      Buffer.from('GetProcAddress', 'utf16le'), // 14 units
      Buffer.from([0xff, 0xff]),
      Buffer.from('abc', 'utf16le'), // too short
    ]);
    expect(count(data)).toEqual({ ascii: 0, utf16le: 2, longest: 14 });
  });

  it('is independent of chunk boundaries', () => {
    const data = Buffer.concat([
      Buffer.from('straddling ascii string'),
      Buffer.from([0x00, 0x01]),
      Buffer.from('wide straddler', 'utf16le'),
      Buffer.from([0x07]),
      Buffer.from('odd wide one', 'utf16le'),
    ]);
    const expected = count(data);
    expect(expected).toEqual({ ascii: 1, utf16le: 2, longest: 23 });
    for (const chunk of [1, 2, 3, 7]) expect(count(data, 6, chunk)).toEqual(expected);
  });
});
