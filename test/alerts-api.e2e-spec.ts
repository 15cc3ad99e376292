// Assemblyline's alert routes (list and get) through HTTP, with the classification scheme enforced: alerts
// raised by a real ingester, and alerts raised through the ingester's own repository call for the paging
// and classification cases.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { join } from 'node:path';
import IORedis from 'ioredis';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { ACCESS_PARTS_OF, AccessPartsOf, AlertRecord, AlertsRepository, SubmissionsRepository } from '@hopper/datastore';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { eventually, startIngester, StubDispatcher } from './support/ingester-harness';
import { isolatedConfig, removeTestKeys, serviceEnv, uniqueId } from './support/test-env';

const ENFORCED = join(__dirname, 'fixtures/classification/enforced.yml');
const ALERT_NOT_FOUND = 'This alert does not exists...';

function expectError(response: request.Response, status: number, message: string): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: { api_response: null, api_error_message: message, api_server_version: expect.stringMatching(/^hopper-/), api_status_code: status },
  });
}

describe('alert API: an alert raised by the ingester', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let ingester: INestApplicationContext;
  let connection: IORedis;
  let dispatcher: StubDispatcher;
  let amber: TestUser;
  let clear: TestUser;

  beforeAll(async () => {
    config = isolatedConfig('alerts-ingester', { classification: ENFORCED });
    app = await startApi(config);
    ingester = await startIngester(config);
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const submissions = ingester.get(SubmissionsRepository);
    // Stands in for the dispatcher: every submission completes with a score over the alert threshold.
    dispatcher = new StubDispatcher(connection, config.redis.prefix, async (task) => {
      await submissions.finish(task.sid, { state: 'completed', max_score: 1000, errors: [], results: [], failure: null, completed: new Date() });
      return { score: 1000 };
    });
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
    clear = await addUserWithKey(app, { classification: 'TLP:CLEAR' });
  });

  afterAll(async () => {
    await dispatcher.close();
    await connection.quit();
    await ingester.close();
    await app.get(AlertsRepository).model.db.dropDatabase();
    await app.close();
    await removeTestKeys(config);
  });

  it('is served by get and list to a user cleared for it, with its access-control parts stored, and hidden from others', async () => {
    const content = Buffer.from(`alerting sample ${uniqueId('content')}\n`);
    const ingested = await request(app.getHttpServer())
      .post('/api/v4/ingest/')
      .set(amber.headers)
      .field('json', JSON.stringify({ name: 'dropper.js', generate_alert: true, params: { classification: 'TLP:AMBER' }, metadata: { campaign: 'x1' } }))
      .attach('bin', content, 'dropper.js')
      .expect(200);
    const ingestId: string = ingested.body.api_response.ingest_id;
    const alerts = app.get(AlertsRepository);
    const raised = await eventually(() => alerts.model.findOne({ ingest_ids: ingestId }).lean<AlertRecord>().exec(), (found) => found !== null);

    const response = await request(app.getHttpServer()).get(`/api/v4/alert/${raised!.alert_id}/`).set(amber.headers).expect(200);
    expect(response.body.api_response).toEqual({
      alert_id: raised!.sid,
      sid: raised!.sid,
      classification: 'TLP:AMBER',
      ts: raised!.ts.toISOString(),
      reporting_ts: raised!.ts.toISOString(),
      al: { score: 1000 },
      file: { name: 'dropper.js', sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: content.length },
      // The submission's metadata: the caller's, and what ingest adds (as Assemblyline's ingest does).
      metadata: { campaign: 'x1', ingest_id: ingestId, ts: expect.any(String), type: 'INGEST' },
      filtered: false,
      label: [],
      owner: null,
      priority: null,
      status: null,
      submitter: amber.uname,
      ingest_ids: [ingestId],
    });
    expect(raised).toMatchObject(app.get<AccessPartsOf>(ACCESS_PARTS_OF)('TLP:AMBER'));

    const listed = await request(app.getHttpServer()).get('/api/v4/alert/list/').set(amber.headers).expect(200);
    expect(listed.body.api_response).toEqual({ items: [response.body.api_response], offset: 0, rows: 100, total: 1 });

    expectError(await request(app.getHttpServer()).get(`/api/v4/alert/${raised!.alert_id}/`).set(clear.headers), 404, ALERT_NOT_FOUND);
    const hidden = await request(app.getHttpServer()).get('/api/v4/alert/list/').set(clear.headers).expect(200);
    expect(hidden.body.api_response).toEqual({ items: [], offset: 0, rows: 100, total: 0 });
  });
});

