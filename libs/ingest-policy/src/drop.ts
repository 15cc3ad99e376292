import { bandOf, MIN_PRIORITY, PriorityBandName } from './priority';
import { isNeverDrop, NeverDropRules, NeverDropSubject } from './never-drop';

/** Assemblyline's failure text for a dropped task. */
export const SKIPPED = 'Skipped';

/** `core.ingester.sampling_at`: queue length per band above which tasks of that band are sampled. */
export type SamplingThresholds = Partial<Record<PriorityBandName, number>>;

/**
 * Assemblyline's `drop_chance` (`assemblyline_core/ingester/constants.py`): tanh(2 (length - threshold) /
 * threshold). Negative (never drops) up to the threshold; about 0.76 at 1.5×, 0.96 at 2×, 0.999 at 3×.
 */
export function dropChance(queueLength: number, threshold: number): number {
  return Math.tanh(((queueLength - threshold) / threshold) * 2);
}

/** Assemblyline's `must_drop`: random() in [0, 1) below the drop chance. */
export function mustDrop(queueLength: number, threshold: number, random: () => number = Math.random): boolean {
  return random() < dropChance(queueLength, threshold);
}

/** Why a task is dropped (for logs and metrics; the failure text is always `Skipped`). */
export type DropCause = 'min_priority' | 'sampled' | 'too_large' | 'empty';

export type DropDecision = { drop: false } | { drop: true; reason: typeof SKIPPED; cause: DropCause };

export interface DropSubject extends NeverDropSubject {
  params: NeverDropSubject['params'] & { priority: number; ignore_size: boolean };
  /** Total size of the task's files (`totalFileSize`). */
  fileSize: number;
  /** How many tasks wait in the queue with a priority in this task's band (`bandOf`). */
  bandQueueLength: number;
}

export interface DropConfig {
  submission: { max_file_size: number };
  core: { ingester: { sampling_at: SamplingThresholds; never_drop?: NeverDropRules } };
}

function dropCause(subject: DropSubject, config: DropConfig, random: () => number): DropCause | null {
  const { priority, ignore_size } = subject.params;
  if (priority <= MIN_PRIORITY) return 'min_priority';
  const band = bandOf(priority);
  const threshold = band === null ? undefined : config.core.ingester.sampling_at[band];
  if (threshold !== undefined && mustDrop(subject.bandQueueLength, threshold, random)) return 'sampled';
  if (subject.fileSize > config.submission.max_file_size && !ignore_size) return 'too_large';
  if (subject.fileSize === 0) return 'empty';
  return null;
}

/**
 * Assemblyline's `Ingester.drop`: a task at or below priority 1 is dropped; otherwise, if its band has a
 * `sampling_at` threshold, it is sampled by how far that band's queue is over it; otherwise (or if it
 * survived sampling) it is dropped when over `max_file_size` (unless ignore_size) or empty. A never-drop
 * task (parameter or configured rule) is never dropped. Assemblyline draws the random number even for
 * never-drop tasks; skipping that draw changes no outcome.
 */
export function decideDrop(subject: DropSubject, config: DropConfig, random: () => number = Math.random): DropDecision {
  if (isNeverDrop(subject, config.core.ingester.never_drop)) return { drop: false };
  const cause = dropCause(subject, config, random);
  return cause === null ? { drop: false } : { drop: true, reason: SKIPPED, cause };
}
