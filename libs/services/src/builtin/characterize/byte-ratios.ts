export interface ByteRatios {
  /** Share of bytes that are printable ASCII or text whitespace (0x20–0x7E, tab, LF, CR). */
  printable: number;
  /** Share of zero bytes. */
  zero: number;
}

/** The ratios from per-byte-value counts (the entropy counter's), so they cost no second look at the data. */
export function byteRatios(counts: ArrayLike<number>): ByteRatios {
  let total = 0;
  let printable = 0;
  for (let b = 0; b < 256; b++) {
    const c = counts[b] ?? 0;
    total += c;
    if ((b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d) printable += c;
  }
  if (total === 0) return { printable: 0, zero: 0 };
  return { printable: printable / total, zero: (counts[0] ?? 0) / total };
}
