/** Redis round trips the ingester makes per unique ingest (ingest job, stub dispatch, completion, notification), counted on a private Redis; target at most 4. */
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis, { Pipeline } from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { DEFAULT_JOB_OPTIONS, IngestTask, QueueName, REDIS_CONNECTION } from '@hopper/queues';
import { BenchOptions } from './bench-types';
import {
  addInBatches,
  apiJobOptions,
  benchIngestTask,
  ingesterBenchConfig,
  ingesterServiceEnv,
  notificationKey,
  startIngester,
  stopIngester,
  STUB_CONCURRENCY,
  StubDispatcher,
  uniqueSha256,
  waitForListLength,
} from './support/ingester-app';

const DEFAULT_N = 2000;
/** Ingests that go the whole way before counting starts: scripts loaded (no NOSCRIPT fallbacks counted), workers busy. */
const WARM_UP = 20;
/** The issue's target: Redis round trips per unique ingest in the ingester. */
const TARGET = 4;
/** Names of the benchmark's own connections (CLIENT SETNAME). */
const BENCH_NAME = 'bench-';

/** What the runner prints: counts, not a throughput comparison. */
export interface RoundTripResult {
  bench: 'ingester-roundtrips';
  n: number;
  /**
   * Round trips the ingester's connections made, per unique ingest: every command ioredis sent outside a
   * pipeline (a Lua script call is one), plus one per pipeline or MULTI whatever it holds.
   */
  round_trips_per_ingest: number;
  /** Those of the ingester's own code (ScanRegistry, quota, dispatch add, band lengths), without BullMQ's job handling. */
  hopper_round_trips_per_ingest: number;
  /** BullMQ's job handling in the ingester's two workers (fetch, finish, block, locks). */
  bullmq_round_trips_per_ingest: number;
  target: number;
  meets_target: boolean;
  /** Round trips per ingest by what sent them (command or script name, queue or key family). */
  ingester: Record<string, number>;
  /** The server's view (MONITOR): commands from the ingester's connections per ingest, pipelined ones one by one. */
  server_side_commands_per_ingest: number;
  /** Commands run inside the ingester's Lua scripts, per ingest (MONITOR; not round trips). */
  ingester_in_scripts: Record<string, number>;
  /** The benchmark's producer and stub dispatcher, per ingest (MONITOR; not the ingester's). */
  others: Record<string, number>;
  /** INFO commandstats deltas of the whole private Redis (all clients, commands inside scripts included), per ingest. */
  commandstats_per_ingest: Record<string, number>;
  /** Whether the Redis was a private one (commandstats are then this run's alone). */
  private_redis: boolean;
}

/**
 * `onStarted` (not from the runner) changes the running ingester before counting, for a what-if (swap a
 * method of the running app, then compare the counts with and without it).
 */
