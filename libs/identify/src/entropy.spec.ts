import { randomBytes } from 'node:crypto';
import { EntropyCounter } from './entropy';

/** The counter as it was before the word-wise, four-lane counting: one Float64Array, byte by byte. Results must be identical. */
class ByteByByteEntropy {
  private readonly counts = new Float64Array(256);
  private total = 0;

  update(chunk: Uint8Array): void {
    for (let n = 0; n < chunk.length; n++) this.counts[chunk[n]!]!++;
    this.total += chunk.length;
  }

  value(): number {
    if (this.total === 0) return 0;
    let h = 0;
    for (let b = 0; b < 256; b++) {
      const c = this.counts[b]!;
      if (c === 0) continue;
      const p = c / this.total;
      h -= p * Math.log2(p);
    }
    return h;
  }
}

/** Both counters over the same chunks; the values must be the same number, not merely close. */
function expectSameAsByteByByte(chunks: Uint8Array[]): number {
  const fast = new EntropyCounter();
  const reference = new ByteByByteEntropy();
  for (const chunk of chunks) {
    fast.update(chunk);
    reference.update(chunk);
  }
  expect(fast.value()).toBe(reference.value());
  return fast.value();
}

/** `data` cut at pseudo-random points into chunks of 0 to 3000 bytes, so chunks start at every alignment. */
function cut(data: Buffer, seed: number): Buffer[] {
  const parts: Buffer[] = [];
  let x = seed;
  for (let at = 0; at < data.length; ) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const length = (x >>> 8) % 3001;
    parts.push(data.subarray(at, at + length));
    at += length;
  }
  return parts;
}

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

  it('gives exactly the byte-by-byte results', () => {
    expect(expectSameAsByteByByte([])).toBe(0);
    expect(expectSameAsByteByByte([Buffer.alloc(0), Buffer.alloc(0)])).toBe(0);
    expect(expectSameAsByteByByte([Buffer.alloc(1 << 20, 0xff)])).toBe(0);
    expect(expectSameAsByteByByte([Buffer.alloc(4099, 0)])).toBe(0);
    expectSameAsByteByByte([Buffer.from([7])]);
    expectSameAsByteByByte([Buffer.from('abc'), Buffer.from('abcdefgh'.repeat(20))]);
    const random = randomBytes(3 * 1024 * 1024 + 7);
    expectSameAsByteByByte([random]);
    expectSameAsByteByByte(cut(random, 1));
    // Unaligned starts and ends, and lengths around the word-wise threshold.
    for (let skip = 0; skip < 8; skip++) expectSameAsByteByByte([random.subarray(skip, skip + 63), random.subarray(skip + 100, skip + 100 + 64 + skip)]);
    const text = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(5000));
    expectSameAsByteByByte(cut(text, 2));
    const skewed = Buffer.from(random.map((b) => (b < 200 ? 0 : b & 7)));
    expectSameAsByteByByte(cut(skewed, 3));
    // A view that does not start at its ArrayBuffer's start, nor at a 4-byte boundary.
    const shared = new Uint8Array(random.buffer, random.byteOffset + 3, 100_001);
    expectSameAsByteByByte([shared]);
  });

  it('gives the same value whatever the chunking', () => {
    const data = randomBytes(200_003);
    const whole = new EntropyCounter();
    whole.update(data);
    const parts = new EntropyCounter();
    for (const part of cut(data, 9)) parts.update(part);
    expect(parts.value()).toBe(whole.value());
  });

  it('keeps counting exactly after a value was read midway', () => {
    const data = randomBytes(50_001);
    const counter = new EntropyCounter();
    const reference = new ByteByByteEntropy();
    for (const part of cut(data, 4)) {
      counter.update(part);
      reference.update(part);
      if (part.length % 3 === 0) expect(counter.value()).toBe(reference.value());
    }
    expect(counter.value()).toBe(reference.value());
  });

  it('hands its counts over exactly (fromCounts, counts)', () => {
    const data = randomBytes(100_000);
    const counter = new EntropyCounter();
    counter.update(data);
    const counts = counter.counts();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(data.length);
    expect(counts[data[0]!]).toBe(data.filter((b) => b === data[0]).length);
    expect(EntropyCounter.fromCounts(counts).value()).toBe(counter.value());
    expect(EntropyCounter.fromCounts(new Float64Array(256)).value()).toBe(0);
    expect(() => EntropyCounter.fromCounts(new Float64Array(255))).toThrow(/256 counts/);
    expect(() => EntropyCounter.fromCounts(Array.from({ length: 256 }, () => -1))).toThrow(/invalid count/);
  });
});
