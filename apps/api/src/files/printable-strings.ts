/** Printable ASCII as Assemblyline's strings route counts it (`[\x20-\x7e]`). */
const isPrintable = (byte: number) => byte >= 0x20 && byte <= 0x7e;

export interface StringsLimits {
  /** Shortest run kept (Assemblyline's `len`, default 6). */
  minLength: number;
  /** Most characters answered, separators included; the scan stops when the next string would not fit. */
  maxChars: number;
}

/**
 * Printable strings of a byte stream, fed chunk by chunk so the file is never held whole: runs of
 * printable ASCII bytes, and runs of UTF-16LE characters whose low byte is printable ASCII and high byte
 * is zero, at either byte alignment (Assemblyline decodes UTF-16 at even offsets only; odd ones hold real
 * strings too). Output as Assemblyline's: the ASCII strings, then the UTF-16 ones, one per line, each string
 * once (where it was first found), so a repeated one costs nothing of the output cap.
 */
export class PrintableStrings {
  private readonly ascii: string[] = [];
  private readonly utf16: string[] = [];
  private readonly seen = new Set<string>();
  private asciiRun: number[] = [];
  /** The UTF-16 run under way at each alignment (pairs starting at even, odd offsets). */
  private readonly utf16Runs: [number[], number[]] = [[], []];
  private previous: number | null = null;
  private offset = 0;
  private used = 0;
  /** Whether the output cap stopped the scan before the end of the input. */
  truncated = false;

  constructor(private readonly limits: StringsLimits) {}

  /** Scans one chunk; false once the output is full (the rest of the input can be dropped). */
  push(chunk: Uint8Array): boolean {
    for (let n = 0; n < chunk.length && !this.truncated; n++, this.offset++) {
      const byte = chunk[n]!;
      if (isPrintable(byte)) this.grow(this.asciiRun, byte);
      else this.asciiRun = this.flush(this.asciiRun, this.ascii);
      if (this.previous !== null) {
        // The pair (previous, byte) starts at offset - 1: its alignment is that offset's parity.
        const alignment = (this.offset - 1) & 1;
        const run = this.utf16Runs[alignment];
        if (byte === 0 && isPrintable(this.previous)) this.grow(run, this.previous);
        else this.utf16Runs[alignment] = this.flush(run, this.utf16);
      }
      this.previous = byte;
    }
    return !this.truncated;
  }

  /** The strings found, ASCII first, one per line (also after a truncated scan: what fitted). */
  finish(): string {
    if (!this.truncated) {
      this.asciiRun = this.flush(this.asciiRun, this.ascii);
      // Both UTF-16 runs end here; the longer one started first.
      const [even, odd] = this.utf16Runs;
      for (const run of even.length >= odd.length ? [even, odd] : [odd, even]) this.flush(run, this.utf16);
    }
    return [...this.ascii, ...this.utf16].join('\n');
  }

  private grow(run: number[], code: number): void {
    // A run longer than what is left of the output can never be answered whole.
    if (run.length >= this.limits.maxChars - this.used) this.truncated = true;
    else run.push(code);
  }

  /** Keeps the run if long enough and if it fits; answers the fresh (empty) run. */
  private flush(run: number[], into: string[]): number[] {
    if (run.length === 0) return run;
    if (run.length >= this.limits.minLength) {
      const text = Buffer.from(run).toString('latin1');
      if (this.seen.has(text)) return [];
      const cost = run.length + (this.ascii.length + this.utf16.length > 0 ? 1 : 0);
      if (this.used + cost > this.limits.maxChars) {
        this.truncated = true;
        return [];
      }
      this.used += cost;
      this.seen.add(text);
      into.push(text);
    }
    return [];
  }
}