export async function run(options: BenchOptions & { onStarted?: (app: INestApplicationContext) => void }): Promise<RoundTripResult> {
  ingesterServiceEnv();
  const n = options.n ?? DEFAULT_N;
  const log = options.log;
  const redis = await startPrivateRedis();
  if (!redis.child) log('ingester-roundtrips: redis-server not on PATH; on HOPPER_REDIS_URL instead (commandstats then include other clients)');
  const config = ingesterBenchConfig('roundtrips', { redisUrl: redis.url });
  let app: INestApplicationContext | undefined;
  const connections: IORedis[] = [];
  const connect = (name: string) => {
    const connection = new IORedis(redis.url, { maxRetriesPerRequest: null, connectionName: name });
    connections.push(connection);
    return connection;
  };
  const isIngester = ingesterConnectionNames(config.redis.prefix);
  const scripts = new Map<string, string>();
  const counter = new ClientSideCounter(isIngester, scripts);
  try {
    app = await startIngester(config);
    options.onStarted?.(app);
    const { prefix } = config.redis;
    const admin = connect(`${BENCH_NAME}admin`);
    const traffic = connect(`${BENCH_NAME}producer`);
    const ingestQueue = new Queue<IngestTask>(QueueName.Ingest, { connection: traffic, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
    const stub = new StubDispatcher(connect(`${BENCH_NAME}stub`), prefix, { concurrency: STUB_CONCURRENCY });
    await Promise.all([ingestQueue.waitUntilReady(), stub.waitUntilReady()]);
    const add = (tasks: IngestTask[]) =>
      addInBatches(ingestQueue, tasks, (task) => ({ name: QueueName.Ingest, data: task, opts: apiJobOptions(config, task.ingest_id) }));

    await add(Array.from({ length: WARM_UP }, () => benchIngestTask(uniqueSha256(), 'warm-up', config.ui.enforce_quota)));
    await waitForListLength(traffic, notificationKey(config, 'warm-up'), WARM_UP, 60_000);
    await settled(admin, config, WARM_UP);

    for (const [sha, name] of scriptNames(app.get<IORedis>(REDIS_CONNECTION))) scripts.set(sha, name);
    const monitor = new MonitorCounter(await admin.monitor(), scripts);
    await sleep(200); // MONITOR is on before anything is counted
    const before = await commandstats(admin);
    monitor.counting = true;
    counter.start();

    await add(Array.from({ length: n }, () => benchIngestTask(uniqueSha256(), 'measured', config.ui.enforce_quota)));
    await waitForListLength(traffic, notificationKey(config, 'measured'), n);
    await settled(admin, config, WARM_UP + n); // the last jobs finished in BullMQ too, after their notification

    counter.stop();
    const after = await commandstats(admin);
    await sleep(200); // the MONITOR lines of the window have arrived
    monitor.counting = false;
    const clients = await clientNames(admin);
    monitor.close();

    const ingesterAddresses = new Set([...clients].filter(([, name]) => isIngester(name)).map(([address]) => address));
    const split = monitor.split(ingesterAddresses);
    const perIngest = (counts: Map<string, number>) => sortedRecord(counts, n);
    const total = sum(counter.byLabel);
    const hopper = sum(filterKeys(counter.byLabel, (key) => key.startsWith('hopper ')));
    const result: RoundTripResult = {
      bench: 'ingester-roundtrips',
      n,
      round_trips_per_ingest: round(total / n),
      hopper_round_trips_per_ingest: round(hopper / n),
      bullmq_round_trips_per_ingest: round((total - hopper) / n),
      target: TARGET,
      meets_target: total / n <= TARGET,
      ingester: perIngest(counter.byLabel),
      server_side_commands_per_ingest: round(sum(split.ingester) / n),
      ingester_in_scripts: perIngest(split.ingesterInScripts),
      others: perIngest(split.others),
      commandstats_per_ingest: Object.fromEntries(
        [...after].map(([command, calls]) => [command, round((calls - (before.get(command) ?? 0)) / n)] as const).filter(([, calls]) => calls > 0),
      ),
      private_redis: redis.child !== null,
    };
    const names = [...clients].filter(([address]) => ingesterAddresses.has(address)).map(([, name]) => name || '(unnamed)');
    report(result, counter, sum(split.ingester) - counter.pipelinedCommands + counter.pipelines, names, log);

    await stub.close();
    await ingestQueue.close();
    return result;
  } finally {
    counter.uninstall();
    if (app) await stopIngester(app, config);
    for (const connection of connections) await connection.quit().catch(() => connection.disconnect());
    redis.stop();
  }
}

function report(
  result: RoundTripResult,
  counter: ClientSideCounter,
  serverRoundTrips: number,
  ingesterConnections: string[],
  log: (line: string) => void,
): void {
  const line = (calls: number, what: string) => log(`    ${calls.toFixed(3).padStart(8)}  ${what}`);
  log(`ingester-roundtrips: n=${result.n} unique ingests (after ${WARM_UP} warm-up), ${result.private_redis ? 'a private redis-server' : 'the shared Redis'}`);
  log(
    `  round trips per unique ingest on the ingester's ${ingesterConnections.length} connections (${ingesterConnections.join(', ')}); ` +
      '`hopper` = the ingester\'s own code, the rest BullMQ\'s job handling; a script call, a pipeline or a MULTI is one:',
  );
  for (const [what, calls] of Object.entries(result.ingester)) line(calls, what);
  line(result.round_trips_per_ingest, `in all: ${result.hopper_round_trips_per_ingest} Hopper's own + ${result.bullmq_round_trips_per_ingest} BullMQ's`);
  line(
    serverRoundTrips / result.n,
    `the server's count (MONITOR: ${result.server_side_commands_per_ingest} commands per ingest; ${counter.pipelines} pipelines of ` +
      `${counter.pipelinedCommands} commands counted once)`,
  );
  log("  inside the ingester's scripts, per ingest (not round trips):");
  log(`    ${Object.entries(result.ingester_in_scripts).map(([command, calls]) => `${command} ${calls}`).join(', ')}`);
  log("  the benchmark's producer and stub dispatcher, per ingest (not counted):");
  for (const [what, calls] of Object.entries(result.others)) line(calls, what);
  log('  INFO commandstats deltas, all clients, script-internal calls included, per ingest:');
  log(`    ${Object.entries(result.commandstats_per_ingest).map(([command, calls]) => `${command} ${calls}`).join(', ')}`);
  log(`  target   <= ${TARGET} round trips per unique ingest: ${result.meets_target ? 'met' : 'NOT met'}`);
}

/**
 * Tells the ingester's connections by name: unnamed (its shared connection, and its readiness probe's), or the
 * names BullMQ gives the blocking connections of the workers of `ingest` and `complete` (`<prefix>:<base64 of
 * the queue name>`). The benchmark's own are named `bench-…`, and the stub dispatcher's blocking connection is
 * BullMQ's for `dispatch`, which the ingester never consumes.
 */
function ingesterConnectionNames(prefix: string): (name: string) => boolean {
  const blocking = new Set([QueueName.Ingest, QueueName.Complete].map((queue) => `${prefix}:${Buffer.from(queue).toString('base64')}`));
  return (name) => name === '' || blocking.has(name);
}

/**
 * Counts from MONITOR, which shows every command a client sent with its address, and the commands a Lua script
 * ran as `lua` right after the script's call (Redis 7.0 feeds the script call first); those are attributed to
 * the script and its client.
 */
class MonitorCounter {
  counting = false;
  /** address → label → calls; label `in-script <command>` for the commands a script ran. */
  private readonly byAddress = new Map<string, Map<string, number>>();
  private lastScriptCaller: string | null = null;

  constructor(
    private readonly monitor: IORedis,
    scripts: Map<string, string>,
  ) {
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      if (!this.counting) return;
      const command = args[0].toLowerCase();
      if (source === 'lua') {
        if (this.lastScriptCaller) increment(this.counts(this.lastScriptCaller), `in-script ${command}`);
        return;
      }
      const script = command === 'evalsha' || command === 'eval' || command.startsWith('fcall');
      this.lastScriptCaller = script ? source : null;
      increment(this.counts(source), label(args, scripts));
    });
  }

  private counts(address: string): Map<string, number> {
    let counts = this.byAddress.get(address);
    if (!counts) this.byAddress.set(address, (counts = new Map()));
    return counts;
  }

  /** The tallies of the ingester's addresses (round trips, and commands in its scripts) and of the others' (round trips). */
  split(ingester: Set<string>) {
    const result = { ingester: new Map<string, number>(), ingesterInScripts: new Map<string, number>(), others: new Map<string, number>() };
    for (const [address, counts] of this.byAddress) {
      for (const [what, calls] of counts) {
        const inScript = what.startsWith('in-script ');
        if (!ingester.has(address)) {
          if (!inScript) increment(result.others, what, calls);
        } else if (inScript) increment(result.ingesterInScripts, what.slice('in-script '.length), calls);
        // The ingester never consumes `dispatch`: its calls there are its own code's (the add, the queue length).
        else increment(result.ingester, ownCode(what), calls);
      }
    }
    return result;
  }

  close(): void {
    this.monitor.disconnect();
  }
}

