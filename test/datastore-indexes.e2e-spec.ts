import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Connection } from 'mongoose';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { ACCESS_PARTS_OF, AccessPartsOf, FILE_COLLECTION, MONGO_CONNECTION, RESULT_COLLECTION, SUBMISSION_COLLECTION } from '@hopper/datastore';
import { SubmissionFinisher } from '../apps/dispatcher/src/submission-finisher';
import { insertHistory } from '../bench/support/datastore-fixtures';
import { FerretdbStorage, openFerretdbStorage, quoteIdent, TableScans } from '../bench/support/ferretdb-storage';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually, startIngester } from './support/ingester-harness';
import { scoringService } from './support/test-services';
import { isolatedConfig, uniqueId } from './support/test-env';
import { tgKey } from './support/threatgrid-client';

/** The size: where a lookup that scans costs hundreds of milliseconds on FerretDB. */
const HISTORY = 50_000;
/** The tables every hot path reads or writes, each filled with HISTORY documents. */
const HOT_TABLES = [SUBMISSION_COLLECTION, RESULT_COLLECTION, FILE_COLLECTION] as const;
/**
 * An idle PostgreSQL backend publishes its table counters up to 10 s late (PGSTAT_IDLE_INTERVAL, when it
 * flushed less than a second before), and FerretDB's pooled connections are such backends: once the workload
 * has been quiet this long, every counter is in.
 */
const STATS_SETTLE_MS = 11_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Every query on the hot paths goes by `_id` or a declared index: on a database of 50,000 submissions, results
 * and files, an ingest round trip (API → ingester → dispatcher → completion → notification), submit, Threat Grid
 * submit, the ingester's time-out sweep and the reads clients poll leave PostgreSQL's sequential-scan counters
 * of those tables where they were. FerretDB v1 on PostgreSQL only: the test reads `pg_stat_user_tables` of the
 * schema FerretDB keeps the test's database in (and says so, failing, on MongoDB or on FerretDB's SQLite).
 */
