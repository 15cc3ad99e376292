import { Worker } from 'bullmq';
import { Cluster } from 'ioredis';
import { Connection } from 'mongoose';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connectMongo, UsersRepository } from '@hopper/datastore';
import { clusterNode } from '@hopper/queues';
import { ExternalServiceTask, externalServiceQueue } from '@hopper/services';
import { addUserTo, TestUser } from './support/api-app';
import { eventually } from './support/ingester-harness';
import { freePort, waitForStatus } from './support/ports';
import { keysOutsideSlot, removeDeploymentKeys } from './support/cluster-keys';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

/*
 * Hopper on a Redis Cluster of three masters (`scripts/services.sh up redis-cluster`; `npm test` starts it),
 * as operators scale it out: two API processes, two ingesters and two dispatchers (the built processes,
 * `npm run build` first), the filestore on MinIO. Every request goes to one of the two APIs at random.
 * After the runs, every key on every master must lie in the deployment's slot (its prefix's hash tag).
 * The test plays an external service (GATE) on the cluster, answering the files that select it when a case
 * says so (or never): that holds submissions in flight for the quota and time-out cases, and scores for alerts.
 */

const root = resolve(__dirname, '..');
const main = (app: string) => join(root, 'dist', 'apps', app, 'src', 'main.js');
const INGESTS = 2000;
/** Requests in flight at once: enough to keep six processes busy on a small machine. */
const PARALLEL = 24;
const ADMIN_KEY = `bootstrap:${randomBytes(16).toString('hex')}`;
const AL_HEADERS = { 'x-user': 'admin', 'x-apikey': ADMIN_KEY };
const TG_KEY = `admin:${ADMIN_KEY}`;
/** The test's external service: selected by name, so only the files of the cases below go to it. */
const GATE = 'ClusterGate';
/**
 * Short, so that a submission GATE never answers times out within the suite; far above how long any other
 * submission here runs (seconds, the kills of the first case included), so no other times out.
 */
const DISPATCH_TIMEOUT_SECONDS = 30;
const TIMEOUT_SWEEP_SECONDS = 2;
const TIMED_OUT = 'Submission timed out';
const ASYNC_FULL = (limit: number) => `You've exceeded your maximum async concurrent submission quota of ${limit}`;

type App = 'api' | 'ingester' | 'dispatcher';

