import { addByteCounts } from './wasm-byte-counts';

/**
 * Counts go into 32-bit lanes and are folded into the exact totals before any lane could overflow: every
 * count in a lane is at most the bytes counted since the last fold, so folding at 2^31 bytes is always early enough.
 */
const FOLD_EVERY_BYTES = 2 ** 31;
/** Below this, counting byte by byte beats setting up the word view. */
const WORDWISE_FROM_BYTES = 64;
/** From this size a chunk is counted by the WebAssembly counter (addByteCounts), about twice as fast. */
const WASM_FROM_BYTES = 4096;

/**
 * Shannon entropy in bits per byte (0 to 8), accumulated chunk by chunk so it needs only 256 counters,
 * never the file. Assemblyline stores the same figure on its file records.
 *
 * A chunk of some KiB or more is counted in WebAssembly (addByteCounts). A smaller one is counted here, 4 bytes
 * at a time (one aligned 32-bit load) into four interleaved sets of 256 counters, one per byte position,
 * summed when the value is asked for: consecutive equal bytes then increment different counters, so the
 * increments do not wait on one another. The counts, hence the value, are exactly those of counting byte by byte.
 */
export class EntropyCounter {
  /** Exact counts per byte value, up to the last fold. */
  private readonly totals = new Float64Array(256);
  /** Four lanes of 256 counters (lane k at k * 256), counting since the last fold. */
  private readonly lanes = new Uint32Array(1024);
  private unfolded = 0;
  private total = 0;

  /** A counter that has already counted bytes with these per-value counts (256 of them; the hashing thread sends them). */
  static fromCounts(counts: ArrayLike<number>): EntropyCounter {
    if (counts.length !== 256) throw new RangeError(`EntropyCounter.fromCounts: 256 counts expected, not ${counts.length}`);
    const counter = new EntropyCounter();
    for (let b = 0; b < 256; b++) {
      const c = counts[b]!;
      if (!Number.isSafeInteger(c) || c < 0) throw new RangeError(`EntropyCounter.fromCounts: invalid count ${c} for byte ${b}`);
      counter.totals[b] = c;
      counter.total += c;
    }
    return counter;
  }

  update(chunk: Uint8Array): void {
    const length = chunk.length;
    if (length >= WASM_FROM_BYTES) {
      addByteCounts(this.totals, chunk);
      this.total += length;
      return;
    }
    if (length > FOLD_EVERY_BYTES) {
      for (let at = 0; at < length; at += FOLD_EVERY_BYTES) this.update(chunk.subarray(at, at + FOLD_EVERY_BYTES));
      return;
    }
    if (this.unfolded + length > FOLD_EVERY_BYTES) this.fold();
    const lanes = this.lanes;
    let n = 0;
    if (length >= WORDWISE_FROM_BYTES) {
      // Bytes before the first 4-byte boundary, then whole words, then the rest.
      while ((chunk.byteOffset + n) & 3) lanes[chunk[n++]!]!++;
      const words = (length - n) >>> 2;
      const view = new Uint32Array(chunk.buffer, chunk.byteOffset + n, words);
      for (let w = 0; w < words; w++) {
        const x = view[w]!;
        lanes[x & 0xff]!++;
        lanes[256 | ((x >>> 8) & 0xff)]!++;
        lanes[512 | ((x >>> 16) & 0xff)]!++;
        lanes[768 | (x >>> 24)]!++;
      }
      n += words << 2;
    }
    for (; n < length; n++) lanes[chunk[n]!]!++;
    this.unfolded += length;
    this.total += length;
  }

  /** Per byte value, how many times it was counted (a copy). */
  counts(): Float64Array {
    this.fold();
    return this.totals.slice();
  }

  /** 0 for an empty input. */
  value(): number {
    if (this.total === 0) return 0;
    this.fold();
    let h = 0;
    for (let b = 0; b < 256; b++) {
      const c = this.totals[b]!;
      if (c === 0) continue;
      const p = c / this.total;
      h -= p * Math.log2(p);
    }
    return h;
  }

  private fold(): void {
    if (this.unfolded === 0) return;
    const lanes = this.lanes;
    const totals = this.totals;
    for (let b = 0; b < 256; b++) totals[b]! += lanes[b]! + lanes[256 | b]! + lanes[512 | b]! + lanes[768 | b]!;
    lanes.fill(0);
    this.unfolded = 0;
  }
}
