/**
 * Where an ingester's time goes, measured from outside: wraps methods of the running app's instances (never
 * the product code) so that each call's wall time is added to a step's total. Concurrent calls overlap, so
 * the totals say how long jobs spent waiting on each step, summed over the workers' concurrent slots; the
 * share of a step in the job's total is what matters.
 */
import { performance } from 'node:perf_hooks';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { QUEUES, QueueName, Queues, ScanRegistry, SubmissionQuotas } from '@hopper/queues';
import { CompletionProcessor } from '../../apps/ingester/src/completion.processor';
import { IngestPolicy } from '../../apps/ingester/src/ingest-policy';
import { IngestProcessor } from '../../apps/ingester/src/ingest.processor';
import { IngesterRoundOptions, prepareIngesterRound } from './ingester-app';

interface Step {
  calls: number;
  ms: number;
  /** The step this one is part of (its share is of that one's time). */
  parent?: string;
}

export class StepTimer {
  readonly steps = new Map<string, Step>();

  /** Replaces `target[method]` by a timed call of the original, on that instance only. */
  wrap(label: string, target: object, method: string, parent?: string): void {
    const original = (target as Record<string, unknown>)[method] as (...args: unknown[]) => unknown;
    if (typeof original !== 'function') throw new Error(`${label}: no method ${method}`);
    const step: Step = { calls: 0, ms: 0, parent };
    this.steps.set(label, step);
    (target as Record<string, unknown>)[method] = async function timed(this: unknown, ...args: unknown[]) {
      const start = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        step.calls++;
        step.ms += performance.now() - start;
      }
    };
  }

  reset(): void {
    for (const step of this.steps.values()) {
      step.calls = 0;
      step.ms = 0;
    }
  }

  /** One line per step: calls, total ms, mean ms per call, and a part's share of its job's time. */
  report(): string[] {
    return [...this.steps.entries()].map(([label, { calls, ms, parent }]) => {
      const whole = parent ? (this.steps.get(parent)?.ms ?? 0) : 0;
      const share = whole > 0 ? `${((ms / whole) * 100).toFixed(1).padStart(5)}% of the job` : '';
      const name = parent ? `  ${label}` : label;
      return `    ${name.padEnd(36)} ${String(calls).padStart(6)} calls ${ms.toFixed(0).padStart(7)} ms ${(calls ? ms / calls : 0).toFixed(2).padStart(6)} ms/call ${share}`;
    });
  }
}

/** Times the steps of the ingester's two jobs on a running ingester. */
export function timeIngesterSteps(app: INestApplicationContext): StepTimer {
  const timer = new StepTimer();
  const ingest = 'ingest job (IngestProcessor)';
  const complete = 'complete job (CompletionProcessor)';
  timer.wrap(ingest, app.get(IngestProcessor), 'process');
  timer.wrap('drop decision (band lengths)', app.get(IngestPolicy), 'dropReason', ingest);
  timer.wrap('ScanRegistry.claim', app.get(ScanRegistry), 'claim', ingest);
  timer.wrap('submission insert (MongoDB)', app.get(SubmissionsRepository), 'createIfAbsent', ingest);
  timer.wrap('dispatch queue add', app.get<Queues>(QUEUES).get(QueueName.Dispatch) as Queue, 'add', ingest);
  timer.wrap(complete, app.get(CompletionProcessor), 'process');
  timer.wrap('ScanRegistry.complete', app.get(ScanRegistry), 'complete', complete);
  // On a cache hit the ingest job itself releases and notifies: these two are then part of the ingest job.
  timer.wrap('quota release', app.get(SubmissionQuotas), 'release');
  timer.wrap('ScanRegistry.notify', app.get(ScanRegistry), 'notify');
  return timer;
}

/**
 * Rounds of an ingester outside any comparison, with its steps timed, to show where an ingest's time goes:
 * `as-is`, and `no-mongo` with the submission insert answered in memory (the instance's method replaced, no
 * product code changed) to show what MongoDB costs the whole path. Also the process's event-loop
 * utilisation and CPU time per ingest (the ingester, the stub dispatcher and the producer share this process).
 * Answers the ops/s of each variant.
 */
export async function profileIngesterRounds(
  n: number,
  log: (line: string) => void,
  round: Omit<IngesterRoundOptions, 'onStarted'>,
  variants: Array<'as-is' | 'no-mongo'> = ['as-is', 'no-mongo'],
): Promise<number[]> {
  const rates: number[] = [];
  for (const variant of variants) {
    let timer: StepTimer | undefined;
    const prepared = await prepareIngesterRound(n, {
      ...round,
      onStarted: (app) => {
        if (variant === 'no-mongo') {
          const submissions = app.get(SubmissionsRepository);
          submissions.createIfAbsent = async (submission) => ({ ...submission, _id: submission.sid }) as SubmissionRecord;
        }
        timer = timeIngesterSteps(app);
      },
    });
    try {
      timer!.reset(); // the warm-up ingest is not part of it
      const elu = performance.eventLoopUtilization();
      const cpu = process.cpuUsage();
      const start = performance.now();
      await prepared.execute();
      const seconds = (performance.now() - start) / 1000;
      const used = process.cpuUsage(cpu);
      const loop = performance.eventLoopUtilization(elu);
      rates.push(n / seconds);
      log(
        `  profiled ${round.label} round${variant === 'no-mongo' ? ' with the submission insert answered in memory' : ''} (not in the comparison): ` +
          `${Math.round(n / seconds)} ops/s, event loop ${(loop.utilization * 100).toFixed(0)}% busy, ` +
          `${((used.user + used.system) / 1000 / n).toFixed(2)} ms CPU per ingest in this process; wall time summed over concurrent jobs:`,
      );
      for (const line of timer!.report()) log(line);
    } finally {
      await prepared.cleanup();
    }
  }
  return rates;
}