interface Child {
  app: App;
  port: number;
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

function clusterNodes(): string {
  const nodes = process.env.HOPPER_TEST_REDIS_CLUSTER_NODES;
  if (!nodes) {
    throw new Error(
      'this suite needs the local Redis Cluster: `scripts/services.sh up redis-cluster && eval "$(scripts/services.sh env)"` (npm test does both)',
    );
  }
  return nodes;
}

describe('Hopper on a Redis Cluster: two APIs, two ingesters, two dispatchers', () => {
  const id = uniqueId('cluster');
  const prefix = `{test-${id}}`;
  const children: Child[] = [];
  let env: NodeJS.ProcessEnv;
  let redis: Cluster;
  let web: Server;
  let webPort: number;
  let mongo: Connection;
  let users: UsersRepository;
  let gate: Worker<ExternalServiceTask>;
  let gateConnection: Cluster;
  /** How GATE answers the task of a file (by sha256): a result scoring `score` once `release` resolves, or never. */
  const gatePlans = new Map<string, { score: number; release: Promise<void> } | 'never'>();
  const gateTasks = new Set<string>();
  const gateFailures: string[] = [];

  function spawnApp(app: App, port: number): Child {
    const portEnv = app === 'api' ? { HOPPER_API_PORT: String(port), HOPPER_API_HOST: '127.0.0.1' } : { [`HOPPER_${app.toUpperCase()}_METRICS_PORT`]: String(port) };
    const child = spawn(process.execPath, [main(app)], { cwd: root, env: { ...env, ...portEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk) => (output += chunk));
    child.stderr!.on('data', (chunk) => (output += chunk));
    const running = { app, port, child, output: () => output, exited: new Promise((done) => child.once('exit', done)) };
    children.push(running);
    return running;
  }

  const apis = () => children.filter((c) => c.app === 'api' && c.child.exitCode === null && c.child.signalCode === null);
  /** One of the two APIs, at random. */
  const anyApi = () => {
    const live = apis();
    return `http://127.0.0.1:${live[Math.floor(Math.random() * live.length)].port}`;
  };

  /** A request to `api` (by default one of the two at random). */
  async function call(path: string, init: RequestInit = {}, api = anyApi()): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${api}${path}`, { ...init, headers: { ...AL_HEADERS, ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  function uploadForm(content: Buffer, json: Record<string, unknown>, field = 'bin'): FormData {
    const form = new FormData();
    form.append('json', JSON.stringify(json));
    form.append(field, new Blob([content]), 'sample.bin');
    return form;
  }

  /** POST /api/v4/ingest/ (assemblyline_client's `ingest(path=…)`), as the admin unless `user` is given. */
  const postIngest = (content: Buffer, nq: string, extra: Record<string, unknown> = {}, user?: TestUser, api = anyApi()) =>
    call('/api/v4/ingest/', { method: 'POST', headers: user?.headers, body: uploadForm(content, { name: 'sample.bin', notification_queue: nq, ...extra }) }, api);

  /** The same, expecting it accepted: the ingest id. */
  async function ingestUpload(content: Buffer, nq: string, extra: Record<string, unknown> = {}, user?: TestUser): Promise<string> {
    const answer = await postIngest(content, nq, extra, user);
    if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.api_response.ingest_id;
  }

  /** Ingest parameters that send the file to GATE only. */
  const toGate = { params: { services: { selected: [GATE] } } };

  /** The next `count` messages of `nq`, whatever they say. */
  async function messagesOf(nq: string, count: number): Promise<any[]> {
    const messages: any[] = [];
    while (messages.length < count) {
      const { status, body } = await call(`/api/v4/ingest/get_message_list/${nq}/?page_size=500`);
      if (status !== 200) throw new Error(`get_message_list answered ${status}`);
      messages.push(...body.api_response);
      if (!body.api_response.length) await sleep(200);
    }
    return messages;
  }

  async function ingestJson(body: Record<string, unknown>, headers: Record<string, string> = {}) {
    return call('/api/v4/ingest/', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });
  }

  /** Every message of `nq` until `expected` ingest ids have been seen (assemblyline_client's `ingest.get_message_list`). */
  async function drain(nq: string, expected: number, seen: Map<string, number>, onProgress: (count: number) => Promise<void> = async () => {}) {
    for (let idle = 0; seen.size < expected; ) {
      const { status, body } = await call(`/api/v4/ingest/get_message_list/${nq}/?page_size=500`);
      if (status !== 200) throw new Error(`get_message_list answered ${status}`);
      for (const message of body.api_response) {
        expect(message.failure).toBe('');
        seen.set(message.ingest_id, (seen.get(message.ingest_id) ?? 0) + 1);
      }
      await onProgress(seen.size);
      idle = body.api_response.length ? 0 : idle + 1;
      if (idle > 1500) throw new Error(`${nq}: ${seen.size} of ${expected} notifications after a long wait`);
      if (!body.api_response.length) await sleep(200);
    }
  }

  beforeAll(async () => {
    const services = serviceEnv();
    web = createServer((req, res) => res.writeHead(200).end(`hopper cluster url sample ${req.url}\n`));
    await new Promise<void>((done) => web.listen(0, '127.0.0.1', done));
    webPort = (web.address() as AddressInfo).port;
    const overlay = join(mkdtempSync(join(tmpdir(), 'hopper-cluster-')), 'cluster.yml');
    writeFileSync(
      overlay,
      [
        'workers:',
        // Short locks: a killed worker's jobs go to the other one within seconds.
        '  ingester: { concurrency: 8, lock_seconds: 4 }',
        '  dispatcher: { concurrency: 8, lock_seconds: 4 }',
        'file_sources:',
        `  allow_networks: ['127.0.0.1/32']`,
        `  allowed_ports: [${webPort}]`,
        'core:',
        '  ingester:',
        `    dispatch_timeout_seconds: ${DISPATCH_TIMEOUT_SECONDS}`,
        `    timeout_sweep_interval_seconds: ${TIMEOUT_SWEEP_SECONDS}`,
        'services:',
        '  external:',
        `    - { name: ${GATE}, version: 1.0.0, category: ${GATE}, timeout_seconds: 3600 }`,
        'threatgrid:',
        '  organizations:',
        '    default:',
        '      id: 1',
        '      submission_rate_limit: [{ samples: 50, minutes: 1440 }]',
      ].join('\n'),
    );
    env = {
      PATH: process.env.PATH,
      HOPPER_CONFIG: overlay,
      HOPPER_REDIS_CLUSTER_NODES: clusterNodes(),
      HOPPER_QUEUE_PREFIX: prefix,
      HOPPER_MONGO_URL: mongoUrlFor(`hopper_test_${id}`),
      HOPPER_FILESTORE: 's3',
      HOPPER_S3_ENDPOINT: services.HOPPER_S3_ENDPOINT,
      HOPPER_S3_ACCESS_KEY: services.HOPPER_S3_ACCESS_KEY,
      HOPPER_S3_SECRET_KEY: services.HOPPER_S3_SECRET_KEY,
      HOPPER_S3_BUCKET: `test-${id.replace(/_/g, '-').toLowerCase()}`,
      HOPPER_ADMIN_APIKEY: ADMIN_KEY,
      HOPPER_ADMIN_CREDENTIALS_FILE: join(mkdtempSync(join(tmpdir(), 'hopper-admin-')), 'admin-credentials'),
      HOPPER_LOG_LEVEL: 'warn',
    };
    redis = new Cluster(clusterNodes().split(',').map(clusterNode));
    mongo = await connectMongo(env.HOPPER_MONGO_URL!);
    users = new UsersRepository(mongo);
    // GATE on the cluster (BullMQ blocks on its connection: no retry limit per request).
    gateConnection = new Cluster(clusterNodes().split(',').map(clusterNode), { redisOptions: { maxRetriesPerRequest: null } });
    gate = new Worker<ExternalServiceTask>(
      externalServiceQueue(GATE),
      async (job) => {
        const { sha256: fileSha256 } = job.data.file;
        gateTasks.add(fileSha256);
        const plan = gatePlans.get(fileSha256);
        if (!plan) throw new Error(`${GATE} was given a file no case sent it: ${fileSha256}`);
        if (plan === 'never') return;
        await plan.release;
        const result = { sections: [{ title: 'Gate', body: 'verdict', heuristic: { heur_id: 'GATE.1', name: 'Gated', score: plan.score } }] };
        const path = `/api/v4/service/${GATE}/task/${encodeURIComponent(job.data.task_id)}/result/`;
        const posted = await call(path, { method: 'POST', body: JSON.stringify({ result }), headers: { 'content-type': 'application/json' } });
        if (posted.status !== 200) throw new Error(`${GATE}'s result answered ${posted.status}: ${JSON.stringify(posted.body)}`);
      },
      { connection: gateConnection, prefix, concurrency: 4 },
    );
    gate.on('failed', (job, error) => gateFailures.push(`${job?.data.file.sha256}: ${error.message}`));
    // One API first: it creates the bucket and the admin, which the others then find.
    const first = spawnApp('api', await freePort());
    await waitForStatus(`http://127.0.0.1:${first.port}/readyz`, 200, 60_000);
    for (const app of ['api', 'ingester', 'ingester', 'dispatcher', 'dispatcher'] as App[]) spawnApp(app, await freePort());
    const ready = { status: 'ready', checks: { redis: 'up', mongodb: 'up', filestore: 'up' } };
    for (const child of children) expect(await waitForStatus(`http://127.0.0.1:${child.port}/readyz`, 200, 60_000)).toEqual(ready);
  }, 120_000);

  afterAll(async () => {
    await gate?.close(true);
    await gateConnection?.quit();
    for (const { child } of children) child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await mongo?.dropDatabase();
    await mongo?.close();
    await new Promise((done) => web?.close(done));
    if (redis) await removeDeploymentKeys(redis, prefix);
    await redis?.quit();
  });

  afterEach(() => {
    for (const child of children) {
      const errors = child.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
      expect({ app: child.app, errors }).toEqual({ app: child.app, errors: [] });
    }
    expect(gateFailures).toEqual([]);
  });

  it(`notifies each of ${INGESTS} ingests exactly once while one ingester and one dispatcher are SIGKILLed and restarted`, async () => {
    const nq = `cluster_${id}`;
    const ingestIds = new Set<string>();
    const seen = new Map<string, number>();
    const started = Date.now();
    let killed = false;
    const kill = async (count: number) => {
      if (killed || count < INGESTS / 4) return;
      killed = true;
      for (const app of ['ingester', 'dispatcher'] as App[]) {
        const victim = children.find((c) => c.app === app && c.child.exitCode === null && c.child.signalCode === null)!;
        victim.child.kill('SIGKILL');
        await victim.exited;
        children.splice(children.indexOf(victim), 1);
        const restarted = spawnApp(app, await freePort());
        await waitForStatus(`http://127.0.0.1:${restarted.port}/readyz`, 200, 60_000);
      }
    };
    const sending = (async () => {
      let next = 0;
      await Promise.all(
        Array.from({ length: PARALLEL }, async () => {
          while (next < INGESTS) {
            const n = next++;
            ingestIds.add(await ingestUpload(Buffer.from(`cluster ${id} file ${n} ${randomBytes(8).toString('hex')}\n`), nq, { params: { services: { selected: [] } } }));
          }
        }),
      );
    })();
    await drain(nq, INGESTS, seen, kill);
    await sending;
    expect(killed).toBe(true);
    // Nothing more arrives: an ingest notified twice would show up here (or above, as a count of 2).
    const { body } = await call(`/api/v4/ingest/get_message_list/${nq}/`);
    expect(body.api_response).toEqual([]);
    expect([...seen.keys()].sort()).toEqual([...ingestIds].sort());
    expect([...seen.values()].filter((count) => count !== 1)).toEqual([]);
    process.stdout.write(`[redis-cluster] ${INGESTS} ingests notified in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }, 600_000);

  it('ingests by sha256 and by URL, submits, takes flow.js chunks on either API, keeps idempotency keys, and waits every submission out', async () => {
    const nq = `tour_${id}`;
    const content = Buffer.from(`cluster tour ${id}\n`);
    const byUpload = await ingestUpload(content, nq);
    const bySha = await ingestJson({ sha256: sha256(content), notification_queue: nq, name: 'again.bin' });
    expect(bySha.status).toBe(200);
    const byUrl = await ingestJson({ url: `http://127.0.0.1:${webPort}/sample.txt`, notification_queue: nq });
    expect(byUrl.status).toBe(200);

    // Idempotency-Key: the retry (on whichever API) answers the first ingest's id.
    const key = randomBytes(8).toString('hex');
    const once = await ingestJson({ sha256: sha256(content), notification_queue: nq }, { 'idempotency-key': key });
    const twice = await ingestJson({ sha256: sha256(content), notification_queue: nq }, { 'idempotency-key': key });
    expect(twice.body.api_response.ingest_id).toBe(once.body.api_response.ingest_id);

    const seen = new Map<string, number>();
    const expected = [byUpload, bySha.body.api_response.ingest_id, byUrl.body.api_response.ingest_id, once.body.api_response.ingest_id];
    await drain(nq, expected.length, seen);
    expect([...seen.keys()].sort()).toEqual([...expected].sort());

    // POST /api/v4/submit/ (assemblyline_client's `submit(path=…)`), then the submission ends.
    const submitted = await call('/api/v4/submit/', { method: 'POST', body: uploadForm(Buffer.from(`cluster submit ${id}\n`), { name: 's.bin' }) });
    expect(submitted.status).toBe(200);
    const sid = submitted.body.api_response.sid;

    // flow.js: chunks go to either API at random, then the UI starts the submission.
    const flowContent = randomBytes(100);
    const flowId = randomBytes(16).toString('hex');
    for (let n = 1; n <= 4; n++) {
      const form = new FormData();
      const fields = { flowChunkNumber: n, flowChunkSize: 32, flowCurrentChunkSize: Math.min(32, 100 - (n - 1) * 32), flowTotalSize: 100, flowIdentifier: flowId, flowFilename: 'f.bin', flowRelativePath: 'f.bin', flowTotalChunks: 4 };
      for (const [name, value] of Object.entries(fields)) form.append(name, String(value));
      form.append('file', new Blob([flowContent.subarray((n - 1) * 32, n * 32)]), 'blob');
      expect((await call('/api/v4/ui/flowjs/', { method: 'POST', body: form })).status).toBe(200);
    }
    const flowStart = await call(`/api/v4/ui/start/${flowId}/`, { method: 'POST', body: JSON.stringify({ filename: 'f.bin' }), headers: { 'content-type': 'application/json' } });
    expect(flowStart.body.api_response).toEqual({ started: true, sid: expect.any(String) });

    for (const each of [sid, flowStart.body.api_response.sid]) {
      for (let attempt = 0; ; attempt++) {
        const { body } = await call(`/api/v4/submission/is_completed/${each}/`);
        if (body.api_response === true) break;
        if (attempt > 600) throw new Error(`submission ${each} did not complete`);
        await sleep(200);
      }
    }
    const flowed = await call(`/api/v4/submission/${flowStart.body.api_response.sid}/`);
    expect(flowed.body.api_response.files).toEqual([expect.objectContaining({ sha256: sha256(flowContent), size: 100 })]);
  }, 180_000);

  it('Threat Grid: samples submitted on either API share the organization rate limit and the dedupe window', async () => {
    const submitSample = async (content: Buffer) => {
      const form = new FormData();
      form.append('api_key', TG_KEY);
      form.append('sample', new Blob([content]), 'tg.bin');
      const response = await fetch(`${anyApi()}/api/v2/samples`, { method: 'POST', body: form });
      return { status: response.status, body: (await response.json()) as any, remaining: Number(response.headers.get('ratelimit-remaining')) };
    };
    const answers: Array<Awaited<ReturnType<typeof submitSample>>> = [];
    for (let n = 0; n < 4; n++) answers.push(await submitSample(Buffer.from(`tg ${id} ${n}\n`)));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    // One window for both APIs: each sample takes one slot, whichever process counted it.
    expect(answers.map((a) => answers[0].remaining - a.remaining)).toEqual([0, 1, 2, 3]);
    const again = await submitSample(Buffer.from(`tg ${id} 0\n`));
    expect(again.body.data).toMatchObject({ id: answers[0].body.data.id, duplicate: true });
  }, 60_000);

  it('raises the alert of an ingest with generate_alert that scores 1000, and serves it through the alert routes', async () => {
    const nq = `alert_${id}`;
    const content = Buffer.from(`cluster alert ${id}\n`);
    gatePlans.set(sha256(content), { score: 1000, release: Promise.resolve() });
    const ingestId = await ingestUpload(content, nq, { generate_alert: true, ...toGate });
    const [message] = await messagesOf(nq, 1);
    expect(message).toMatchObject({ ingest_id: ingestId, failure: '', score: 1000 });

    // GET /api/v4/alert/list/ (assemblyline_client's `alert.list()`), then the alert itself, on either API.
    const listed = await eventually(
      () => call('/api/v4/alert/list/'),
      (answer) => answer.body.api_response.items.some((item: { ingest_ids: string[] }) => item.ingest_ids.includes(ingestId)),
      200,
    );
    expect(listed.body.api_response.total).toBe(1);
    const [{ alert_id: alertId }] = listed.body.api_response.items;
    const alert = await call(`/api/v4/alert/${alertId}/`);
    expect(alert.status).toBe(200);
    expect(alert.body.api_response).toMatchObject({
      alert_id: alertId,
      sid: message.submission.sid,
      al: { score: 1000 },
      file: { name: 'sample.bin', sha256: sha256(content), size: content.length },
      submitter: 'admin',
      ingest_ids: [ingestId],
    });
  }, 120_000);

  it("refuses an ingest past the user's async quota with 503 on either API, and takes it once the held ingests complete", async () => {
    const nq = `quota_${id}`;
    const user = await addUserTo(users, { submission_async_quota: 2, submission_daily_quota: 0 });
    let release!: () => void;
    const released = new Promise<void>((done) => (release = done));
    const held = [1, 2].map((n) => Buffer.from(`cluster quota ${id} ${n}\n`));
    for (const content of held) gatePlans.set(sha256(content), { score: 0, release: released });
    const heldIds = [];
    for (const content of held) heldIds.push(await ingestUpload(content, nq, toGate, user));
    await eventually(async () => held.every((content) => gateTasks.has(sha256(content))), (both) => both, 200);

    // The third, while both run, is refused as Assemblyline refuses it, by each API (the slots are counted on the cluster).
    const third = Buffer.from(`cluster quota ${id} 3\n`);
    const everyApi = apis().map((api) => `http://127.0.0.1:${api.port}`);
    expect(everyApi).toHaveLength(2);
    for (const api of everyApi) {
      const refused = await postIngest(third, nq, {}, user, api);
      expect({ status: refused.status, message: refused.body.api_error_message, code: refused.body.api_status_code }).toEqual({
        status: 503,
        message: ASYNC_FULL(2),
        code: 503,
      });
    }

    release();
    const done = await messagesOf(nq, 2);
    expect(done.map((message) => [message.ingest_id, message.failure]).sort()).toEqual(heldIds.map((ingestId) => [ingestId, '']).sort());
    // Their slots are back: the third goes through.
    const accepted = await eventually(() => postIngest(third, nq, {}, user), (answer) => answer.status !== 503, 200);
    expect(accepted.status).toBe(200);
    expect((await messagesOf(nq, 1))[0]).toMatchObject({ ingest_id: accepted.body.api_response.ingest_id, failure: '' });
  }, 120_000);

  it('times out a submission its service never answers: the sweep fails it with the reason, notifies its ingest and frees its quota slot', async () => {
    const nq = `timeout_${id}`;
    const user = await addUserTo(users, { submission_async_quota: 1, submission_daily_quota: 0 });
    const content = Buffer.from(`cluster timeout ${id}\n`);
    gatePlans.set(sha256(content), 'never');
    const ingestId = await ingestUpload(content, nq, toGate, user);
    await eventually(async () => gateTasks.has(sha256(content)), (taken) => taken, 200);
    const next = Buffer.from(`cluster after the timeout ${id}\n`);
    // Its slot is held while it runs (a lease of a day: only the end of the ingest gives it back).
    const refused = await postIngest(next, nq, {}, user);
    expect({ status: refused.status, message: refused.body.api_error_message }).toEqual({ status: 503, message: ASYNC_FULL(1) });

    // Nothing answers: after dispatch_timeout_seconds, a sweep ends the submission and its ingest.
    const [message] = await messagesOf(nq, 1);
    expect(message).toMatchObject({ ingest_id: ingestId, failure: TIMED_OUT, score: null });
    const sid = message.submission.sid;
    expect((await call(`/api/v4/submission/${sid}/`)).body.api_response).toMatchObject({ sid, state: 'failed' });
    expect((await call(`/api/v4/ingest/status/${ingestId}/`)).body.api_response).toMatchObject({ state: 'failed', sid, failure: TIMED_OUT });
    expect((await call(`/api/v4/submission/is_completed/${sid}/`)).body.api_response).toBe(true);

    // The slot is back.
    const accepted = await eventually(() => postIngest(next, nq, {}, user), (answer) => answer.status !== 503, 200);
    expect(accepted.status).toBe(200);
  }, 120_000);

  it('keeps every key of the deployment in its prefix slot, on every master', async () => {
    // The check finds a key outside the slot: one written without the tag (as a key built by hand would be).
    const stray = `test-${id}:untagged`;
    await redis.set(stray, '1');
    try {
      expect((await keysOutsideSlot(redis, prefix)).keys).toEqual([stray]);
    } finally {
      await redis.del(stray);
    }

    const outside = await keysOutsideSlot(redis, prefix);
    expect(outside.keys).toEqual([]);
    // What was checked: BullMQ's queues (the sweep's schedule and GATE's tasks among them) and Hopper's own areas.
    expect(outside.areas).toEqual(expect.arrayContaining(['complete', 'dispatch', 'idempotency', 'ingest', 'ingester', 'progress', 'quota', `service-${GATE}`, 'tg']));
    expect(await redis.exists(`${prefix}:complete:repeat`)).toBe(1);
  }, 60_000);
});
