import { ExpiryLimits, isTaskExpired } from './expiry';

/**
 * Assemblyline's ingest priorities (`assemblyline/common/constants.py`: PRIORITIES, PRIORITY_RANGES,
 * PRIORITY_THRESHOLDS; `assemblyline_core/ingester/ingester.py`: `Ingester.ingest`). Higher runs first.
 */
export const PRIORITIES = {
  low: 100,
  medium: 200,
  high: 300,
  critical: 400,
  'user-low': 500,
  'user-medium': 1000,
  'user-high': 1500,
} as const;

export type PriorityBandName = keyof typeof PRIORITIES;

/** The highest priority a submission may carry (Assemblyline's MAX_PRIORITY). */
export const MAX_PRIORITY = 2000;

/**
 * Assemblyline's `_min_priority`: a task at or below it is always dropped (unless never_drop), so priority 1
 * drops as well as 0.
 */
export const MIN_PRIORITY = 1;

/**
 * Each band as the inclusive range Assemblyline derives from PRIORITIES: from one above the previous band's
 * value up to its own (low is 0..100, medium 101..200, …, user-high 1001..1500). Above 1500 is in no band.
 */
export const PRIORITY_RANGES: Readonly<Record<PriorityBandName, readonly [number, number]>> = (() => {
  const ranges = {} as Record<PriorityBandName, readonly [number, number]>;
  let start = 0;
  const ascending = (Object.entries(PRIORITIES) as [PriorityBandName, number][]).sort((a, b) => a[1] - b[1]);
  for (const [name, end] of ascending) {
    ranges[name] = [start, end];
    start = end + 1;
  }
  return ranges;
})();

/**
 * Previous-score thresholds for a task that asks for no priority (negative), checked in this order
 * (Assemblyline's PRIORITY_THRESHOLDS: critical at 500, high at 100; below that, low).
 */
export const PRIORITY_SCORE_THRESHOLDS: readonly (readonly [PriorityBandName, number])[] = [
  ['critical', 500],
  ['high', 100],
];

/**
 * The band whose range holds `priority` (the band whose `sampling_at` threshold and queue length decide
 * whether the task is sampled), or null when it is in none (negative, or above user-high's 1500).
 */
export function bandOf(priority: number): PriorityBandName | null {
  for (const [name, [min, max]] of Object.entries(PRIORITY_RANGES) as [PriorityBandName, readonly [number, number]][]) {
    if (min <= priority && priority <= max) return name;
  }
  return null;
}

/** The Ingest API's cap: `min(priority, ui.ingest_max_priority)`, as Assemblyline's ingest route does. */
export function capIngestPriority(priority: number, ingestMaxPriority: number): number {
  return Math.min(priority, ingestMaxPriority);
}

/**
 * The priority the ingester gives a task (`Ingester.ingest`): a requested priority of 0 or more is kept; a
 * negative one means "choose": medium, or by the score of a previous (even stale) scan of the same scan key
 * (critical from 500, high from 100, else low), or low when the `is_low_priority` hook says so.
 */
export function assignIngestPriority(requested: number, previousScore: number | null, lowPriority: boolean): number {
  if (requested >= 0) return requested;
  if (previousScore !== null) {
    const level = PRIORITY_SCORE_THRESHOLDS.find(([, threshold]) => previousScore >= threshold);
    return PRIORITIES[level ? level[0] : 'low'];
  }
  return lowPriority ? PRIORITIES.low : PRIORITIES.medium;
}

/**
 * Assemblyline's rule for a task whose submission is older than `expire_after` seconds: it is not dropped
 * but its priority is cut by an order of magnitude ("Reduce the priority by an order of magnitude for very
 * old files"). Assemblyline computes `priority / 10` (a float, with a dead `or 1` fallback) and stores it
 * in the integer `params.priority`, which truncates it; Hopper keeps the truncated integer, so 155 becomes
 * 15, and 1..19 become 0 or 1, which the drop rule then drops (unless never_drop). Priority 0 stays 0.
 */
export function reducePriorityIfExpired(
  priority: number,
  submissionAgeSeconds: number,
  limits: Pick<ExpiryLimits, 'expire_after'>,
): number {
  if (!priority || !isTaskExpired(submissionAgeSeconds, limits)) return priority;
  return Math.trunc(priority / 10);
}