/**
 * What a command is, for the tally: a script call by its name (ioredis `defineCommand` name: BullMQ's
 * `moveToFinished:5.81.5` or Hopper's `hopperScanClaim`) and, for BullMQ's, the queue of its first key; other
 * commands by name, with the queue or Hopper key family of their first key. `hopper` marks Hopper's own calls.
 */
function label(args: string[], scripts: Map<string, string>): string {
  const command = args[0].toLowerCase();
  if (command === 'evalsha' || command === 'eval') {
    const name = command === 'evalsha' ? (scripts.get(args[1]) ?? `script ${args[1].slice(0, 8)}`) : 'eval (script text)';
    const firstKey = Number(args[2]) > 0 ? args[3] : '';
    // `bench…` scripts stand in for Hopper's in a what-if.
    if (name.startsWith('hopper') || name.startsWith('bench')) return `hopper ${command} ${name}`;
    return `${command} ${name.replace(/:\d+\.\d+\.\d+$/, '')} [${keyFamily(firstKey)}]`;
  }
  if (command === 'zrem' && /:quota:/.test(args[1] ?? '')) return 'hopper zrem (quota release)';
  return `${command}${args[1] !== undefined && command !== 'client' ? ` [${keyFamily(args[1])}]` : args[1] ? ` ${args[1].toLowerCase()}` : ''}`;
}

