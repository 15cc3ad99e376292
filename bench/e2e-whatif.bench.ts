/** End to end (upload → notification) with a configuration change (HOPPER_BENCH_CANDIDATE, JSON) versus the shipped defaults, two pipelines side by side in one run; the measurement behind config/hopper.yml's worker settings. */
import { randomBytes } from 'node:crypto';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare, BenchSetupError } from './harness';
import { benchConfig } from './support/ingest-app';
import { LoadClient } from './support/load-client';
import { ingestUnique, Pipeline, startPipeline, stopPipeline } from './support/pipeline';

const DEFAULT_N = 200;

/**
 * One pipeline as a contender. Besides the rate the harness times, each round logs this process's CPU per
 * submission (API, ingester and dispatcher share it here): on a machine others load, CPU per submission moves
 * less than the rate does.
 */
function onPipeline(name: string, pipeline: Pipeline, client: LoadClient, log: (line: string) => void): Contender {
  const queue = `e2e-${randomBytes(4).toString('hex')}`;
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      const cpu = process.cpuUsage();
      return {
        execute: () => ingestUnique(pipeline, client, n, queue),
        cleanup: async () => {
          const used = process.cpuUsage(cpu);
          log(`    ${name}: ${((used.user + used.system) / 1000 / n).toFixed(2)} ms of this process's CPU per submission`);
        },
      };
    },
  };
}

function candidateOverrides(): Record<string, unknown> {
  const raw = process.env.HOPPER_BENCH_CANDIDATE;
  if (!raw) {
    throw new BenchSetupError(
      'e2e-whatif compares a configuration change with the shipped defaults: set HOPPER_BENCH_CANDIDATE to the change as JSON, ' +
        `e.g. HOPPER_BENCH_CANDIDATE='{"workers":{"dispatcher":{"concurrency":4}}}'`,
    );
  }
  return JSON.parse(raw) as Record<string, unknown>;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const overrides = candidateOverrides();
  const client = await LoadClient.start();
  const pipelines: Pipeline[] = [];
  try {
    const baseline = await startPipeline(benchConfig('e2e-defaults'));
    pipelines.push(baseline);
    const candidate = await startPipeline(benchConfig('e2e-whatif', overrides));
    pipelines.push(candidate);
    options.log(`e2e-whatif: candidate ${JSON.stringify(overrides)}; each round uploads n unique 1 KiB files and waits for their n notifications`);
    return await compare(
      {
        bench: 'e2e-whatif',
        n: options.n ?? DEFAULT_N,
        baseline: onPipeline('shipped defaults', baseline, client, options.log),
        candidate: onPipeline('candidate configuration', candidate, client, options.log),
        target: 1,
      },
      { log: options.log, rounds: 5, warmups: 1 },
    );
  } finally {
    await client.stop();
    for (const pipeline of pipelines) await stopPipeline(pipeline);
  }
}
