import { EntropyCounter } from './entropy';

describe('EntropyCounter', () => {
  it('is 0 for empty and for a single repeated byte', () => {
    expect(new EntropyCounter().value()).toBe(0);
    const e = new EntropyCounter();
    e.update(Buffer.alloc(1000, 0x41));
    expect(e.value()).toBe(0);
  });

  it('is 8 for a uniform byte distribution and 1 for two equal symbols, whatever the chunking', () => {
    const uniform = new EntropyCounter();
    const all = Buffer.from(Array.from({ length: 256 * 4 }, (_, k) => k & 0xff));
    uniform.update(all.subarray(0, 100));
    uniform.update(all.subarray(100));
    expect(uniform.value()).toBeCloseTo(8, 10);
    const two = new EntropyCounter();
    two.update(Buffer.from('abababab'));
    expect(two.value()).toBeCloseTo(1, 10);
  });
});
