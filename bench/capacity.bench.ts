/** Per-ingest costs for the capacity model (docs/operations.md): CPU per process, Redis commands, MongoDB operations, bytes per store, on the local Redis Cluster. */
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { Client as Minio } from 'minio';
import { Client as Pg } from 'pg';
import { clusterNode } from '@hopper/queues';
import { BenchOptions } from './bench-types';
import { BenchSetupError } from './harness';
import { quoteIdent } from './support/ferretdb-storage';
import { removeDeploymentKeys } from './support/redis-keys';

/*
 * One API, one ingester and one dispatcher (the built processes) on the local Redis Cluster, MongoDB (FerretDB on
 * PostgreSQL) and MinIO, each process on its own prefix, database and bucket. After a warm-up, n unique small
 * files are ingested by upload (with the default services) and waited out to their notification; the window's
 * deltas are divided by n:
 * - CPU seconds of each process (/proc/<pid>/stat utime + stime),
 * - Redis: MONITOR on the master that holds the deployment's slot (commands sent, and commands run inside Lua
 *   scripts), and INFO commandstats there (everything, script-internal calls included),
 * - MongoDB: rows inserted, updated, deleted and scans per collection, from PostgreSQL's pg_stat_user_tables of
 *   the database's schema (what FerretDB did to its storage),
 * - bytes: MinIO objects, FerretDB tables (pg_total_relation_size), Redis keys left (MEMORY USAGE).
 * Then a second window of m submissions by POST /api/v4/submit/ gives the MongoDB operations per submission.
 */

const ROOT = resolve(__dirname, '..', '..');
const main = (app: string) => join(ROOT, 'dist', 'apps', app, 'src', 'main.js');
const DEFAULT_N = 300;
const WARM_UP = 20;
const PARALLEL = 8;
const TICKS_PER_SECOND = 100; // Linux USER_HZ
const METADATA_TABLE = '_ferretdb_database_metadata';
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

type App = 'api' | 'ingester' | 'dispatcher';

function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14, 15)
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => done(port));
    });
  });
}