describe('hot queries are index-backed on a database of 50,000 submissions, results and files', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: INestApplicationContext;
  let user: TestUser;
  let storage: FerretdbStorage;
  let inserted: Record<string, number>;
  let before: Map<string, TableScans>;
  /** The ingested submission of the round trip, with results, for the reads of a finished submission. */
  let ingested: { sid: string; sha256: string } | null = null;

  const http = () => request(api.getHttpServer());

  /** The counters once FerretDB's backends have published them all (the apps are idle by then). */
  async function settledScans(): Promise<Map<string, TableScans>> {
    await sleep(STATS_SETTLE_MS);
    return storage.scans();
  }

  /** Sequential scans of the hot tables since `since`, and index scans (which prove the workload reached them). */
  async function scansSince(since: Map<string, TableScans>) {
    const now = await settledScans();
    const delta = (table: string, counter: keyof TableScans) => (now.get(table)?.[counter] ?? 0) - (since.get(table)?.[counter] ?? 0);
    return {
      now,
      seq: Object.fromEntries(HOT_TABLES.map((table) => [table, delta(table, 'seq_scan')])),
      idx: Object.fromEntries(HOT_TABLES.map((table) => [table, delta(table, 'idx_scan')])),
    };
  }

  beforeAll(async () => {
    config = isolatedConfig('indexes', {
      // Several submissions of one user run at once here; quotas are not under test.
      ui: { default_quotas: { concurrent_submissions: 100, daily_submissions: 0 } },
      // The expiry sweep (which scans by expiry_ts: a range FerretDB v1 cannot take from an index) runs once at
      // the ingester's start, before the history is inserted, and not again during the test.
      expiry: { sweep_interval_seconds: 86_400 },
    });
    api = await startApi(config);
    ingester = await startIngester(config);
    dispatcher = await startDispatcher(config, [scoringService('Indexed', 10)]);
    user = await addUserWithKey(api);
    const connection = api.get<Connection>(MONGO_CONNECTION);
    // Fails here, with the reason, on MongoDB or on FerretDB's SQLite: no counters to read there.
    storage = await openFerretdbStorage(connection);
    inserted = { ...(await insertHistory(connection, HISTORY, api.get<AccessPartsOf>(ACCESS_PARTS_OF))) };
    // What autovacuum does to tables that just grew, now rather than at some point during the test, so the
    // planner decides on the statistics a database in service has.
    for (const collection of HOT_TABLES) await storage.pg.query(`ANALYZE ${quoteIdent(storage.schema)}.${quoteIdent(await storage.tableOf(collection))}`);
    before = await settledScans();
  }, 240_000);

  afterAll(async () => {
    await storage?.close();
    await api?.get<Connection>(MONGO_CONNECTION).dropDatabase();
    await dispatcher?.close();
    await ingester?.close();
    await api?.close();
  });

  it('holds the history in FerretDB tables on PostgreSQL', async () => {
    expect(inserted).toEqual({ submissions: HISTORY, results: HISTORY, files: HISTORY });
    for (const collection of HOT_TABLES) expect(await storage.tableOf(collection)).toMatch(new RegExp(`^${collection}_[0-9a-f]{8}$`));
  });

  it('ingest → ingester → dispatcher → completion → notification, and the polled reads, scan no hot table', async () => {
    const queue = uniqueId('nq');
    // assemblyline_client: Client.ingest(path=..., nq=...) posts multipart `json` + `bin`.
    const ingest = await http()
      .post('/api/v4/ingest/')
      .set(user.headers)
      .field('json', JSON.stringify({ name: 'sample.txt', metadata: {}, type: 'AL_CLIENT', notification_queue: queue }))
      .attach('bin', Buffer.from(`indexed sample ${uniqueId('x')}\n`), 'bin')
      .expect(200);
    const ingestId = ingest.body.api_response.ingest_id as string;
    // assemblyline_client: Client.ingest.get_message_list(nq) — the notification ends the round trip.
    const [message] = await eventually(
      async () => (await http().get(`/api/v4/ingest/get_message_list/${queue}/?page_size=10`).set(user.headers).expect(200)).body.api_response,
      (list: Array<{ submission: { sid: string; files: Array<{ sha256: string }> } }>) => list.length > 0,
    );
    const sid = message.submission.sid;
    ingested = { sid, sha256: message.submission.files[0].sha256 };
    // assemblyline_client: Client.submission.is_completed(sid), Client.submission(sid) — what a client polls.
    expect((await http().get(`/api/v4/submission/is_completed/${sid}/`).set(user.headers).expect(200)).body.api_response).toBe(true);
    expect((await http().get(`/api/v4/submission/${sid}/`).set(user.headers).expect(200)).body.api_response).toMatchObject({ sid, state: 'completed' });
    expect((await http().get(`/api/v4/ingest/status/${ingestId}/`).set(user.headers).expect(200)).body.api_response).toMatchObject({ state: 'completed', sid });
    // The same file again by its sha256 (assemblyline_client: Client.ingest(sha256=..., nq=...), a JSON body):
    // the file document is looked up, the scan found in the registry.
    const again = uniqueId('nq');
    const { sha256 } = message.submission.files[0];
    await http().post('/api/v4/ingest/').set(user.headers).send({ sha256, name: sha256, metadata: {}, type: 'AL_CLIENT', notification_queue: again }).expect(200);
    await eventually(
      async () => (await http().get(`/api/v4/ingest/get_message_list/${again}/?page_size=10`).set(user.headers).expect(200)).body.api_response,
      (list: unknown[]) => list.length > 0,
    );

    const scans = await scansSince(before);
    before = scans.now;
    expect(scans.seq).toEqual({ submissions: 0, results: 0, files: 0 });
    // Submissions and files are read by index on the way; results are only inserted (the file is new to Hopper,
    // so nothing is looked up under its keys, and an insert reads no index); the next test reads them by index.
    for (const table of [SUBMISSION_COLLECTION, FILE_COLLECTION]) expect(scans.idx[table]).toBeGreaterThan(0);
  }, 120_000);

  it('the reads of a finished submission (full, summary, tree, one file of it) scan no results table', async () => {
    expect(ingested).not.toBeNull();
    const { sid, sha256 } = ingested!;
    // assemblyline_client: Client.submission.full(sid) — what a client fetches once polling says it is done.
    const full = (await http().get(`/api/v4/submission/full/${sid}/`).set(user.headers).expect(200)).body.api_response;
    expect(Object.keys(full.results).length).toBeGreaterThan(0);
    expect(full.missing_result_keys).toEqual([]);
    // assemblyline_client: Client.submission.summary(sid), Client.submission.tree(sid).
    const summary = (await http().get(`/api/v4/submission/summary/${sid}/`).set(user.headers).expect(200)).body.api_response;
    expect(summary).toHaveProperty('tags');
    const tree = (await http().get(`/api/v4/submission/tree/${sid}/`).set(user.headers).expect(200)).body.api_response;
    expect(Object.keys(tree.tree)).toEqual([sha256]);
    let scans = await scansSince(before);
    before = scans.now;
    expect(scans.seq).toEqual({ submissions: 0, results: 0, files: 0 });
    expect(scans.idx.results).toBeGreaterThan(0);

    // assemblyline_client: Client.submission.file(sid, sha256) — the file's results and errors in the
    // submission. Its `metadata` (the submitters of every submission holding the file, Assemblyline's
    // get_file_submission_meta) matches result keys by prefix, which no index serves: submissions may scan.
    const file = (await http().get(`/api/v4/submission/${sid}/file/${sha256}/`).set(user.headers).expect(200)).body.api_response;
    expect(file.results.length).toBeGreaterThan(0);
    scans = await scansSince(before);
    before = scans.now;
    expect({ results: scans.seq.results, files: scans.seq.files }).toEqual({ results: 0, files: 0 });
    expect(scans.idx.results).toBeGreaterThan(0);
  }, 120_000);

  it('submit, Threat Grid submit and their polled state, and the dispatcher time-out sweep scan no hot table', async () => {
    // assemblyline_client: Client.submit(path) posts multipart `json` + `bin`, then polls is_completed.
    const submitted = await http()
      .post('/api/v4/submit/')
      .set(user.headers)
      .field('json', JSON.stringify({ name: 'submitted.txt' }))
      .attach('bin', Buffer.from(`submitted sample ${uniqueId('x')}\n`), 'submitted.txt')
      .expect(200);
    const sid = submitted.body.api_response.sid as string;
    await eventually(
      async () => (await http().get(`/api/v4/submission/is_completed/${sid}/`).set(user.headers).expect(200)).body.api_response,
      (done: boolean) => done,
    );
    expect((await http().get(`/api/v4/submission/${sid}/`).set(user.headers).expect(200)).body.api_response).toMatchObject({ sid, state: 'completed' });

    // pythreatgrid: ThreatGrid.submit_sample(sample) posts multipart `sample` with `api_key`;
    // ThreatGrid.get_samples_id_state(id) polls GET /samples/<id>/state with `api_key` in a form body.
    const sample = await http()
      .post('/api/v2/samples')
      .field('api_key', tgKey(user))
      .attach('sample', Buffer.from(`threat grid sample ${uniqueId('x')}\n`), 'tg.txt')
      .expect(200);
    const id = sample.body.data.id as string;
    const state = await eventually(
      async () => (await http().get(`/api/v2/samples/${id}/state`).type('form').send({ api_key: tgKey(user) }).expect(200)).body.data.state as string,
      (value) => value === 'succ' || value === 'fail',
    );
    expect(state).toBe('succ');

    // The sweep that ends submissions past dispatch_timeout_seconds (every 5 minutes in service).
    await dispatcher.get(SubmissionFinisher).sweep(new Date());

    const scans = await scansSince(before);
    before = scans.now;
    expect(scans.seq).toEqual({ submissions: 0, results: 0, files: 0 });
    for (const table of HOT_TABLES) expect(scans.idx[table]).toBeGreaterThan(0);
  }, 120_000);
});
