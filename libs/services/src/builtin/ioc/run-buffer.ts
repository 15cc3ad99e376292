/** Receives one string (or one window of a long string) as it is completed. */
export type RunSink = (text: string, continued: boolean) => void;

/**
 * Holds the bytes of one string being extracted, in a fixed buffer. A run longer than the buffer is handed
 * on in windows: each full window is emitted, then its last `overlap` bytes are kept as the start of the
 * next window, so a match of up to `overlap` bytes that straddles two windows is whole in the second one.
 * Memory stays at `capacity` bytes however long the run.
 */
export class RunBuffer {
  private readonly bytes: Buffer;
  private length = 0;
  /** True once a window of this run was emitted: the buffer now starts with overlap, not with the run's start. */
  private continued = false;

  constructor(
    private readonly capacity: number,
    private readonly overlap: number,
    private readonly minLength: number,
    private readonly encoding: 'utf8' | 'latin1',
    private readonly sink: RunSink,
  ) {
    if (!(overlap >= 0 && overlap < capacity && minLength >= 1)) throw new RangeError('RunBuffer: need 0 <= overlap < capacity and minLength >= 1');
    this.bytes = Buffer.alloc(capacity);
  }

  isEmpty(): boolean {
    return this.length === 0;
  }

  push(byte: number): void {
    if (this.length === this.capacity) this.emitWindow();
    this.bytes[this.length++] = byte;
  }

  /** Appends `bytes[start..end)` (a stretch of string bytes found in one go). */
  append(bytes: Uint8Array, start: number, end: number): void {
    // Most stretches in binary data are a few bytes long: copy those directly, no subarray per call.
    if (end - start <= 32 && this.length + (end - start) <= this.capacity) {
      for (let i = start; i < end; i++) this.bytes[this.length++] = bytes[i]!;
      return;
    }
    while (start < end) {
      if (this.length === this.capacity) this.emitWindow();
      const take = Math.min(end - start, this.capacity - this.length);
      this.bytes.set(bytes.subarray(start, start + take), this.length);
      this.length += take;
      start += take;
    }
  }

  /** Appends bytes that must stay together (one UTF-8 character), so no window splits them. */
  pushAll(bytes: Uint8Array, count: number): void {
    if (this.length + count > this.capacity) this.emitWindow();
    for (let i = 0; i < count; i++) this.bytes[this.length++] = bytes[i]!;
  }

  /** Ends the run: emits it when long enough (the rest of a windowed run always is). */
  end(): void {
    if (this.length === 0) return;
    if (this.length >= this.minLength || (this.continued && this.length > 0)) {
      this.sink(this.bytes.toString(this.encoding, 0, this.length), this.continued);
    }
    this.length = 0;
    this.continued = false;
  }

  private emitWindow(): void {
    this.sink(this.bytes.toString(this.encoding, 0, this.length), this.continued);
    let start = this.length - this.overlap;
    // Start the next window on a character, not inside a UTF-8 sequence.
    while (start < this.length && (this.bytes[start]! & 0xc0) === 0x80) start++;
    this.bytes.copyWithin(0, start, this.length);
    this.length -= start;
    this.continued = true;
  }
}