async function waitReady(port: number): Promise<void> {
  for (let i = 0; i < 600; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(200);
  }
  throw new Error(`port ${port} never became ready`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new BenchSetupError(`${name} is not set: scripts/services.sh up && scripts/services.sh up redis-cluster && eval "$(scripts/services.sh env)"`);
  return value;
}

export async function run(options: BenchOptions) {
  const n = options.n ?? DEFAULT_N;
  const m = Math.max(20, Math.round(n / 5));
  const log = options.log;
  const nodes = required('HOPPER_TEST_REDIS_CLUSTER_NODES');
  const pgUrl = required('HOPPER_SVC_POSTGRES_URL');
  const id = randomBytes(4).toString('hex');
  const prefix = `{bench-${id}}`;
  const database = `hopper_bench_${id}`;
  const bucket = `bench-${id}`;
  const adminKey = `bootstrap:${randomBytes(16).toString('hex')}`;
  const headers = { 'x-user': 'admin', 'x-apikey': adminKey };
  const mongoUrl = new URL(required('HOPPER_MONGO_URL'));
  mongoUrl.pathname = `/${database}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOPPER_REDIS_CLUSTER_NODES: nodes,
    HOPPER_QUEUE_PREFIX: prefix,
    HOPPER_MONGO_URL: mongoUrl.toString(),
    HOPPER_FILESTORE: 's3',
    HOPPER_S3_ENDPOINT: required('HOPPER_S3_ENDPOINT'),
    HOPPER_S3_ACCESS_KEY: required('HOPPER_S3_ACCESS_KEY'),
    HOPPER_S3_SECRET_KEY: required('HOPPER_S3_SECRET_KEY'),
    HOPPER_S3_BUCKET: bucket,
    HOPPER_ADMIN_APIKEY: adminKey,
    HOPPER_ADMIN_CREDENTIALS_FILE: join(mkdtempSync(join(tmpdir(), 'hopper-bench-')), 'admin'),
    HOPPER_LOG_LEVEL: 'warn',
  };
  const children = new Map<App, { child: ChildProcess; port: number }>();
  const cluster = new Cluster(nodes.split(',').map(clusterNode));
  let monitor: Redis | undefined;
  const pg = new Pg({ connectionString: pgUrl });
  try {
    for (const app of ['api', 'ingester', 'dispatcher'] as App[]) {
      const port = await freePort();
      const portEnv = app === 'api' ? { HOPPER_API_PORT: String(port), HOPPER_API_HOST: '127.0.0.1' } : { [`HOPPER_${app.toUpperCase()}_METRICS_PORT`]: String(port) };
      const child = spawn(process.execPath, [main(app)], { cwd: ROOT, env: { ...env, ...portEnv }, stdio: ['ignore', 'inherit', 'inherit'] });
      children.set(app, { child, port });
      await waitReady(port);
    }
    const api = `http://127.0.0.1:${children.get('api')!.port}`;
    const ingest = async (nq: string, label: string) => {
      const form = new FormData();
      form.append('json', JSON.stringify({ name: 'f.txt', notification_queue: nq }));
      form.append('bin', new Blob([`capacity ${id} ${label} ${randomBytes(8).toString('hex')}\n`]), 'f.txt');
      const response = await fetch(`${api}/api/v4/ingest/`, { method: 'POST', headers, body: form });
      if (response.status !== 200) throw new Error(`ingest answered ${response.status}`);
    };
    const waitNotified = async (nq: string, count: number) => {
      for (let got = 0; got < count; ) {
        const body = (await (await fetch(`${api}/api/v4/ingest/get_message_list/${nq}/?page_size=500`, { headers })).json()) as { api_response: unknown[] };
        got += body.api_response.length;
        if (!body.api_response.length) await sleep(100);
      }
    };
    const runIngests = async (count: number, nq: string) => {
      let next = 0;
      await Promise.all(Array.from({ length: PARALLEL }, async () => { while (next < count) await ingest(nq, String(next++)); }));
      await waitNotified(nq, count);
    };
    const runSubmits = async (count: number) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: 2 }, async () => {
          while (next < count) {
            const form = new FormData();
            form.append('json', JSON.stringify({ name: 's.txt' }));
            form.append('bin', new Blob([`capacity submit ${id} ${next++} ${randomBytes(8).toString('hex')}\n`]), 's.txt');
            let response = await fetch(`${api}/api/v4/submit/`, { method: 'POST', headers, body: form });
            // A slot the last submission held may lapse a moment after it completed: wait for it.
            for (let retry = 0; response.status === 503 && retry < 100; retry++) {
              await sleep(300);
              response = await fetch(`${api}/api/v4/submit/`, { method: 'POST', headers, body: form });
            }
            const body = (await response.json()) as { api_response: { sid: string } };
            if (response.status !== 200) throw new Error(`submit answered ${response.status}: ${JSON.stringify(body)}`);
            // Each waits for its submission to end: a user's concurrent submissions are limited (5 by default).
            const sid = body.api_response.sid;
            while (((await (await fetch(`${api}/api/v4/submission/is_completed/${sid}/`, { headers })).json()) as { api_response: boolean }).api_response !== true) await sleep(100);
          }
        }),
      );
    };

    await runIngests(WARM_UP, `warm_${id}`);
    // The master that holds the slot sees every command of the deployment.
    const slot = Number(await cluster.cluster('KEYSLOT', prefix));
    const [, , [host, port]] = (await cluster.cluster('SLOTS')).find(([from, to]) => from <= slot && slot <= to)!;
    const master = cluster.nodes('master').find((node) => node.options.host === host && node.options.port === port)!;
    monitor = await master.monitor();
    const calls = { sent: 0, inScripts: 0, inMulti: 0 };
    const inMulti = new Set<string>();
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      const command = args[0].toLowerCase();
      if (source === 'lua') return void calls.inScripts++;
      if (command === 'multi') inMulti.add(source);
      else if (command === 'exec') inMulti.delete(source);
      else if (inMulti.has(source)) return void calls.inMulti++;
      calls.sent++;
    });
    await pg.connect();
    const mongoStats = () => tableStats(pg, database);
    const cpu = () => new Map([...children].map(([app, { child }]) => [app, cpuSeconds(child.pid!)]));
    const stats = async () => commandstats(master);
    const redisCpu = async () => [...(await master.info('cpu')).matchAll(/^used_cpu_(sys|user):([\d.]+)/gm)].reduce((sum, m) => sum + Number(m[2]), 0);

    await sleep(500);
    const before = { cpu: cpu(), redisCpu: await redisCpu(), mongo: await mongoStats(), redis: await stats(), calls: { ...calls } };
    const started = Date.now();
    await runIngests(n, `run_${id}`);
    const seconds = (Date.now() - started) / 1000;
    await sleep(1500); // PostgreSQL's statistics are flushed at most once a second
    const after = { cpu: cpu(), redisCpu: await redisCpu(), mongo: await mongoStats(), redis: await stats(), calls: { ...calls } };

    const beforeSubmits = await mongoStats();
    await runSubmits(m);
    await sleep(1500);
    const afterSubmits = await mongoStats();
    monitor.disconnect();

    const perIngest = (x: number) => Math.round((x / n) * 100) / 100;
    const result = {
      bench: 'capacity',
      n,
      wall_seconds: Math.round(seconds * 10) / 10,
      ingests_per_s: Math.round((n / seconds) * 10) / 10,
      cpu_ms_per_ingest: Object.fromEntries([...after.cpu].map(([app, s]) => [app, Math.round(((s - before.cpu.get(app)!) / n) * 10000) / 10])),
      redis: {
        // The slot's master, its whole CPU (the cluster's own chatter included) over the window.
        cpu_ms_per_ingest: Math.round(((after.redisCpu - before.redisCpu) / n) * 10000) / 10,
        commands_sent_per_ingest: perIngest(after.calls.sent - before.calls.sent),
        commands_in_multi_per_ingest: perIngest(after.calls.inMulti - before.calls.inMulti),
        commands_in_scripts_per_ingest: perIngest(after.calls.inScripts - before.calls.inScripts),
        commandstats_per_ingest: Object.fromEntries(
          Object.entries(after.redis)
            .map(([name, calls]) => [name, perIngest(calls - (before.redis[name] ?? 0))] as const)
            .filter(([, calls]) => calls >= 0.05)
            .sort((a, b) => b[1] - a[1]),
        ),
      },
      mongo_per_ingest: diffTables(before.mongo, after.mongo, n),
      mongo_per_submission: diffTables(beforeSubmits, afterSubmits, m),
      bytes_per_file: {
        s3: Math.round((await bucketBytes(env, bucket)) / (n + m + WARM_UP)),
        mongo: Math.round((await schemaBytes(pg, database)) / (n + m + WARM_UP)),
        redis: Math.round((await deploymentBytes(cluster, prefix)) / (n + m + WARM_UP)),
      },
    };
    log(JSON.stringify(result, null, 2));
    return result;
  } finally {
    for (const { child } of children.values()) child.kill('SIGTERM');
    monitor?.disconnect();
    await pg.end().catch(() => undefined);
    await removeDeploymentKeys(cluster, prefix);
    await cluster.quit();
  }
}

