import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Connection } from 'mongoose';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { HopperConfig, loadConfig } from '@hopper/config';
import { ALERT_COLLECTION, connectMongo, SUBMISSION_COLLECTION } from '@hopper/datastore';
import {
  createQueue,
  DispatchTask,
  IngestStatus,
  IngestTask,
  NotificationMessage,
  NotificationQueues,
  QueueName,
  ScanRegistry,
} from '@hopper/queues';
import { ingestTask, StubDispatcher, StubVerdict } from './support/ingester-harness';
import { freePort, waitForStatus } from './support/ports';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

/*
 * The ingester as operators scale it: several separate processes (built `dist/apps/ingester/src/main.js`,
 * `npm test` builds first) on the same Redis and MongoDB, with a stub dispatcher in the test process. The
 * claim / complete / notify steps are Lua scripts in Redis, so whatever process runs a step, and however
 * often BullMQ runs it (a process killed mid-job), every ingest must end with exactly one notification and
 * every scan must be dispatched once.
 *
 * The last three tests show product bugs (see their comments): an ingest run again after it ended starts
 * a second scan and loses its final status; a job BullMQ fails for good after it stalled twice leaves its
 * ingests without an end.
 */

const root = resolve(__dirname, '..');
const INGESTER_MAIN = join(root, 'dist', 'apps', 'ingester', 'src', 'main.js');
/** Jobs each ingester process runs at once (per queue): more than the default, so the processes race more. */
const CONCURRENCY = 8;
/** Lock (and stalled-check interval) of the spawned ingesters, seconds: a killed one's jobs move on quickly. */
const LOCK_SECONDS = 3;

interface Child {
  name: string;
  /** Its status port (/readyz). */
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function spawnIngester(name: string, env: NodeJS.ProcessEnv, port: number): Child {
  return spawnNode(name, [INGESTER_MAIN], { ...env, HOPPER_INGESTER_METRICS_PORT: String(port) }, port);
}

/**
 * A process that takes one job of a queue and never finishes it: it stands for an ingester that died (or
 * hung) in the middle of a job. Its lock is short (2 s), and it looks for stalled jobs every second.
 */
const HOLDER_SCRIPT = `
const { Worker } = require('bullmq');
const IORedis = require('ioredis');
const connection = new IORedis(process.env.HOLDER_REDIS_URL, { maxRetriesPerRequest: null });
const worker = new Worker(process.env.HOLDER_QUEUE, () => new Promise(() => {}), {
  connection, prefix: process.env.HOLDER_PREFIX, lockDuration: 2000, stalledInterval: 1000,
});
worker.on('active', (job) => process.stdout.write('active ' + job.id + '\\n'));
`;

function spawnHolder(name: string, queue: QueueName, redisUrl: string, prefix: string): Child {
  const env = { PATH: process.env.PATH, HOLDER_REDIS_URL: redisUrl, HOLDER_PREFIX: prefix, HOLDER_QUEUE: queue };
  return spawnNode(name, ['-e', HOLDER_SCRIPT], env, 0);
}

function spawnNode(name: string, args: string[], env: NodeJS.ProcessEnv, port: number): Child {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { name, port, child, output: () => output, exited };
}

function logLines(child: Child): Array<Record<string, unknown>> {
  return child
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return []; // the last line of a killed process may be cut
      }
    });
}

/** The sids a process dispatched, from its debug log (`scan dispatched`), to show both processes worked. */
function dispatchedBy(child: Child): string[] {
  return logLines(child)
    .filter((line) => line.msg === 'scan dispatched')
    .map((line) => String(line.sid));
}

/** Lines logged at error or fatal level. */
function errorsOf(child: Child): string[] {
  return logLines(child)
    .filter((line) => Number(line.level) >= 50)
    .map((line) => JSON.stringify(line));
}

/**
 * Polls `read` until `done` accepts its answer. The deadline is only there to fail with a useful message
 * (what was last seen) before jest's own timeout would fail the test without one; it is never a measure.
 */
