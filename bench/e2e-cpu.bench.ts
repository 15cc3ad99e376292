/** CPU per end-to-end submission (upload → notification) by process: the pipeline's Node process, FerretDB, PostgreSQL, Redis; with MongoDB and Redis commands per submission. Compare builds by running it alternately. */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { randomBytes } from 'node:crypto';
import { Connection } from 'mongoose';
import { MONGO_CONNECTION } from '@hopper/datastore';
import { BenchOptions } from './bench-types';
import { median } from './harness';
import { benchConfig } from './support/ingest-app';
import { LoadClient } from './support/load-client';
import { ingestUnique, startPipeline, stopPipeline } from './support/pipeline';
import { cpuSince, serviceCpu } from './support/service-cpu';

const DEFAULT_N = 200;
const ROUNDS = Number(process.env.HOPPER_BENCH_ROUNDS ?? 5);
/** The driver's own traffic, not Hopper's operations. */
const DRIVER_COMMANDS = new Set(['hello', 'ismaster', 'isMaster', 'ping', 'saslStart', 'saslContinue', 'endSessions', 'buildInfo', 'getParameter']);

interface Round {
  rate: number;
  node_ms: number;
  ferretdb_ms: number;
  postgres_ms: number;
  redis_ms: number;
  total_ms: number;
  mongo_commands: number;
  redis_calls: number;
}

/** Calls of each command the Redis server ran (INFO commandstats: script-internal calls included), by command. */
async function redisCommandCalls(redis: { info(section: string): Promise<string> }): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of info.matchAll(/cmdstat_([^:]+):calls=(\d+)/g)) calls.set(match[1], Number(match[2]));
  return calls;
}

function totalCalls(calls: Map<string, number>): number {
  let total = 0;
  for (const count of calls.values()) total += count;
  return total;
}

export async function run(options: BenchOptions): Promise<unknown> {
  const n = options.n ?? DEFAULT_N;
  const base = new URL(process.env.HOPPER_MONGO_URL ?? 'mongodb://127.0.0.1:27027/');
  base.searchParams.set('monitorCommands', 'true');
  process.env.HOPPER_MONGO_URL = base.toString();
  const config = benchConfig('e2e-cpu');
  const redisPort = Number(new URL(config.redis.url).port || 6379);
  const pipeline = await startPipeline(config);
  const client = await LoadClient.start();
  let mongoCommands = 0;
  for (const app of [pipeline.api.app, pipeline.ingester, pipeline.dispatcher]) {
    app.get<Connection>(MONGO_CONNECTION).getClient().on('commandStarted', (event) => {
      if (!DRIVER_COMMANDS.has(event.commandName)) mongoCommands++;
    });
  }
  const queue = `e2e-${randomBytes(4).toString('hex')}`;
  // HOPPER_BENCH_MONITOR: the commands this pipeline sends to Redis (MONITOR, its own prefix), by command and queue.
  const sent = new Map<string, number>();
  let monitoring = false;
  const monitor = process.env.HOPPER_BENCH_MONITOR ? await pipeline.redis.duplicate().monitor() : null;
  monitor?.on('monitor', (_time: string, args: string[], source: string) => {
    if (!monitoring || source === 'lua') return;
    const keyed = args.find((arg) => arg.startsWith(config.redis.prefix) || arg.startsWith('hopper:'));
    if (!keyed && args[0].toLowerCase() !== 'exec' && args[0].toLowerCase() !== 'multi') return;
    const where = keyed ? keyed.replace(config.redis.prefix, '').split(':').slice(1, 2).join(':') : '';
    const label = `${args[0].toLowerCase()}${args[0].toLowerCase() === 'evalsha' ? ' ' + args[1].slice(0, 8) : ''} ${where}`;
    sent.set(label, (sent.get(label) ?? 0) + 1);
  });
  const profilePath = process.env.HOPPER_BENCH_CPU_PROFILE;
  const session = profilePath ? new Session() : null;
  const rounds: Round[] = [];
  try {
    await ingestUnique(pipeline, client, n, queue); // warm-up: JIT, scripts, indexes, caches
    if (session) {
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.start');
    }
    monitoring = true;
    for (let round = 1; round <= ROUNDS; round++) {
      const services = serviceCpu(redisPort);
      const node = process.cpuUsage();
      const commands = mongoCommands;
      const calls = await redisCommandCalls(pipeline.redis);
      const start = performance.now();
      await ingestUnique(pipeline, client, n, queue);
      const seconds = (performance.now() - start) / 1000;
      const nodeUsed = process.cpuUsage(node);
      const used = cpuSince(services, serviceCpu(redisPort));
      const per = (value: number) => Math.round((value / n) * 100) / 100;
      const figures: Round = {
        rate: Math.round((n / seconds) * 10) / 10,
        node_ms: per((nodeUsed.user + nodeUsed.system) / 1000),
        ferretdb_ms: per(used.ferretdb * 1000),
        postgres_ms: per(used.postgres * 1000),
        redis_ms: per(used.redis * 1000),
        total_ms: 0,
        mongo_commands: per(mongoCommands - commands),
        redis_calls: 0,
      };
      const callsAfter = await redisCommandCalls(pipeline.redis);
      figures.redis_calls = per(totalCalls(callsAfter) - totalCalls(calls) - 2);
      if (process.env.HOPPER_BENCH_REDIS_DETAIL) {
        const detail = [...callsAfter].map(([command, count]) => [command, per(count - (calls.get(command) ?? 0))] as const).filter(([, count]) => count >= 0.1);
        options.log(`    Redis calls per submission by command (whole server): ${detail.sort((a, b) => b[1] - a[1]).map(([command, count]) => `${command} ${count}`).join(', ')}`);
      }
      figures.total_ms = Math.round((figures.node_ms + figures.ferretdb_ms + figures.postgres_ms + figures.redis_ms) * 100) / 100;
      rounds.push(figures);
      options.log(`  round ${round}: ${JSON.stringify(figures)}`);
    }
    monitoring = false;
    if (monitor) {
      const total = n * ROUNDS;
      const lines = [...sent].sort((a, b) => b[1] - a[1]).map(([label, count]) => `${label} ${(count / total).toFixed(2)}`);
      options.log(`  Redis commands sent per submission (MONITOR, this pipeline's keys): ${lines.join(', ')}`);
      monitor.disconnect();
    }
    if (session && profilePath) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(profilePath, JSON.stringify(profile));
      options.log(`  CPU profile of the measured rounds: ${profilePath}`);
    }
  } finally {
    session?.disconnect();
    await client.stop();
    await stopPipeline(pipeline);
  }
  const medians = Object.fromEntries(
    (Object.keys(rounds[0]) as Array<keyof Round>).map((key) => [key, median(rounds.map((round) => round[key]))]),
  );
  options.log(`  median: ${JSON.stringify(medians)}`);
  return { bench: 'e2e-cpu', n, rounds: ROUNDS, medians };
}
