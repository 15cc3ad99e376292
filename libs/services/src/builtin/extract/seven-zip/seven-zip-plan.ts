import { LimitExceededError } from '../errors';
import type { ExtractLimits } from '../extract-options';
import type { SevenZipEntry } from './seven-zip-listing';

export interface PlannedFile {
  entry: SevenZipEntry;
  /** Compressed bytes the entry's ratio is taken against: its block's packed size. */
  compressedSize: number;
}

export interface SevenZipPlan {
  files: PlannedFile[];
  hits: LimitExceededError[];
}

const count = (value: number): string => value.toLocaleString('en-US');

/**
 * Chooses what to let 7za write to disk, since it writes whole files before we can count them: non-empty
 * regular files in archive order, stopping at `max_entries` or when the declared sizes would pass
 * `max_total_bytes`, and leaving out files that would take their block past `max_ratio` (a solid block's
 * output counted together against its packed size). The declared sizes can be trusted here because
 * 7-Zip's decoder produces exactly them or fails; streaming the files out counts the bytes again anyway.
 */
export function planSevenZip(entries: readonly SevenZipEntry[], limits: ExtractLimits, archiveSize: number): SevenZipPlan {
  const packed = new Map<number, number>();
  for (const entry of entries) {
    if (entry.block !== null && entry.packedSize !== null) packed.set(entry.block, (packed.get(entry.block) ?? 0) + entry.packedSize);
  }
  const files: PlannedFile[] = [];
  const hits: LimitExceededError[] = [];
  const blockOutput = new Map<number, number>();
  let total = 0;
  for (const entry of entries) {
    if (entry.kind !== 'file' || entry.size === 0) continue;
    if (files.length >= limits.max_entries) {
      hits.push(
        new LimitExceededError(
          'max_entries',
          'archive',
          `max_entries: the archive holds more than ${count(limits.max_entries)} files; ` +
            `${JSON.stringify(entry.path)} and any later entries were not extracted`,
        ),
      );
      break;
    }
    if (total + entry.size > limits.max_total_bytes) {
      hits.push(
        new LimitExceededError(
          'max_total_bytes',
          'archive',
          `max_total_bytes: ${JSON.stringify(entry.path)} declares ${count(entry.size)} bytes, which would take the output ` +
            `from ${count(total)} past ${count(limits.max_total_bytes)} bytes; it and any later entries were not extracted`,
        ),
      );
      break;
    }
    const compressedSize = (entry.block !== null ? packed.get(entry.block) : undefined) ?? archiveSize;
    const blockSoFar = entry.block !== null ? (blockOutput.get(entry.block) ?? 0) : 0;
    const allowed = limits.max_ratio * Math.max(compressedSize, 1);
    if (blockSoFar + entry.size > allowed) {
      hits.push(
        new LimitExceededError(
          'max_ratio',
          'entry',
          `max_ratio: ${JSON.stringify(entry.path)} would take its block's output to ${count(blockSoFar + entry.size)} bytes ` +
            `from ${count(compressedSize)} compressed bytes (ratio over ${count(limits.max_ratio)}); it was not extracted`,
        ),
      );
      continue;
    }
    if (entry.block !== null) blockOutput.set(entry.block, blockSoFar + entry.size);
    total += entry.size;
    files.push({ entry, compressedSize });
  }
  return { files, hits };
}
