import { LimitExceededError } from './errors';
import type { ExtractLimits } from './extract-options';

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * The limits of one extraction, counted on the bytes actually produced (headers can lie). A file counts
 * against `max_entries` only once stored; a file that fails gives its bytes back, since it is not stored.
 */
export class ExtractBudget {
  private stored = 0;
  private total = 0;

  constructor(readonly limits: ExtractLimits) {}

  get filesStored(): number {
    return this.stored;
  }

  get bytesCounted(): number {
    return this.total;
  }

  /** Throws when one more file would be one too many. */
  admit(name: string): void {
    if (this.stored < this.limits.max_entries) return;
    throw new LimitExceededError(
      'max_entries',
      'archive',
      `max_entries: stopped after ${count(this.stored)} files (limit ${count(this.limits.max_entries)}); ` +
        `${JSON.stringify(name)} and any later entries were not extracted`,
    );
  }

  /** A meter for one entry; `compressedSize` null means the format does not compress per entry (tar). */
  meter(name: string, compressedSize: number | null): EntryMeter {
    return new EntryMeter(this, name, compressedSize);
  }

  /** @internal */ addBytes(bytes: number): number {
    this.total += bytes;
    return this.total;
  }

  /** @internal */ countStored(): void {
    this.stored += 1;
  }
}

export class EntryMeter {
  private produced = 0;

  constructor(
    private readonly budget: ExtractBudget,
    private readonly name: string,
    private readonly compressedSize: number | null,
  ) {}

  get bytes(): number {
    return this.produced;
  }

  /** Counts a chunk before it is passed on; throws if it would break a limit, so it never is. */
  add(bytes: number): void {
    this.produced += bytes;
    const total = this.budget.addBytes(bytes);
    const { max_total_bytes, max_ratio } = this.budget.limits;
    if (total > max_total_bytes) {
      throw new LimitExceededError(
        'max_total_bytes',
        'archive',
        `max_total_bytes: output passed ${count(max_total_bytes)} bytes (${count(total)} counted) while extracting ` +
          `${JSON.stringify(this.name)}; it and any later entries were not extracted`,
      );
    }
    if (this.compressedSize === null) return;
    // A zero compressed size still allows a ratio's worth of bytes rather than dividing by zero.
    const allowed = max_ratio * Math.max(this.compressedSize, 1);
    if (this.produced > allowed) {
      throw new LimitExceededError(
        'max_ratio',
        'entry',
        `max_ratio: ${JSON.stringify(this.name)} expanded past ${count(allowed)} bytes from ${count(this.compressedSize)} ` +
          `compressed bytes (ratio over ${count(max_ratio)}); it was not extracted`,
      );
    }
  }

  /** The file was stored. */
  commit(): void {
    this.budget.countStored();
  }

  /** The file was not stored: its bytes no longer count. */
  discard(): void {
    this.budget.addBytes(-this.produced);
    this.produced = 0;
  }
}
