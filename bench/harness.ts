import { performance } from 'node:perf_hooks';
import { BenchResult, Comparison, Contender, ReferenceFigure } from './bench-types';

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
 * that happened to run it. The medians resist the odd round a neighbour's process spoiled. References, when
 * the comparison has any, run in the same rounds (after the candidate, the order flipping with the rest) and
 * are reported, not judged.
 */
export async function compare(comparison: Comparison, options: HarnessOptions): Promise<BenchResult> {
  const { bench, n, baseline, candidate, target, references = [] } = comparison;
  const { log, rounds = 5, warmups = 2, now = () => performance.now() } = options;
  const contenders = [baseline, candidate, ...references];
  const width = Math.max(...contenders.map((contender) => contender.name.length));
  const measured = contenders.map(() => [] as number[]);

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
  const forward = contenders.map((_, index) => index);
  for (let i = 0; i < warmups + rounds; i++) {
    const round = i - warmups + 1; // 1-based among measured rounds; 0 or less while warming up
    const label = round > 0 ? `round ${round}` : 'warm-up';
    const order = i % 2 === 0 ? forward : [...forward].reverse();
    const thisRound: number[] = [];
    for (const index of order) {
      thisRound[index] = await measure(contenders[index]);
      if (round > 0) measured[index].push(thisRound[index]);
    }
    contenders.forEach((contender, index) => {
      const versus = index > 0 ? `  ${(thisRound[index] / thisRound[0]).toFixed(3)}x baseline` : '';
      log(`  ${label.padEnd(8)} ${contender.name.padEnd(width)} ${formatRate(thisRound[index])}${versus}`);
    });
  }

  const medians = measured.map(median);
  const [base, cand] = medians;
  // Rounded once, so the printed ratio and meets_target can never disagree.
  const ratio = round3(cand / base);
  const meets = ratio >= target;
  log(`  median   ${baseline.name.padEnd(width)} ${formatRate(base)}`);
  log(`  median   ${candidate.name.padEnd(width)} ${formatRate(cand)}  ${ratio.toFixed(3)}x baseline`);
  const referenceFigures: ReferenceFigure[] = references.map((reference, at) => {
    const rate = medians[at + 2];
    const figure = { name: reference.name, ops_per_s: Math.round(rate), ratio: round3(rate / base), candidate_ratio: round3(cand / rate), rounds: measured[at + 2].map(Math.round) };
    log(`  median   ${reference.name.padEnd(width)} ${formatRate(rate)}  ${figure.ratio.toFixed(3)}x baseline (reference; the candidate is ${figure.candidate_ratio.toFixed(3)}x it)`);
    return figure;
  });
  log(`  target   >= ${target}x baseline: ${meets ? 'met' : 'NOT met'}`);

  return {
    bench,
    n,
    baseline: { name: baseline.name, ops_per_s: Math.round(base) },
    candidate: { name: candidate.name, ops_per_s: Math.round(cand) },
    ratio,
    target,
    meets_target: meets,
    rounds: { baseline: measured[0].map(Math.round), candidate: measured[1].map(Math.round) },
    ...(references.length ? { references: referenceFigures } : {}),
  };
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

function formatRate(opsPerSecond: number): string {
  return `${Math.round(opsPerSecond).toString().padStart(8)} ops/s`;
}
