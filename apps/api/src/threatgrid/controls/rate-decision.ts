import type { RateWindow } from './rate-windows';

/** A window as it stands after a take (or, for a refusal or a peek, as it stands now). */
export interface WindowState extends RateWindow {
  /** Entries counted in the window, after the take when it was allowed. */
  used: number;
  /** Samples that still fit: samples - used, never below 0. */
  available: number;
  /** Seconds until one more sample fits; 0 when one fits now. */
  waitSeconds: number;
}

export interface RateDecision {
  allowed: boolean;
  windows: WindowState[];
  /** samples and available of the binding window (fewest available); null when there are no windows. */
  limit: number | null;
  remaining: number | null;
  /** Seconds until the binding window's oldest counted entry leaves it; 0 when it is empty. */
  resetSeconds: number;
  /**
   * On a refusal, seconds until enough entries have left every full window for the whole request to fit;
   * null when allowed, and also when refused for a request larger than some window's limit (it never fits).
   */
  retryAfterSeconds: number | null;
}

/** What the Lua script reports for one window (scores are the injected clock's milliseconds). */
export interface WindowCounts {
  used: number;
  /** Score of the oldest counted entry; null when the window is empty. */
  oldestMs: number | null;
  /** Score of the entry whose leaving lets one more sample fit; null when one fits already. */
  nextFitMs: number | null;
  /** On a refusal, the score of the entry whose leaving lets the whole request fit; null otherwise or never. */
  requestFitMs: number | null;
}

export const windowMs = (window: RateWindow): number => window.minutes * 60_000;

/** An entry with score s is counted until nowMs reaches s + window, when the next call drops it. */
const secondsUntilLeaves = (scoreMs: number, window: RateWindow, nowMs: number): number =>
  Math.max(0, Math.ceil((scoreMs + windowMs(window) - nowMs) / 1000));

/** The answer for a request of `count` samples from each window's counts. Pure, so it is unit-tested alone. */
export function rateDecision(
  windows: RateWindow[],
  counts: WindowCounts[],
  allowed: boolean,
  count: number,
  nowMs: number,
): RateDecision {
  const states: WindowState[] = windows.map((window, i) => {
    const { used, nextFitMs } = counts[i];
    const available = Math.max(0, window.samples - used);
    const waitSeconds = available > 0 || nextFitMs === null ? 0 : secondsUntilLeaves(nextFitMs, window, nowMs);
    return { ...window, used, available, waitSeconds };
  });
  if (!states.length) return { allowed, windows: states, limit: null, remaining: null, resetSeconds: 0, retryAfterSeconds: null };

  // Fewest available binds; between equals, the one that stays full longest; then the first listed.
  let binding = 0;
  for (let i = 1; i < states.length; i++) {
    const [best, next] = [states[binding], states[i]];
    if (next.available < best.available || (next.available === best.available && next.waitSeconds > best.waitSeconds)) binding = i;
  }
  const oldest = counts[binding].oldestMs;
  const resetSeconds = oldest === null ? 0 : secondsUntilLeaves(oldest, windows[binding], nowMs);

  let retryAfterSeconds: number | null = null;
  if (!allowed) {
    const tooLarge = windows.some((window) => count > window.samples);
    retryAfterSeconds = tooLarge ? null : 0;
    for (let i = 0; i < windows.length && retryAfterSeconds !== null; i++) {
      const fitMs = counts[i].requestFitMs;
      if (fitMs !== null) retryAfterSeconds = Math.max(retryAfterSeconds, secondsUntilLeaves(fitMs, windows[i], nowMs));
    }
  }
  return {
    allowed,
    windows: states,
    limit: states[binding].samples,
    remaining: states[binding].available,
    resetSeconds,
    retryAfterSeconds,
  };
}