async function waitUntil<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  deadlineMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  let last: T | undefined;
  for (;;) {
    last = await read();
    if (done(last)) return last;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

function sha256Of(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

function duplicatesOf(values: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const value of values) (seen.has(value) ? twice : seen).add(value);
  return [...twice];
}

/**
 * One isolated deployment: its own queue prefix, database and filestore directory (as `isolatedConfig`
 * makes them), N ingester processes sharing it, and the stub dispatcher answering every scan alike.
 */
interface Rig {
  env: NodeJS.ProcessEnv;
  config: HopperConfig;
  children: Child[];
  ingest: Queue<IngestTask>;
  dispatch: Queue;
  complete: Queue;
  dispatcher: StubDispatcher;
  notifications: NotificationQueues;
  registry: ScanRegistry;
  mongo: Connection;
  dirs: string[];
  /** Other processes a test started (stopped with the rig). */
  helpers: Child[];
}

describe('ingester processes side by side (built app, real Redis and MongoDB, stub dispatcher)', () => {
  let connection: IORedis;
  let rig: Rig | null = null;

  beforeAll(() => {
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await connection.quit();
  });

  afterEach(async () => {
    if (rig) await stopRig(rig);
    rig = null;
  });

  async function startRig(
    label: string,
    processes: number,
    verdict: (task: DispatchTask) => StubVerdict | Promise<StubVerdict> = () => ({ score: 10 }),
  ): Promise<Rig> {
    const id = uniqueId(label);
    const services = serviceEnv();
    const filestore = mkdtempSync(join(tmpdir(), 'hopper-files-'));
    const overlayDir = mkdtempSync(join(tmpdir(), 'hopper-config-'));
    // Worker settings have no environment variables: they are set through the HOPPER_CONFIG overlay file. A
    // short lock makes a killed process's jobs go to the other one within seconds instead of a minute.
    const overlay = join(overlayDir, 'ingester.yml');
    writeFileSync(overlay, `workers:\n  ingester:\n    concurrency: ${CONCURRENCY}\n    lock_seconds: ${LOCK_SECONDS}\n`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOPPER_CONFIG: overlay,
      HOPPER_REDIS_URL: services.HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongoUrlFor(`hopper_test_${id}`),
      HOPPER_QUEUE_PREFIX: `{test-${id}}`,
      HOPPER_FILESTORE_DIR: filestore,
      // debug: each process logs `scan dispatched` with the sid, so the test can see both took work.
      HOPPER_LOG_LEVEL: 'debug',
    };
    // The same configuration the children load, for the prefix and the job options the API would use.
    const config = loadConfig({ env });
    const prefix = config.redis.prefix;
    const mongo = await connectMongo(env.HOPPER_MONGO_URL!);
    const children: Child[] = [];
    for (let i = 0; i < processes; i++) {
      children.push(spawnIngester(`ingester-${i + 1}`, env, await freePort()));
    }
    const started: Rig = {
      env,
      config,
      children,
      ingest: createQueue<IngestTask>(QueueName.Ingest, { connection, prefix }),
      dispatch: createQueue(QueueName.Dispatch, { connection, prefix }),
      complete: createQueue(QueueName.Complete, { connection, prefix }),
      dispatcher: new StubDispatcher(connection, prefix, verdict),
      notifications: new NotificationQueues(connection, prefix),
      registry: new ScanRegistry(connection, { prefix }),
      mongo,
      dirs: [filestore, overlayDir],
      helpers: [],
    };
    rig = started;
    // Ready = Redis, MongoDB and the filestore answer (the status port of each process)...
    await Promise.all(children.map((running) => waitForStatus(`http://127.0.0.1:${running.port}/readyz`, 200, 30_000)));
    // ...and both queues have a worker of every process blocked on them (BullMQ names its connections, so
    // CLIENT LIST shows them), so the ingests added next are shared from the start rather than taken by
    // whichever process came up first.
    await waitUntil(
      'every process to take ingest and complete jobs',
      async () => [await started.ingest.getWorkersCount(), await started.complete.getWorkersCount()],
      (counts) => counts.every((count) => count >= processes),
      30_000,
    );
    return started;
  }

  async function stopRig(current: Rig): Promise<void> {
    // SIGKILL: the state is thrown away anyway, and a graceful stop could wait up to shutdown_grace_seconds.
    const all = [...current.children, ...current.helpers];
    for (const running of all) if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await Promise.all(all.map((running) => running.exited));
    await current.dispatcher.close();
    for (const queue of [current.ingest, current.dispatch, current.complete]) {
      await queue.obliterate({ force: true });
      await queue.close();
    }
    // The scan registry, statuses, markers and notification queues live under the same prefix (RedisKeys).
    for (const pattern of [`${current.config.redis.prefix}:*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await connection.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        if (keys.length) await connection.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    }
    await current.mongo.dropDatabase();
    await current.mongo.close();
    for (const dir of current.dirs) rmSync(dir, { recursive: true, force: true });
  }

  /** Adds the tasks as the API does: job id = ingest_id, `max_retries` retries `retry_delay_seconds` apart. */
  async function addIngests(current: Rig, tasks: IngestTask[]): Promise<void> {
    const { max_retries, retry_delay_seconds } = current.config.core.ingester;
    const opts = (task: IngestTask) => ({
      jobId: task.ingest_id,
      attempts: max_retries + 1,
      backoff: { type: 'fixed' as const, delay: retry_delay_seconds * 1000 },
    });
    for (let i = 0; i < tasks.length; i += 250) {
      await current.ingest.addBulk(tasks.slice(i, i + 250).map((task) => ({ name: QueueName.Ingest, data: task, opts: opts(task) })));
    }
  }

  /** Moves what waits on notification queue `name` into `into`; answers how many were collected so far. */
  async function collect(current: Rig, name: string, into: NotificationMessage[]): Promise<number> {
    for (;;) {
      const batch = await current.notifications.popMany(name, 1000);
      into.push(...batch);
      if (batch.length < 1000) return into.length;
    }
  }

  /**
   * Jobs not yet finished, read in the order work flows (ingest → dispatch → complete): a job moving on
   * while the counts are read lands in a queue read later, so all zero means no work is left anywhere.
   * Active jobs of a killed process count too: they stay active until BullMQ finds them stalled. The
   * `dispatch` queue always holds the delayed time-out sweep of the dispatchers' job scheduler, left out by
   * name; the `complete` queue's delayed jobs are left out (an older ingester's sweep scheduler may linger).
   */
  async function unfinished(current: Rig): Promise<Record<string, number>> {
    const busy = ['waiting', 'active', 'prioritized', 'paused', 'waiting-children'] as const;
    return {
      ingest: sum(await current.ingest.getJobCounts(...busy, 'delayed')),
      dispatch: sum(await current.dispatch.getJobCounts(...busy)) + (await current.dispatch.getDelayed()).filter((job) => job.name !== 'sweep').length,
      complete: sum(await current.complete.getJobCounts(...busy)),
    };
  }

  /**
   * Waits until `expected` notifications arrived and no job is left; then collects once more, so a
   * notification sent twice (after the first `expected`) would be in `into` too.
   */
  async function settle(current: Rig, name: string, into: NotificationMessage[], expected: number, deadlineMs: number): Promise<void> {
    await waitUntil(
      `${expected} notifications and no unfinished job`,
      async () => ({ notifications: await collect(current, name, into), unfinished: await unfinished(current) }),
      (state) => state.notifications >= expected && Object.values(state.unfinished).every((count) => count === 0),
      deadlineMs,
    );
    await collect(current, name, into);
  }

  async function statuses(current: Rig, tasks: IngestTask[]): Promise<Array<IngestStatus | null>> {
    return Promise.all(tasks.map((task) => current.registry.status(task.ingest_id)));
  }

  async function expectNoFailedJobs(current: Rig): Promise<void> {
    expect({
      ingest: (await current.ingest.getJobCounts('failed')).failed,
      dispatch: (await current.dispatch.getJobCounts('failed')).failed,
      complete: (await current.complete.getJobCounts('failed')).failed,
    }).toEqual({ ingest: 0, dispatch: 0, complete: 0 });
  }

  it('two processes on 1,000 ingests of distinct files: one notification each, each scan dispatched once', async () => {
    const current = await startRig('ingproc', 2);
    const queue = uniqueId('nq');
    const tasks = Array.from({ length: 1000 }, (_, i) => ingestTask({ queue, sha256: sha256Of(`distinct-${i}-${randomBytes(4).toString('hex')}`) }));
    const started = Date.now();
    await addIngests(current, tasks);
    const messages: NotificationMessage[] = [];
    await settle(current, queue, messages, tasks.length, 150_000);
    console.info(`distinct files: ${messages.length} notifications in ${Date.now() - started} ms`);

    const ingestIds = messages.map((message) => message.ingest_id);
    expect(duplicatesOf(ingestIds)).toEqual([]);
    expect(messages).toHaveLength(1000);
    expect(new Set(ingestIds)).toEqual(new Set(tasks.map((task) => task.ingest_id)));
    expect(messages.every((message) => message.failure === '' && message.score === 10)).toBe(true);

    // 1,000 distinct files: 1,000 distinct sids, each ingest's own, each dispatched exactly once.
    const sids = messages.map((message) => message.submission.sid!);
    expect(duplicatesOf(sids)).toEqual([]);
    expect(duplicatesOf(current.dispatcher.dispatched)).toEqual([]);
    expect(current.dispatcher.dispatched).toHaveLength(1000);
    expect(new Set(current.dispatcher.dispatched)).toEqual(new Set(sids));
    expect(await current.mongo.collection(SUBMISSION_COLLECTION).countDocuments()).toBe(1000);
    const ended = await statuses(current, tasks);
    expect(ended.filter((status) => status?.state === 'completed' && status.outcome === 'new')).toHaveLength(1000);

    // Both processes did part of the work (each logs the sids it dispatched), and together all of it once.
    const [first, second] = current.children.map(dispatchedBy);
    console.info(`distinct files: dispatched by process 1: ${first.length}, by process 2: ${second.length}`);
    expect(first.length).toBeGreaterThan(0);
    expect(second.length).toBeGreaterThan(0);
    expect([...first, ...second].sort()).toEqual([...sids].sort());
    await expectNoFailedJobs(current);
    for (const running of current.children) expect({ name: running.name, errors: errorsOf(running) }).toEqual({ name: running.name, errors: [] });
  }, 180_000);

  it('two processes on 1,000 ingests of 10 files: 10 dispatches, 1,000 notifications', async () => {
    const current = await startRig('ingproc', 2);
    const queue = uniqueId('nq');
    const files = Array.from({ length: 10 }, (_, i) => sha256Of(`shared-${i}-${randomBytes(4).toString('hex')}`));
    const tasks = shuffled(Array.from({ length: 1000 }, (_, i) => ingestTask({ queue, sha256: files[i % files.length] })));
    const started = Date.now();
    await addIngests(current, tasks);
    const messages: NotificationMessage[] = [];
    await settle(current, queue, messages, tasks.length, 150_000);
    console.info(`shared files: ${messages.length} notifications in ${Date.now() - started} ms`);

    const ingestIds = messages.map((message) => message.ingest_id);
    expect(duplicatesOf(ingestIds)).toEqual([]);
    expect(messages).toHaveLength(1000);
    expect(new Set(ingestIds)).toEqual(new Set(tasks.map((task) => task.ingest_id)));
    expect(messages.every((message) => message.failure === '' && message.score === 10)).toBe(true);

    // One scan per file: 10 dispatches of 10 distinct sids, and every ingest of a file got that file's sid.
    expect(duplicatesOf(current.dispatcher.dispatched)).toEqual([]);
    expect(current.dispatcher.dispatched).toHaveLength(10);
    const sidsByFile = new Map<string, Set<string>>();
    for (const message of messages) {
      const sha256 = message.submission.files[0].sha256;
      sidsByFile.set(sha256, (sidsByFile.get(sha256) ?? new Set()).add(message.submission.sid!));
    }
    expect([...sidsByFile.keys()].sort()).toEqual([...files].sort());
    expect([...sidsByFile.values()].every((sids) => sids.size === 1)).toBe(true);
    expect(new Set([...sidsByFile.values()].flatMap((sids) => [...sids]))).toEqual(new Set(current.dispatcher.dispatched));
    expect(await current.mongo.collection(SUBMISSION_COLLECTION).countDocuments()).toBe(10);

    // Exactly one ingest per file started its scan; the others attached to it or were answered from the cache.
    const ended = await statuses(current, tasks);
    expect(ended.every((status) => status?.state === 'completed')).toBe(true);
    expect(ended.filter((status) => status!.outcome === 'new')).toHaveLength(10);
    expect(ended.every((status) => ['new', 'attached', 'cached'].includes(status!.outcome!))).toBe(true);
    const [first, second] = current.children.map(dispatchedBy);
    console.info(
      `shared files: dispatched by process 1: ${first.length}, by process 2: ${second.length}; outcomes: ` +
        JSON.stringify(countBy(ended.map((status) => status!.outcome!))),
    );
    await expectNoFailedJobs(current);
    for (const running of current.children) expect({ name: running.name, errors: errorsOf(running) }).toEqual({ name: running.name, errors: [] });
  }, 180_000);

  it('one of two processes killed with SIGKILL mid-run: still exactly one notification per ingest', async () => {
    const current = await startRig('ingkill', 2);
    const queue = uniqueId('nq');
    // 900 distinct files and 100 ingests of 5 shared files (interleaved): the killed process may be cut
    // off in a new scan, an attach, or a completion notifying many attached ingests.
    const shared = Array.from({ length: 5 }, (_, i) => sha256Of(`killshared-${i}-${randomBytes(4).toString('hex')}`));
    const tasks = shuffled([
      ...Array.from({ length: 900 }, (_, i) => ingestTask({ queue, sha256: sha256Of(`kill-${i}-${randomBytes(4).toString('hex')}`) })),
      ...Array.from({ length: 100 }, (_, i) => ingestTask({ queue, sha256: shared[i % shared.length] })),
    ]);
    const files = new Set(tasks.map((task) => task.submission.files[0].sha256));
    const started = Date.now();
    await addIngests(current, tasks);
    const messages: NotificationMessage[] = [];

    // Wait for the run to be under way (some notifications, checked below to be fewer than all), so the
    // victim is killed while it is busy with ingest and completion jobs.
    const atKill = await waitUntil(
      'the run to be under way',
      async () => ({ notifications: await collect(current, queue, messages), unfinished: await unfinished(current) }),
      (state) => state.notifications >= 100,
      120_000,
    );
    const [victim, survivor] = current.children;
    victim.child.kill('SIGKILL');
    // Wait for the exit so that nothing the victim had in flight can still reach Redis after this point.
    const exit = await victim.exited;
    expect(exit.signal).toBe('SIGKILL');
    const killedAt = Date.now();
    console.info(
      `kill: SIGKILL after ${killedAt - started} ms, ${atKill.notifications} notifications, unfinished ${JSON.stringify(atKill.unfinished)}`,
    );
    expect(atKill.notifications).toBeLessThan(tasks.length);

    // The survivor finishes the run. The victim's active jobs keep their BullMQ locks until they lapse
    // (workers.ingester.lock_seconds); the survivor's stalled-job check (as often) then moves them back to
    // wait and runs them again.
    await settle(current, queue, messages, tasks.length, 150_000);
    console.info(`kill: all ${messages.length} notifications ${Date.now() - killedAt} ms after the kill (${Date.now() - started} ms in all)`);

    const ingestIds = messages.map((message) => message.ingest_id);
    expect(duplicatesOf(ingestIds)).toEqual([]);
    expect(messages).toHaveLength(1000);
    expect(new Set(ingestIds)).toEqual(new Set(tasks.map((task) => task.ingest_id)));
    expect(messages.every((message) => message.failure === '' && message.score === 10)).toBe(true);

    // One scan per file, dispatched once, and every ingest of a file notified with that scan's sid.
    expect(duplicatesOf(current.dispatcher.dispatched)).toEqual([]);
    expect(current.dispatcher.dispatched).toHaveLength(files.size);
    const sidsByFile = new Map<string, Set<string>>();
    for (const message of messages) {
      const sha256 = message.submission.files[0].sha256;
      sidsByFile.set(sha256, (sidsByFile.get(sha256) ?? new Set()).add(message.submission.sid!));
    }
    expect(sidsByFile.size).toBe(files.size);
    expect([...sidsByFile.values()].every((sids) => sids.size === 1)).toBe(true);
    expect(new Set([...sidsByFile.values()].flatMap((sids) => [...sids]))).toEqual(new Set(current.dispatcher.dispatched));
    expect(await current.mongo.collection(SUBMISSION_COLLECTION).countDocuments()).toBe(files.size);
    const ended = await statuses(current, tasks);
    expect(ended.every((status) => status?.state === 'completed')).toBe(true);
    await expectNoFailedJobs(current);

    // What the kill interrupted: jobs BullMQ found stalled and ran again (their stalled counter is kept).
    const recovered = {
      ingest: (await current.ingest.getJobs(['completed'], 0, -1)).filter((job) => job.stalledCounter > 0).length,
      complete: (await current.complete.getJobs(['completed'], 0, -1)).filter((job) => job.stalledCounter > 0).length,
    };
    console.info(
      `kill: dispatched by victim ${dispatchedBy(victim).length}, by survivor ${dispatchedBy(survivor).length}; ` +
        `jobs recovered as stalled: ${JSON.stringify(recovered)}; outcomes ${JSON.stringify(countBy(ended.map((status) => status!.outcome!)))}`,
    );
    expect({ name: survivor.name, errors: errorsOf(survivor) }).toEqual({ name: survivor.name, errors: [] });
  }, 240_000);

  it('a process killed with SIGKILL while it notifies 1,000 ingests attached to one scan: the other notifies the rest, once each', async () => {
    // Score 1000 with generate_alert: each ingest the completion ends also writes the scan's alert in
    // MongoDB, so the completion job runs long enough to be killed in the middle of its loop.
    const current = await startRig('ingkill', 2, () => ({ score: 1000 }));
    const queue = uniqueId('nq');
    const sha256 = sha256Of(`attached-${randomBytes(4).toString('hex')}`);
    const tasks = Array.from({ length: 1000 }, () => ingestTask({ queue, sha256, params: { generate_alert: true } }));
    const [victim, survivor] = current.children;
    try {
      // Hold the scan until every ingest is attached to it (ingest queue empty, the one dispatch waiting).
      await current.dispatcher.pause();
      await addIngests(current, tasks);
      await waitUntil(
        'every ingest attached to the one scan',
        async () => ({ unfinished: await unfinished(current), dispatch: sum(await current.dispatch.getJobCounts('waiting', 'prioritized')) }),
        (state) => state.unfinished.ingest === 0 && state.dispatch === 1,
        120_000,
      );
      // Freeze the survivor, so the scan's one completion job can only be taken by the victim.
      survivor.child.kill('SIGSTOP');
      current.dispatcher.resume();
      // The first notifications show the victim is inside the completion's loop: kill it there.
      const messages: NotificationMessage[] = [];
      await waitUntil('the first notifications', () => collect(current, queue, messages), (count) => count > 0, 120_000, 10);
      victim.child.kill('SIGKILL');
      // Wait for the exit so that nothing the victim had in flight can still reach Redis after this point.
      expect((await victim.exited).signal).toBe('SIGKILL');
      const atKill = await collect(current, queue, messages);
      const killedAt = Date.now();
      survivor.child.kill('SIGCONT');
      console.info(`kill in completion: ${atKill} of 1000 ingests notified when the victim died`);
      expect(atKill).toBeLessThan(tasks.length);

      // The completion job stays active, locked by the dead process, until its lock lapses (lock_seconds)
      // and the survivor's stalled-job check hands it back.
      await settle(current, queue, messages, tasks.length, 150_000);
      console.info(`kill in completion: the other ${messages.length - atKill} notified ${Date.now() - killedAt} ms after the kill`);
      const ingestIds = messages.map((message) => message.ingest_id);
      expect(duplicatesOf(ingestIds)).toEqual([]);
      expect(messages).toHaveLength(1000);
      expect(new Set(ingestIds)).toEqual(new Set(tasks.map((task) => task.ingest_id)));
      expect(current.dispatcher.dispatched).toHaveLength(1);
      expect(messages.every((message) => message.submission.sid === current.dispatcher.dispatched[0] && message.score === 1000)).toBe(true);
      const ended = await statuses(current, tasks);
      expect(ended.every((status) => status?.state === 'completed' && status.sid === current.dispatcher.dispatched[0])).toBe(true);
      expect(countBy(ended.map((status) => status!.outcome!))).toEqual({ new: 1, attached: 999 });
      // One alert for the scan, naming every ingest, although the completion was cut off and run again.
      const alerts = await current.mongo.collection<{ _id: string; ingest_ids: string[] }>(ALERT_COLLECTION).find({}).toArray();
      expect(alerts).toHaveLength(1);
      expect(new Set(alerts[0].ingest_ids)).toEqual(new Set(tasks.map((task) => task.ingest_id)));
      const [completion] = (await current.complete.getJobs(['completed'], 0, -1)).filter((job) => job.name !== 'sweep');
      expect(completion.stalledCounter).toBe(1);
      await expectNoFailedJobs(current);
      expect({ name: survivor.name, errors: errorsOf(survivor) }).toEqual({ name: survivor.name, errors: [] });
    } finally {
      if (survivor.child.exitCode === null) survivor.child.kill('SIGCONT');
    }
  }, 240_000);
  /*
   * BullMQ runs a job again when the process running it died (or lost its lock) after the ingest step was
   * done but before the job was recorded as completed; with two processes and kill -9 this is what the
   * stalled-job recovery above does. A re-run of an ingest that has already ended must change nothing. The
   * re-run is made deterministic here by queueing the same task again under another job id: the same data
   * through the same processor, as the recovery would run it.
   */
  it('an ingest run again after it ended starts no second scan and keeps its final status', async () => {
    const failing = sha256Of(`failing-${randomBytes(4).toString('hex')}`);
    const current = await startRig('ingrerun', 2, async (task) => {
      const submissions = rig!.mongo.collection<{ _id: string; files: Array<{ sha256: string }> }>(SUBMISSION_COLLECTION);
      const submission = await submissions.findOne({ _id: task.sid });
      return submission?.files[0].sha256 === failing ? { failure: 'scan failed' } : { score: 10 };
    });
    const queue = uniqueId('nq');
    // A scan that failed leaves nothing in the cache; ignore_cache does not read it: in both cases a re-run
    // of the ingest finds no fresh result for its file.
    const failed = ingestTask({ queue, sha256: failing });
    const fresh = ingestTask({ queue, params: { ignore_cache: true } });
    await addIngests(current, [failed, fresh]);
    const messages: NotificationMessage[] = [];
    await settle(current, queue, messages, 2, 60_000);
    const ended = await statuses(current, [failed, fresh]);
    expect(ended.map((status) => status?.state)).toEqual(['failed', 'completed']);
    expect(current.dispatcher.dispatched).toHaveLength(2);

    await current.ingest.addBulk(
      [failed, fresh].map((task) => ({ name: QueueName.Ingest, data: task, opts: { jobId: `${task.ingest_id}-rerun` } })),
    );
    // No notification is expected: wait for the re-runs and whatever they started to be finished.
    await settle(current, queue, messages, 2, 60_000);
    expect(messages).toHaveLength(2);
    expect({
      dispatched: current.dispatcher.dispatched.length,
      submissions: await current.mongo.collection(SUBMISSION_COLLECTION).countDocuments(),
      statuses: await statuses(current, [failed, fresh]),
    }).toEqual({ dispatched: 2, submissions: 2, statuses: ended });
  }, 120_000);

  /**
   * Two holder processes take the job `jobId` of `queue` in turn and are killed with it, the ingesters
   * frozen meanwhile so that only the holders can take it; then the ingesters go on. The first holder
   * takes the waiting job; the second first finds it stalled (the first one's lock lapsed 2 s after its
   * death), which puts it back to wait, and takes it. An ingester's stalled-job check (every 30 s) then
   * finds it stalled a second time, and BullMQ fails it in the ingester that takes it next, without
   * running it. Answers the job's failed reason.
   */
  async function stallTwice(current: Rig, queue: Queue, jobId: string): Promise<string | undefined> {
    for (const round of [1, 2]) {
      const holder = spawnHolder(`holder-${round}`, queue.name as QueueName, current.env.HOPPER_REDIS_URL!, current.config.redis.prefix);
      current.helpers.push(holder);
      await waitUntil(`holder ${round} to take job ${jobId}`, async () => holder.output(), (output) => output.includes(`active ${jobId}`), 90_000);
      holder.child.kill('SIGKILL');
      await holder.exited;
    }
    for (const running of current.children) running.child.kill('SIGCONT');
    await waitUntil(`BullMQ to fail job ${jobId}`, () => queue.getJobState(jobId), (state) => state === 'failed', 150_000);
    return (await queue.getJob(jobId))?.failedReason;
  }

  /** The ingesters' warnings and errors, to show what they did with the failed job. */
  function warnings(current: Rig): string {
    return current.children
      .flatMap((running) => logLines(running).filter((line) => Number(line.level) >= 40).map((line) => `${running.name}: ${JSON.stringify(line)}`))
      .join('\n');
  }

  /** Waits (a little: what ends it runs right after BullMQ failed its job) for the ingest to end. */
  async function ingestEnd(current: Rig, queue: string, task: IngestTask, into: NotificationMessage[]): Promise<string> {
    return waitUntil(
      `ingest ${task.ingest_id} to end (final status and one notification)`,
      async () => ({ notifications: await collect(current, queue, into), status: await current.registry.status(task.ingest_id) }),
      (state) => state.notifications > 0 && state.status !== null && state.status.state !== 'in_progress',
      10_000,
    ).then(
      () => 'ended',
      (error: Error) => error.message,
    );
  }

  /*
   * BullMQ fails a job that stalled more than maxStalledCount (1) times: a task that kills every process
   * that takes it, or two crashes in a row. The ingester promises that an ingest whose job failed for good
   * still ends, notified as failed ("so it never disappears silently").
   */
  it('an ingest whose ingest job BullMQ fails after two processes died holding it still ends, notified as failed', async () => {
    const current = await startRig('ingstall', 2);
    const queue = uniqueId('nq');
    const task = ingestTask({ queue });
    try {
      for (const running of current.children) running.child.kill('SIGSTOP');
      await addIngests(current, [task]);
      expect(await stallTwice(current, current.ingest, task.ingest_id)).toBe('job stalled more than allowable limit');
      const messages: NotificationMessage[] = [];
      const end = await ingestEnd(current, queue, task, messages);
      console.info(`ingest job stalled twice and failed; ingester warnings:\n${warnings(current)}`);
      expect(end).toBe('ended');
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ ingest_id: task.ingest_id, score: null });
      expect(messages[0].failure).toContain('job stalled more than allowable limit');
      expect(await current.registry.status(task.ingest_id)).toMatchObject({ state: 'failed' });
    } finally {
      for (const running of current.children) if (running.child.exitCode === null) running.child.kill('SIGCONT');
    }
  }, 240_000);

  it('the ingests of a scan whose completion job BullMQ fails after two processes died holding it still end', async () => {
    const current = await startRig('ingstall', 2);
    const queue = uniqueId('nq');
    const task = ingestTask({ queue });
    try {
      // The ingesters take the ingest and dispatch its scan; they are frozen before the scan completes.
      await current.dispatcher.pause();
      await addIngests(current, [task]);
      const waitingScans = async () => sum(await current.dispatch.getJobCounts('waiting', 'prioritized'));
      await waitUntil('the scan to be dispatched', waitingScans, (count) => count === 1, 60_000);
      for (const running of current.children) running.child.kill('SIGSTOP');
      current.dispatcher.resume();
      await waitUntil('the scan to be answered', async () => current.dispatcher.dispatched.length, (count) => count === 1, 60_000);
      const sid = current.dispatcher.dispatched[0];
      await waitUntil('its completion job', () => current.complete.getJob(sid), (job) => job !== undefined, 60_000);
      expect(await stallTwice(current, current.complete, sid)).toBe('job stalled more than allowable limit');
      // However it ends (completed with the scan's result, or failed), it ends, once.
      const messages: NotificationMessage[] = [];
      const end = await ingestEnd(current, queue, task, messages);
      console.info(`completion job stalled twice and failed; ingester warnings:\n${warnings(current)}`);
      expect(end).toBe('ended');
      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatchObject({ ingest_id: task.ingest_id });
    } finally {
      for (const running of current.children) if (running.child.exitCode === null) running.child.kill('SIGCONT');
    }
  }, 240_000);
});

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((total, count) => total + count, 0);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
