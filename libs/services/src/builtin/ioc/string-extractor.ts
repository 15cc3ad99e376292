import { RunBuffer } from './run-buffer';

/** Where a string came from: byte strings, or UTF-16LE at even or odd offsets (each its own sequence). */
export type StringChannel = 'narrow' | 'wide-even' | 'wide-odd';

export interface ExtractedString {
  text: string;
  channel: StringChannel;
  /**
   * True when this text is a later window of a run longer than the window: it starts with the end of the
   * previous window, so what begins at its very first character may be cut off on the left.
   */
  continued: boolean;
}

export interface StringExtractorOptions {
  /** Shortest string reported, in bytes (narrow) or code units (wide). */
  minLength?: number;
  /** Longest text handed on at once; longer runs come in overlapping windows of this size. */
  windowLength?: number;
  /** How much of a window is repeated at the start of the next. */
  overlapLength?: number;
}

/** Four characters is the shortest useful IOC (a domain such as t.co). */
export const DEFAULT_MIN_STRING_LENGTH = 4;
export const DEFAULT_WINDOW_LENGTH = 64 * 1024;
/** A whole tag value (4096) plus room for the context the matchers look at before a match. */
export const DEFAULT_OVERLAP_LENGTH = 4096 + 64;

/** Bytes that make up narrow strings and the low byte of wide ones: printable ASCII and tab. */
const STRING_BYTE = Uint8Array.from({ length: 256 }, (_, byte) => ((byte >= 0x20 && byte <= 0x7e) || byte === 0x09 ? 1 : 0));

/** What a byte is to the narrow string reader. */
const OTHER = 0;
const PRINTABLE = 1;
const CONTINUATION = 2;
/** UTF-8 lead bytes: LEAD_OF_2 + n - 1 announces n continuation bytes. */
const LEAD_OF_2 = 3;
const BYTE_KIND = Uint8Array.from({ length: 256 }, (_, byte) => {
  if (STRING_BYTE[byte] === 1) return PRINTABLE;
  if (byte >= 0x80 && byte <= 0xbf) return CONTINUATION;
  if (byte >= 0xc2 && byte <= 0xdf) return LEAD_OF_2;
  if (byte >= 0xe0 && byte <= 0xef) return LEAD_OF_2 + 1;
  if (byte >= 0xf0 && byte <= 0xf4) return LEAD_OF_2 + 2;
  return OTHER;
});

/**
 * Extracts strings from a byte stream fed in chunks of any size, like `strings` run twice (`-e S` and
 * `-e l`) in one pass:
 * - narrow strings: runs of printable ASCII and well-formed UTF-8 multi-byte sequences (lead byte, then
 *   the right number of continuation bytes; overlong forms are not checked, they decode to U+FFFD);
 * - wide strings: runs of UTF-16LE code units whose low byte is printable ASCII and high byte zero,
 *   followed at both alignments, since a string inside a binary may start at an odd offset.
 * State is carried across chunks, so a string straddling a chunk boundary comes out whole. Memory is
 * three fixed buffers (see RunBuffer), whatever the input.
 */
export class StringExtractor {
  private readonly narrow: RunBuffer;
  private readonly minLength: number;
  private readonly wide: [RunBuffer, RunBuffer];
  /** Absolute offset of the next byte. */
  private offset = 0;
  private previous = -1;
  /** The UTF-8 sequence being read: its bytes so far and how many continuation bytes are still due. */
  private readonly sequence = new Uint8Array(4);
  private sequenceLength = 0;
  private continuationsDue = 0;
  /** Per alignment: offset of the zero byte of the last wide code unit. */
  private readonly wideEnd = [-2, -2];

  constructor(
    onString: (string: ExtractedString) => void,
    options: StringExtractorOptions = {},
  ) {
    const min = options.minLength ?? DEFAULT_MIN_STRING_LENGTH;
    this.minLength = min;
    const window = options.windowLength ?? DEFAULT_WINDOW_LENGTH;
    const overlap = options.overlapLength ?? Math.min(DEFAULT_OVERLAP_LENGTH, window >> 1);
    const sink = (channel: StringChannel) => (text: string, continued: boolean) => onString({ text, channel, continued });
    this.narrow = new RunBuffer(window, overlap, min, 'utf8', sink('narrow'));
    this.wide = [new RunBuffer(window, overlap, min, 'latin1', sink('wide-even')), new RunBuffer(window, overlap, min, 'latin1', sink('wide-odd'))];
  }

  update(bytes: Uint8Array): void {
    this.updateNarrow(bytes);
    this.updateWide(bytes);
    this.previous = bytes.length > 0 ? bytes[bytes.length - 1]! : this.previous;
    this.offset += bytes.length;
  }

  /** Emits the strings still open; call once, after the last update. */
  finish(): void {
    this.narrow.end();
    this.wide[0].end();
    this.wide[1].end();
  }

  /**
   * Narrow strings. Runs of printable bytes are appended as a whole once they end (short ones that cannot
   * make a string on their own are skipped); other bytes are classified through a table. This loop runs
   * once per byte of the file, hence the locals.
   */
  private updateNarrow(bytes: Uint8Array): void {
    const narrow = this.narrow;
    const sequence = this.sequence;
    const min = this.minLength;
    const length = bytes.length;
    let due = this.continuationsDue;
    let sequenceLength = this.sequenceLength;
    let runStart = -1;
    for (let i = 0; i < length; i++) {
      const byte = bytes[i]!;
      const kind = BYTE_KIND[byte]!;
      if (due > 0) {
        if (kind === CONTINUATION) {
          sequence[sequenceLength++] = byte;
          if (--due === 0) narrow.pushAll(sequence, sequenceLength);
          continue;
        }
        // A broken sequence ends the string; this byte is looked at afresh.
        due = 0;
        narrow.end();
      }
      if (kind === PRINTABLE) {
        if (runStart < 0) runStart = i;
        continue;
      }
      const lead = kind >= LEAD_OF_2;
      if (runStart >= 0) {
        if (lead || !narrow.isEmpty() || i - runStart >= min) narrow.append(bytes, runStart, i);
        runStart = -1;
      }
      if (lead) {
        sequence[0] = byte;
        sequenceLength = 1;
        due = kind - LEAD_OF_2 + 1;
      } else {
        narrow.end();
      }
    }
    if (runStart >= 0) narrow.append(bytes, runStart, length);
    this.continuationsDue = due;
    this.sequenceLength = sequenceLength;
  }

  /** Wide strings: every code unit ends in a zero byte, so only zero bytes (found natively) need a look. */
  private updateWide(bytes: Uint8Array): void {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let zero = buffer.indexOf(0); zero !== -1; zero = buffer.indexOf(0, zero + 1)) {
      const low = zero > 0 ? buffer[zero - 1]! : this.previous;
      if (low >= 0 && STRING_BYTE[low] === 1) this.wideUnit(this.offset + zero, low);
    }
  }

  /** A wide code unit (`low`, 0) whose zero byte is at `end`. */
  private wideUnit(end: number, low: number): void {
    const alignment = (end - 1) % 2;
    const run = this.wide[alignment]!;
    // Not adjacent to the last unit of this alignment: that run ended earlier.
    if (this.wideEnd[alignment] !== end - 2) run.end();
    run.push(low);
    this.wideEnd[alignment] = end;
  }
}