describe('alert API: list and get', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let clear: TestUser;
  let amber: TestUser;
  let submitter: TestUser;
  /** Alert ids, newest first, of the TLP:CLEAR alerts and of all of them. */
  let clearIds: string[];
  let allIds: string[];

  const get = (who: TestUser, path: string) => request(app.getHttpServer()).get(path).set(who.headers).set('content-type', 'application/json');
  const ids = (response: request.Response) => (response.body.api_response.items as { alert_id: string }[]).map((item) => item.alert_id);

  beforeAll(async () => {
    config = isolatedConfig('alerts-api', { classification: ENFORCED });
    app = await startApi(config);
    clear = await addUserWithKey(app, { classification: 'TLP:CLEAR' });
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
    submitter = await addUserWithKey(app, { classification: 'TLP:AMBER', type: ['submitter'] });
    // Eight alerts a minute apart, the AMBER ones interleaved with the CLEAR ones, raised as the ingester raises them.
    const alerts = app.get(AlertsRepository);
    const start = Date.UTC(2025, 0, 1);
    const made: { id: string; classification: string }[] = [];
    for (let n = 0; n < 8; n++) {
      const sid = uniqueId(`alert${n}`);
      const classification = n % 3 === 1 ? 'TLP:AMBER' : 'TLP:CLEAR';
      await alerts.raiseOnce({
        alert_id: sid,
        sid,
        ts: new Date(start + n * 60_000),
        score: 500 + n,
        classification,
        submitter: 'ingest-user',
        file: { name: `file${n}.bin`, sha256: String(n).repeat(64), size: n },
        metadata: {},
        ingest_ids: [uniqueId('ingest')],
      });
      made.push({ id: sid, classification });
    }
    allIds = made.map((m) => m.id).reverse();
    clearIds = made.filter((m) => m.classification === 'TLP:CLEAR').map((m) => m.id).reverse();
  });

  afterAll(async () => {
    await app.get(AlertsRepository).model.db.dropDatabase();
    await app.close();
    await removeTestKeys(config);
  });

  it('lists the alerts a user may see, newest first, with a total that counts only those', async () => {
    expect(clearIds).toHaveLength(5);
    const forClear = await get(clear, '/api/v4/alert/list/').expect(200);
    expect(forClear.body.api_response).toMatchObject({ offset: 0, rows: 100, total: 5 });
    expect(ids(forClear)).toEqual(clearIds);
    const forAmber = await get(amber, '/api/v4/alert/list/').expect(200);
    expect(forAmber.body.api_response).toMatchObject({ offset: 0, rows: 100, total: 8 });
    expect(ids(forAmber)).toEqual(allIds);
  });

  it('pages with offset and rows, filtering in the query: every page is full and the pages add up to the visible alerts', async () => {
    const pages: string[][] = [];
    for (const offset of [0, 2, 4]) {
      const page = await get(clear, `/api/v4/alert/list/?offset=${offset}&rows=2`).expect(200);
      expect(page.body.api_response).toMatchObject({ offset, rows: 2, total: 5 });
      pages.push(ids(page));
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(clearIds);
    const past = await get(clear, '/api/v4/alert/list/?offset=5&rows=2').expect(200);
    expect(past.body.api_response).toEqual({ items: [], offset: 5, rows: 2, total: 5 });
    const none = await get(amber, '/api/v4/alert/list/?rows=0').expect(200);
    expect(none.body.api_response).toEqual({ items: [], offset: 0, rows: 0, total: 8 });
  });

  it('refuses bad paging values with a 400 naming the parameter', async () => {
    expectError(await get(clear, '/api/v4/alert/list/?rows=many'), 400, 'rows must be an integer from 0 to 1000; got "many"');
    expectError(await get(clear, '/api/v4/alert/list/?rows=1001'), 400, 'rows must be an integer from 0 to 1000; got "1001"');
    expectError(await get(clear, '/api/v4/alert/list/?offset=-3'), 400, 'offset must be an integer from 0 to 100000; got "-3"');
  });

  it('gets an alert the user may see, and answers 404 for one above the user exactly as for an unknown one', async () => {
    const visible = await get(clear, `/api/v4/alert/${clearIds[0]}/`).expect(200);
    expect(visible.body.api_response).toMatchObject({ alert_id: clearIds[0], classification: 'TLP:CLEAR', al: { score: 506 } });
    const amberId = allIds.find((id) => !clearIds.includes(id))!;
    expectError(await get(clear, `/api/v4/alert/${amberId}/`), 404, ALERT_NOT_FOUND);
    expectError(await get(clear, `/api/v4/alert/${uniqueId('unknown')}/`), 404, ALERT_NOT_FOUND);
    expect((await get(amber, `/api/v4/alert/${amberId}/`).expect(200)).body.api_response.classification).toBe('TLP:AMBER');
  });

  it('needs the alert_view role for list and get', async () => {
    const message = `User '${submitter.uname}' does not have the 'alert_view' role required by this API`;
    expectError(await get(submitter, '/api/v4/alert/list/'), 403, message);
    expectError(await get(submitter, `/api/v4/alert/${clearIds[0]}/`), 403, message);
  });
});
