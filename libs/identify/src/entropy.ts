/**
 * Shannon entropy in bits per byte (0 to 8), accumulated chunk by chunk so it needs only 256 counters,
 * never the file. Assemblyline stores the same figure on its file records.
 */
export class EntropyCounter {
  private readonly counts = new Float64Array(256);
  private total = 0;

  update(chunk: Uint8Array): void {
    const counts = this.counts;
    for (let n = 0; n < chunk.length; n++) counts[chunk[n]!]!++;
    this.total += chunk.length;
  }

  /** 0 for an empty input. */
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
