import { MAX_PRIORITY } from './priority';

/** BullMQ's largest job priority (`PRIORITY_LIMIT` in bullmq: 2^21 - 1). */
export const BULLMQ_PRIORITY_LIMIT = 2 ** 21 - 1;

/**
 * BullMQ runs priority 1 first and larger numbers later (0 would mean "unprioritised", which BullMQ runs
 * before every prioritised job, so it is never used). Assemblyline runs higher priorities first. This maps
 * Hopper's 0..2000 onto BullMQ's 2001..1, so 2000 → 1 and 0 → 2001; values outside 0..2000 are clamped.
 */
export function toBullmqPriority(priority: number): number {
  if (!Number.isInteger(priority)) throw new RangeError(`priority must be an integer, got ${priority}`);
  const clamped = Math.min(Math.max(priority, 0), MAX_PRIORITY);
  return MAX_PRIORITY - clamped + 1;
}

/**
 * BullMQ keeps prioritized jobs in a sorted set scored `priority × 2^32 + arrival counter`. The inclusive
 * score range holding every job whose Hopper priority is in `[low, high]`, so one ZCOUNT counts a band.
 */
export function bullmqScoreRange([low, high]: readonly [number, number]): [number, number] {
  const first = toBullmqPriority(high);
  const last = toBullmqPriority(low);
  return [first * 2 ** 32, (last + 1) * 2 ** 32 - 1];
}
