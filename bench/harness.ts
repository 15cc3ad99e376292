import { performance } from 'node:perf_hooks';
import { BenchResult, Comparison, Contender } from './bench-types';

/** A benchmark cannot start (a service is missing, say); the runner prints only the message. */
export class BenchSetupError extends Error {
  override readonly name = 'BenchSetupError';
}

export interface HarnessOptions {
  log: (line: string) => void;
  /** Measured rounds per contender, after the warm-up rounds. Five, because on a two-core machine
   * shared with Redis three rounds of a sub-second workload still left the ratio swinging by ±15%. */
  rounds?: number;
  /** Discarded rounds per contender before the measured ones. */
  warmups?: number;
  /** Milliseconds; injectable so the harness can be exercised without real time. */
  now?: () => number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * Measures baseline and candidate in the same process against the same services, so a noisy machine
 * slows both alike. Rounds alternate, and the order flips every round (B C, C B, B C, ...) so that
 * neither side always runs second, on a warmer or more tired machine. Warm-up rounds come first and
 * are discarded: they pay for JIT compilation and for loading Lua scripts into Redis. Two each, in both
 * orders, because with one the first measured round was still visibly slow, and always on the side
 * that happened to run it. The medians resist the odd round a neighbour's process spoiled.
 */
export async function compare(comparison: Comparison, options: HarnessOptions): Promise<BenchResult> {
  const { bench, n, baseline, candidate, target } = comparison;
  const { log, rounds = 5, warmups = 2, now = () => performance.now() } = options;
  const width = Math.max(baseline.name.length, candidate.name.length);
  const measured = { baseline: [] as number[], candidate: [] as number[] };

  const measure = async (contender: Contender): Promise<number> => {
    const round = await contender.prepare(n);
    try {
      const start = now();
      await round.execute();
      return n / ((now() - start) / 1000);
    } finally {
      await round.cleanup();
    }
  };

  log(`${bench}: n=${n}, ${warmups} warm-up + ${rounds} measured rounds each, interleaved`);
  for (let i = 0; i < warmups + rounds; i++) {
    const round = i - warmups + 1; // 1-based among measured rounds; 0 or less while warming up
    const label = round > 0 ? `round ${round}` : 'warm-up';
    const order = i % 2 === 0 ? (['baseline', 'candidate'] as const) : (['candidate', 'baseline'] as const);
    const thisRound: Record<string, number> = {};
    for (const side of order) {
      const contender = side === 'baseline' ? baseline : candidate;
      thisRound[side] = await measure(contender);
      if (round > 0) measured[side].push(thisRound[side]);
    }
    for (const side of ['baseline', 'candidate'] as const) {
      const contender = side === 'baseline' ? baseline : candidate;
      const versus = side === 'candidate' ? `  ${(thisRound.candidate / thisRound.baseline).toFixed(3)}x baseline` : '';
      log(`  ${label.padEnd(8)} ${contender.name.padEnd(width)} ${formatRate(thisRound[side])}${versus}`);
    }
  }

  const base = median(measured.baseline);
  const cand = median(measured.candidate);
  // Rounded once, so the printed ratio and meets_target can never disagree.
  const ratio = Math.round((cand / base) * 1000) / 1000;
  const meets = ratio >= target;
  log(`  median   ${baseline.name.padEnd(width)} ${formatRate(base)}`);
  log(`  median   ${candidate.name.padEnd(width)} ${formatRate(cand)}  ${ratio.toFixed(3)}x baseline`);
  log(`  target   >= ${target}x baseline: ${meets ? 'met' : 'NOT met'}`);

  return {
    bench,
    n,
    baseline: { name: baseline.name, ops_per_s: Math.round(base) },
    candidate: { name: candidate.name, ops_per_s: Math.round(cand) },
    ratio,
    target,
    meets_target: meets,
    rounds: { baseline: measured.baseline.map(Math.round), candidate: measured.candidate.map(Math.round) },
  };
}

function formatRate(opsPerSecond: number): string {
  return `${Math.round(opsPerSecond).toString().padStart(8)} ops/s`;
}
