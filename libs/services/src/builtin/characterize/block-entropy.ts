import { EntropyCounter } from '@hopper/identify';

export const DEFAULT_BLOCK_BYTES = 64 * 1024;
/** The profile is a coarse picture, not a per-block listing: its length stays bounded whatever the file size. */
export const MAX_PROFILE_POINTS = 64;
/**
 * A trailing partial block shorter than this is left out (unless it is the whole input): a few bytes can
 * never show high entropy and would drag the minimum down for nothing.
 */
const MIN_TAIL_BYTES = 4 * 1024;

export interface BlockEntropySummary {
  blockBytes: number;
  /** Blocks measured (full blocks, plus a tail long enough to mean something). */
  blocks: number;
  min: number;
  max: number;
  mean: number;
  /** Mean entropy of consecutive runs of `blocksPerPoint` blocks, in file order (the last may cover fewer). */
  profile: number[];
  blocksPerPoint: number;
}

/**
 * Entropy per fixed-size block, fed in chunks of any size; keeps O(1) state. The profile is downsampled
 * as it grows: when it holds MAX_PROFILE_POINTS points, neighbours are merged pairwise and each point
 * covers twice as many blocks from then on, so the profile has the same shape whatever the chunking.
 */
export class BlockEntropyProfile {
  private block = new EntropyCounter();
  private blockFill = 0;
  private blocks = 0;
  private min = Infinity;
  private max = -Infinity;
  private sum = 0;
  private readonly points: number[] = [];
  private blocksPerPoint = 1;
  private pendingSum = 0;
  private pendingBlocks = 0;

  constructor(private readonly blockBytes = DEFAULT_BLOCK_BYTES) {
    if (!Number.isInteger(blockBytes) || blockBytes < 1) throw new RangeError(`invalid block size ${blockBytes}`);
  }

  update(bytes: Uint8Array): void {
    let at = 0;
    while (at < bytes.length) {
      const take = Math.min(this.blockBytes - this.blockFill, bytes.length - at);
      this.block.update(bytes.subarray(at, at + take));
      this.blockFill += take;
      at += take;
      if (this.blockFill === this.blockBytes) this.closeBlock();
    }
  }

  /** The summary; call once, after the last update. */
  finish(): BlockEntropySummary {
    if (this.blockFill > 0 && (this.blocks === 0 || this.blockFill >= MIN_TAIL_BYTES)) this.closeBlock();
    if (this.pendingBlocks > 0) {
      if (this.points.length === MAX_PROFILE_POINTS) this.mergePoints();
      this.points.push(this.pendingSum / this.pendingBlocks);
      this.pendingSum = 0;
      this.pendingBlocks = 0;
    }
    const measured = this.blocks > 0;
    return {
      blockBytes: this.blockBytes,
      blocks: this.blocks,
      min: measured ? this.min : 0,
      max: measured ? this.max : 0,
      mean: measured ? this.sum / this.blocks : 0,
      profile: [...this.points],
      blocksPerPoint: this.blocksPerPoint,
    };
  }

  private closeBlock(): void {
    const value = this.block.value();
    this.block = new EntropyCounter();
    this.blockFill = 0;
    this.blocks++;
    this.min = Math.min(this.min, value);
    this.max = Math.max(this.max, value);
    this.sum += value;
    this.pendingSum += value;
    this.pendingBlocks++;
    if (this.pendingBlocks === this.blocksPerPoint) {
      if (this.points.length === MAX_PROFILE_POINTS) {
        // The pending run becomes the first half of a point at the doubled width.
        this.mergePoints();
        return;
      }
      this.points.push(this.pendingSum / this.pendingBlocks);
      this.pendingSum = 0;
      this.pendingBlocks = 0;
    }
  }

  /** Halves the profile: each pair of equal-width points becomes one point twice as wide. */
  private mergePoints(): void {
    const merged: number[] = [];
    for (let i = 0; i + 1 < this.points.length; i += 2) merged.push((this.points[i]! + this.points[i + 1]!) / 2);
    this.points.length = 0;
    this.points.push(...merged);
    this.blocksPerPoint *= 2;
  }
}