async function commandstats(node: Redis): Promise<Record<string, number>> {
  const info = await node.info('commandstats');
  return Object.fromEntries([...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)].map((match) => [match[1], Number(match[2])]));
}

interface TableRow {
  ins: number;
  upd: number;
  del: number;
  scans: number;
}

/** pg_stat_user_tables of the database's schema, by collection. */
async function tableStats(pg: Pg, database: string): Promise<Map<string, TableRow>> {
  const { rows: names } = await pg.query<{ collection: string; table: string }>(
    `SELECT _jsonb->>'_id' AS collection, _jsonb->>'table' AS table FROM ${quoteIdent(database)}.${METADATA_TABLE}`,
  );
  const byTable = new Map(names.map((row) => [row.table, row.collection]));
  const { rows } = await pg.query<{ relname: string; ins: string; upd: string; del: string; scans: string }>(
    `SELECT relname, n_tup_ins AS ins, n_tup_upd AS upd, n_tup_del AS del, coalesce(seq_scan, 0) + coalesce(idx_scan, 0) AS scans
       FROM pg_stat_user_tables WHERE schemaname = $1`,
    [database],
  );
  return new Map(
    rows.filter((row) => byTable.has(row.relname)).map((row) => [byTable.get(row.relname)!, { ins: +row.ins, upd: +row.upd, del: +row.del, scans: +row.scans }]),
  );
}

function diffTables(before: Map<string, TableRow>, after: Map<string, TableRow>, count: number) {
  const out: Record<string, Record<string, number>> = {};
  const total = { writes: 0, reads: 0 };
  for (const [collection, row] of after) {
    const was = before.get(collection) ?? { ins: 0, upd: 0, del: 0, scans: 0 };
    const delta = { ins: row.ins - was.ins, upd: row.upd - was.upd, del: row.del - was.del, scans: row.scans - was.scans };
    if (Object.values(delta).every((v) => v === 0)) continue;
    out[collection] = Object.fromEntries(Object.entries(delta).map(([k, v]) => [k, Math.round((v / count) * 100) / 100]));
    total.writes += delta.ins + delta.upd + delta.del;
    total.reads += delta.scans;
  }
  return { total_row_writes: Math.round((total.writes / count) * 100) / 100, total_table_scans: Math.round((total.reads / count) * 100) / 100, by_collection: out };
}

async function schemaBytes(pg: Pg, database: string): Promise<number> {
  const { rows } = await pg.query<{ bytes: string }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) AS bytes FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'`,
    [database],
  );
  return Number(rows[0].bytes);
}

async function bucketBytes(env: NodeJS.ProcessEnv, bucket: string): Promise<number> {
  const endpoint = new URL(env.HOPPER_S3_ENDPOINT!);
  const minio = new Minio({ endPoint: endpoint.hostname, port: Number(endpoint.port), useSSL: false, accessKey: env.HOPPER_S3_ACCESS_KEY!, secretKey: env.HOPPER_S3_SECRET_KEY! });
  let bytes = 0;
  for await (const item of minio.listObjects(bucket, '', true)) bytes += (item as { size?: number }).size ?? 0;
  return bytes;
}


async function deploymentBytes(cluster: Cluster, prefix: string): Promise<number> {
  let bytes = 0;
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      for (const key of keys) bytes += Number(await node.memory('USAGE', key)) || 0;
    } while (cursor !== '0');
  }
  return bytes;
}
