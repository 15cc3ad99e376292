import { Cluster } from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { clusterNode } from '@hopper/queues';
import { freePort, waitForStatus } from './support/ports';
import { keysOutsideSlot, removeDeploymentKeys } from './support/cluster-keys';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

/*
 * Hopper on a Redis Cluster of three masters (`scripts/services.sh up redis-cluster`; `npm test` starts it),
 * as operators scale it out: two API processes, two ingesters and two dispatchers (the built processes,
 * `npm run build` first), the filestore on MinIO. Every request goes to one of the two APIs at random.
 * After the runs, every key on every master must lie in the deployment's slot (its prefix's hash tag).
 */

const root = resolve(__dirname, '..');
const main = (app: string) => join(root, 'dist', 'apps', app, 'src', 'main.js');
const INGESTS = 2000;
/** Requests in flight at once: enough to keep six processes busy on a small machine. */
const PARALLEL = 24;
const ADMIN_KEY = `bootstrap:${randomBytes(16).toString('hex')}`;
const AL_HEADERS = { 'x-user': 'admin', 'x-apikey': ADMIN_KEY };
const TG_KEY = `admin:${ADMIN_KEY}`;

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

  async function call(path: string, init: RequestInit = {}): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await fetch(`${anyApi()}${path}`, { ...init, headers: { ...AL_HEADERS, ...(init.headers as Record<string, string>) } });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers };
  }

  function uploadForm(content: Buffer, json: Record<string, unknown>, field = 'bin'): FormData {
    const form = new FormData();
    form.append('json', JSON.stringify(json));
    form.append(field, new Blob([content]), 'sample.bin');
    return form;
  }

  /** POST /api/v4/ingest/ (assemblyline_client's `ingest(path=…)`): the ingest id. */
  async function ingestUpload(content: Buffer, nq: string, extra: Record<string, unknown> = {}): Promise<string> {
    const answer = await call('/api/v4/ingest/', { method: 'POST', body: uploadForm(content, { name: 'sample.bin', notification_queue: nq, ...extra }) });
    if (answer.status !== 200) throw new Error(`ingest answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    return answer.body.api_response.ingest_id;
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
    // One API first: it creates the bucket and the admin, which the others then find.
    const first = spawnApp('api', await freePort());
    await waitForStatus(`http://127.0.0.1:${first.port}/readyz`, 200, 60_000);
    for (const app of ['api', 'ingester', 'ingester', 'dispatcher', 'dispatcher'] as App[]) spawnApp(app, await freePort());
    const ready = { status: 'ready', checks: { redis: 'up', mongodb: 'up', filestore: 'up' } };
    for (const child of children) expect(await waitForStatus(`http://127.0.0.1:${child.port}/readyz`, 200, 60_000)).toEqual(ready);
  }, 120_000);

  afterAll(async () => {
    for (const { child } of children) child.kill('SIGKILL');
    await Promise.all(children.map((c) => c.exited));
    await new Promise((done) => web?.close(done));
    if (redis) await removeDeploymentKeys(redis, prefix);
    await redis?.quit();
  });

  afterEach(() => {
    for (const child of children) {
      const errors = child.output().split('\n').filter((line) => /"level":(50|60)/.test(line));
      expect({ app: child.app, errors }).toEqual({ app: child.app, errors: [] });
    }
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
    // What was checked: BullMQ's queues (the sweep's schedule among them) and Hopper's own areas.
    expect(outside.areas).toEqual(expect.arrayContaining(['complete', 'dispatch', 'idempotency', 'ingest', 'ingester', 'progress', 'quota', 'tg']));
    expect(await redis.exists(`${prefix}:complete:repeat`)).toBe(1);
  }, 60_000);
});
