import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { TextReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { Job, Queue, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { HopperConfig, loadConfig } from '@hopper/config';
import { ResultsRepository } from '@hopper/datastore';
import { workerModule } from '@hopper/observability';
import { ExternalServiceTask, externalServiceQueue } from '@hopper/services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { ended, submit } from './support/dispatcher-harness';
import { freePort, waitForStatus } from './support/ports';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

/*
 * The dispatcher as operators run it: built processes (`dist/apps/dispatcher/src/main.js`; `npm test` builds
 * first) with the built-in services and one external service, `RemoteAV`, that this test plays through the
 * API's service routes. A dispatcher killed with SIGKILL once its submission waits for RemoteAV (its job
 * delayed, or still active if the kill comes first): a second dispatcher takes the submission over when
 * RemoteAV's answer wakes it and finishes it, reusing every result the first one stored, so each file has
 * exactly one result per service and RemoteAV is asked once per file.
 */

const root = resolve(__dirname, '..');
const DISPATCHER_MAIN = join(root, 'dist', 'apps', 'dispatcher', 'src', 'main.js');
const REMOTE_AV = 'RemoteAV';

interface Child {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

function spawnDispatcher(env: NodeJS.ProcessEnv, port: number): Child {
  const child = spawn(process.execPath, [DISPATCHER_MAIN], { cwd: root, env: { ...env, HOPPER_DISPATCHER_METRICS_PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((done) => child.once('exit', done)) };
}

async function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter());
  for (const [name, text] of Object.entries(entries)) await writer.add(name, new TextReader(text));
  return Buffer.from(await writer.close());
}

async function until<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const value = await read();
    if (done(value)) return value;
    if (attempt > 1200) throw new Error(`gave up waiting for ${what}; last seen ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('dispatcher processes (built app, built-in services, an external service through the API)', () => {
  let env: NodeJS.ProcessEnv;
  let config: HopperConfig;
  let store: INestApplicationContext;
  let api: INestApplication;
  let serviceUser: TestUser;
  let connection: IORedis;
  const children: Child[] = [];

  beforeAll(async () => {
    const id = uniqueId('dispatchers');
    const services = serviceEnv();
    const overlay = join(mkdtempSync(join(tmpdir(), 'hopper-config-')), 'dispatcher.yml');
    writeFileSync(
      overlay,
      [
        'workers:',
        '  dispatcher:',
        '    concurrency: 2',
        '    lock_seconds: 2',
        'services:',
        '  external:',
        `    - { name: ${REMOTE_AV}, version: 2.0.0, category: Antivirus, timeout_seconds: 120 }`,
        '',
      ].join('\n'),
    );
    env = {
      PATH: process.env.PATH,
      HOPPER_CONFIG: overlay,
      HOPPER_REDIS_URL: services.HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongoUrlFor(`hopper_test_${id}`),
      HOPPER_QUEUE_PREFIX: `{test-${id}}`,
      HOPPER_FILESTORE_DIR: mkdtempSync(join(tmpdir(), 'hopper-files-')),
      HOPPER_LOG_LEVEL: 'warn',
    };
    config = loadConfig({ env });
    // The test's own view of the deployment: datastore and filestore (no workers), and the API.
    store = await Test.createTestingModule({ imports: [workerModule('dispatcher', config, [])] }).compile();
    await store.init();
    api = await startApi(config);
    serviceUser = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    for (const running of children) if (running.child.exitCode === null && running.child.signalCode === null) running.child.kill('SIGKILL');
    await Promise.all(children.map((running) => running.exited));
    await api?.close();
    await store?.close();
    connection?.disconnect();
  });

  /** Plays RemoteAV: fetches each task's file through the API and posts a result naming its sha256. */
  function remoteAv(asked: string[]): Worker<ExternalServiceTask> {
    return new Worker<ExternalServiceTask>(
      externalServiceQueue(REMOTE_AV),
      async (job: Job<ExternalServiceTask>) => {
        asked.push(job.data.file.sha256);
        const base = `/api/v4/service/${REMOTE_AV}/task/${encodeURIComponent(job.data.task_id)}`;
        const file = await request(api.getHttpServer()).get(`${base}/file/`).set(serviceUser.headers).responseType('blob');
        expect(file.status).toBe(200);
        const sha256 = createHash('sha256').update(file.body as Buffer).digest('hex');
        expect(sha256).toBe(job.data.file.sha256);
        const result = { sections: [{ title: 'Scanned', body: sha256, heuristic: { heur_id: 'AV.1', name: 'Detected', score: 300 }, tags: [{ type: 'av.virus_name', value: 'Test.Eicar' }] }] };
        const posted = await request(api.getHttpServer()).post(`${base}/result/`).set(serviceUser.headers).send({ result });
        expect(posted.status).toBe(200);
      },
      { connection, prefix: config.redis.prefix, concurrency: 2 },
    );
  }

  it('a dispatcher killed mid-submission: another finishes it with one result per file and service', async () => {
    const first = spawnDispatcher(env, await freePort());
    children.push(first);
    const archive = await zipOf({ 'notes.txt': 'see http://evil-domain.net/payload and 8.8.8.8', 'readme.txt': 'nothing to see here, just text' });
    const sid = await submit(store, config, [{ name: 'bundle.zip', data: archive }]);

    // RemoteAV is asked about the zip: the first dispatcher is now waiting for it. Kill it there.
    const remoteQueue = new Queue(externalServiceQueue(REMOTE_AV), { connection, prefix: config.redis.prefix });
    await until('the RemoteAV task of the zip', () => remoteQueue.getJobCounts('waiting'), (counts) => counts.waiting >= 1);
    first.child.kill('SIGKILL');
    await first.exited;
    const results = store.get(ResultsRepository);
    const storedBeforeKill = await results.results.countDocuments({});
    expect(storedBeforeKill).toBeGreaterThan(0); // Extract at least had finished and stored its result

    const asked: string[] = [];
    const port = await freePort();
    const second = spawnDispatcher(env, port);
    children.push(second);
    await waitForStatus(`http://127.0.0.1:${port}/readyz`, 200);
    const av = remoteAv(asked);
    try {
      const submission = await ended(store, sid);
      expect(submission.state).toBe('completed');
      expect(submission.errors).toEqual([]);
      // The zip and its two text files, each seen by RemoteAV once (the zip's task was queued once, by the first).
      const files = [Object.keys(submission.file_tree!)[0], ...Object.keys(Object.values(submission.file_tree!)[0].children)];
      expect(files).toHaveLength(3);
      expect(asked.sort()).toEqual([...files].sort());
      expect(submission.max_score).toBeGreaterThanOrEqual(300);

      // One result per file and service: every stored result is one the submission lists, each key once.
      const stored = await results.results.find({}).lean();
      expect(new Set(submission.results).size).toBe(submission.results.length);
      expect(stored.map((result) => result._id).sort()).toEqual([...submission.results].sort());
      const pairs = stored.map((result) => `${result.sha256}/${result.response.service_name}`);
      expect(new Set(pairs).size).toBe(pairs.length);
      expect(pairs.filter((pair) => pair.endsWith(`/${REMOTE_AV}`))).toHaveLength(3);
      expect(stored.filter((result) => result.response.service_name === 'Extract')).toHaveLength(1);
      const tags = stored.flatMap((result) => result.tags);
      expect(tags).toEqual(expect.arrayContaining([{ type: 'network.static.ip', value: '8.8.8.8' }, { type: 'av.virus_name', value: 'Test.Eicar' }]));
    } finally {
      await av.close();
      await remoteQueue.close();
    }
  });
});
