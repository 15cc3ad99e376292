import { RunBuffer } from './run-buffer';

function collect(capacity: number, overlap: number, min: number) {
  const out: Array<[string, boolean]> = [];
  const run = new RunBuffer(capacity, overlap, min, 'latin1', (text, continued) => out.push([text, continued]));
  return { run, out };
}

describe('RunBuffer', () => {
  it('emits a run at its end only when it is long enough', () => {
    const { run, out } = collect(16, 4, 4);
    run.append(Buffer.from('abc'), 0, 3);
    run.end();
    run.append(Buffer.from('abcd'), 0, 4);
    run.end();
    run.end();
    expect(out).toEqual([['abcd', false]]);
  });

  it('windows a long run with the given overlap and never holds more than its capacity', () => {
    const { run, out } = collect(8, 3, 2);
    const text = 'abcdefghijklmnop';
    run.append(Buffer.from(text), 0, text.length);
    run.end();
    expect(out).toEqual([
      ['abcdefgh', false],
      ['fghijklm', true],
      ['klmnop', true],
    ]);
  });

  it('refuses an overlap that leaves no room', () => {
    expect(() => new RunBuffer(8, 8, 1, 'latin1', () => undefined)).toThrow(RangeError);
  });
});