/** What follows the prefix: `{bench-x}:ingest:wait` → `ingest`, `{bench-x}:ingester:scan:…` → `ingester`, `{bench-x}:nq-q` → `nq-q`. */
function keyFamily(key: string): string {
  const family = /^\{[^}]*\}:([^:]+)/.exec(key);
  return family ? family[1] : key.length > 40 ? `${key.slice(0, 40)}…` : key;
}

/** sha1 → command name of every script defined on the connection (BullMQ's and Hopper's). */
function scriptNames(connection: IORedis): Map<string, string> {
  const set = (connection as unknown as { scriptsSet: Record<string, { sha: string }> }).scriptsSet;
  return new Map(Object.entries(set).map(([name, script]) => [script.sha, name]));
}

/**
 * Counts, in this process, what ioredis sends on the ingester's connections (every IORedis the name of which
 * is the ingester's): each command outside a pipeline is one round trip, each pipeline (or MULTI) one, whatever
 * it holds; tallied by label. MONITOR, the server's view, shows a pipeline's commands one by one.
 */
class ClientSideCounter {
  readonly byLabel = new Map<string, number>();
  pipelines = 0;
  pipelinedCommands = 0;
  private counting = false;
  private readonly originalSend = IORedis.prototype.sendCommand;
  private readonly originalExec = Pipeline.prototype.exec;

  constructor(isIngester: (name: string) => boolean, scripts: Map<string, string>) {
    const self = this;
    const ingesterInstance = (redis: IORedis) => isIngester(redis.options.connectionName ?? '') && !redis.options.monitor;
    const words = (command: { name: string; args: unknown[] }) => [command.name, ...command.args.slice(0, 3).map((arg) => String(arg))];
    IORedis.prototype.sendCommand = function (this: IORedis, ...args: Parameters<IORedis['sendCommand']>) {
      const stream = args[1] as { isPipeline?: boolean } | undefined;
      if (self.counting && ingesterInstance(this)) {
        if (stream?.isPipeline) self.pipelinedCommands++;
        else increment(self.byLabel, ownCode(label(words(args[0] as unknown as { name: string; args: unknown[] }), scripts)));
      }
      return self.originalSend.apply(this, args);
    };
    Pipeline.prototype.exec = function (this: Pipeline, ...args) {
      const pipeline = this as unknown as { redis: IORedis; _queue: Array<{ name: string; args: unknown[] }> };
      if (self.counting && ingesterInstance(pipeline.redis)) {
        self.pipelines++;
        const queued = pipeline._queue;
        const names = [...new Set(queued.map((command) => command.name))].join('+');
        const first = queued[0] ? String(queued[0].args[0] ?? '') : '';
        increment(self.byLabel, ownCode(`pipeline of ${queued.length} ${names} [${keyFamily(first)}]`));
      }
      return self.originalExec.apply(this, args);
    } as Pipeline['exec'];
  }

