/** Shortest run that counts as a string (the usual `strings -n 6` threshold for statistics). */
export const DEFAULT_MIN_STRING_CHARS = 6;

export interface StringStats {
  /** Runs of at least the minimum length of printable ASCII bytes (0x20–0x7E and tab). */
  ascii: number;
  /** Runs of at least the minimum length of UTF-16LE code units whose low byte is printable ASCII and high byte 0. */
  utf16le: number;
  /** Longest run of either kind, in characters (runs shorter than the minimum included). */
  longest: number;
}

/** Printable ASCII and tab: what `strings` prints. Line breaks end a string. */
export function isStringByte(byte: number): boolean {
  return (byte >= 0x20 && byte <= 0x7e) || byte === 0x09;
}

/** isStringByte as a mask table (-1 for string bytes, 0 otherwise): the counting loop runs once per byte of the file. */
const STRING_BYTE_MASK = Int32Array.from({ length: 256 }, (_, byte) => (isStringByte(byte) ? -1 : 0));

/** Runs are counted up to this length (1 GiB); a longer one counts as this long. */
const MAX_RUN = 2 ** 30;

/**
 * Counts strings in a byte stream fed in chunks of any size; only counters are kept, never the strings.
 *
 * UTF-16LE runs are followed at both byte alignments at once (a string inside a binary need not start at
 * an even offset): a code unit is a printable byte followed by a zero byte, and a run continues while each
 * unit ends exactly two bytes after the previous one of the same alignment. A run is closed when the next
 * unit of its alignment is not adjacent, or at the end.
 */
export class StringStatsCounter {
  private asciiRun = 0;
  private ascii = 0;
  private utf16le = 0;
  private longest = 0;
  /** Absolute offset of the next byte. */
  private offset = 0;
  /** -1 when the previous byte was a string byte, else 0. */
  private previousMask = 0;
  /** Per alignment (offset of a unit's first byte, mod 2): the open run's length and its last zero byte's offset. */
  private readonly wideRun = [0, 0];
  private readonly wideEnd = [-2, -2];

  constructor(private readonly minChars = DEFAULT_MIN_STRING_CHARS) {}

  update(bytes: Uint8Array): void {
    if (bytes.length > MAX_RUN / 2) {
      for (let at = 0; at < bytes.length; at += MAX_RUN / 2) this.update(bytes.subarray(at, at + MAX_RUN / 2));
      return;
    }
    // Fields in locals for the loop; written back at the end.
    const min = this.minChars | 0;
    const base = this.offset;
    const wideRun = this.wideRun;
    const wideEnd = this.wideEnd;
    let run = this.asciiRun;
    let ascii = this.ascii;
    let longest = this.longest;
    let utf16le = this.utf16le;
    let previousMask = this.previousMask;
    for (let i = 0; i < bytes.length; i++) {
      const byte = bytes[i]!;
      const mask = STRING_BYTE_MASK[byte]!;
      // Branch-free, in 32-bit integers, on purpose: in binary data string and other bytes alternate
      // unpredictably. Any other byte closes the run, which counts when it is at least `min` long (the
      // sign bit of min - 1 - run); a string byte extends it.
      ascii = (ascii + (~mask & ((min - 1 - run) >>> 31))) | 0;
      run = ((run + 1) & mask) | 0;
      longest = longest > run ? longest : run;
      if (byte === 0 && previousMask !== 0) {
        const end = base + i;
        const alignment = (end - 1) % 2;
        if (wideEnd[alignment] !== end - 2) {
          const closed = wideRun[alignment]!;
          if (closed >= min) utf16le++;
          if (closed > longest) longest = closed;
          wideRun[alignment] = 0;
        }
        wideRun[alignment]!++;
        wideEnd[alignment] = end;
      }
      previousMask = mask;
    }
    // Saturate so the 32-bit arithmetic above never overflows on a multi-gigabyte run.
    this.asciiRun = Math.min(run, MAX_RUN);
    this.ascii = ascii;
    this.longest = longest;
    this.utf16le = utf16le;
    this.previousMask = previousMask;
    this.offset = base + bytes.length;
  }

  /** The counts, runs still open included; call once, after the last update. */
  finish(): StringStats {
    this.close(this.asciiRun, 'ascii');
    this.asciiRun = 0;
    for (const alignment of [0, 1]) {
      this.close(this.wideRun[alignment]!, 'utf16le');
      this.wideRun[alignment] = 0;
    }
    return { ascii: this.ascii, utf16le: this.utf16le, longest: this.longest };
  }

  private close(run: number, kind: 'ascii' | 'utf16le'): void {
    if (run >= this.minChars) this[kind]++;
    if (run > this.longest) this.longest = run;
  }
}