  start(): void {
    this.counting = true;
  }

  stop(): void {
    this.counting = false;
  }

  uninstall(): void {
    IORedis.prototype.sendCommand = this.originalSend;
    Pipeline.prototype.exec = this.originalExec;
  }
}

/**
 * `hopper …` for what the ingester's own code sends: its scripts, the quota release, and anything on `dispatch`
 * (the ingester never consumes that queue: its calls there are the dispatch add and the band lengths).
 */
function ownCode(what: string): string {
  if (what.startsWith('hopper ')) return what;
  return what.includes('[dispatch]') ? `hopper ${what}` : what;
}

/** Waits until the ingester's `ingest` and `complete` queues have finished `count` jobs each (nothing active). */
async function settled(redis: IORedis, config: HopperConfig, count: number): Promise<void> {
  const queues = [QueueName.Ingest, QueueName.Complete].map((name) => new Queue(name, { connection: redis, prefix: config.redis.prefix }));
  try {
    for (const queue of queues) {
      for (;;) {
        const counts = await queue.getJobCounts('completed', 'active', 'failed');
        if (counts.failed) throw new Error(`${queue.name}: ${counts.failed} failed jobs`);
        if (counts.completed >= count && counts.active === 0) break;
        await sleep(20);
      }
    }
  } finally {
    for (const queue of queues) await queue.close();
  }
  await sleep(100);
}

async function commandstats(redis: IORedis): Promise<Map<string, number>> {
  const info = await redis.info('commandstats');
  const stats = new Map<string, number>();
  for (const match of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) stats.set(match[1], Number(match[2]));
  return stats;
}

/** address → name of every client connected. */
async function clientNames(redis: IORedis): Promise<Map<string, string>> {
  const list = (await redis.client('LIST')) as string;
  const clients = new Map<string, string>();
  for (const line of list.split('\n').filter(Boolean)) {
    // `name=…` may itself hold `=` (BullMQ names end in base64 padding): split at the first one only.
    const fields = Object.fromEntries(line.split(' ').map((field) => [field.slice(0, field.indexOf('=')), field.slice(field.indexOf('=') + 1)]));
    clients.set(fields.addr, fields.name ?? '');
  }
  return clients;
}

/**
 * A redis-server of this run's own on a free loopback port, without persistence, so its commandstats are this
 * run's alone; stopped (by its pid) at the end. Falls back to HOPPER_REDIS_URL when redis-server is not on PATH.
 */
async function startPrivateRedis(): Promise<{ url: string; child: ChildProcess | null; stop: () => void }> {
  if (spawnSync('redis-server', ['--version']).status !== 0) {
    return { url: ingesterServiceEnv().HOPPER_REDIS_URL!, child: null, stop: () => undefined };
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'hopper-bench-redis-'));
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  });
  const stop = () => {
    child.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  };
  const url = `redis://127.0.0.1:${port}`;
  const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  probe.on('error', () => undefined); // refused until the server listens: retried below
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await probe.connect();
        await probe.ping();
        break;
      } catch (error) {
        if (attempt > 50) throw error;
        probe.disconnect();
        await sleep(100);
      }
    }
  } catch (error) {
    stop();
    throw error;
  } finally {
    probe.disconnect();
  }
  return { url, child, stop };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function increment(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const calls of counts.values()) total += calls;
  return total;
}

function filterKeys(counts: Map<string, number>, keep: (key: string) => boolean): Map<string, number> {
  return new Map([...counts].filter(([key]) => keep(key)));
}

function sortedRecord(counts: Map<string, number>, n: number): Record<string, number> {
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1]).map(([key, calls]) => [key, round(calls / n)]));
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
