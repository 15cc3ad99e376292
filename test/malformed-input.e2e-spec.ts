// Malformed requests to the Assemblyline- and Threat Grid-compatible routes (issue 16): every one gets a clean
// refusal in its API family's envelope, never a 500, and legal but unusual input (nested metadata, keys with
// dots) is stored and read back unchanged. Real Redis, MongoDB-wire server (FerretDB in CI) and filestore;
// the API, a real ingester and a stub dispatcher that scores every submission 1000.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import IORedis from 'ioredis';
import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { createCartEncoder } from '@hopper/identify';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { eventually, startIngester, StubDispatcher } from './support/ingester-harness';
import { PYTHON_REQUESTS_HEADERS, pythonForm, tgKey } from './support/threatgrid-client';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';

const NOT_ENOUGH_INFORMATION = 'Not enough information to proceed with authentication';

const sha256Of = (content: Buffer | string): string => createHash('sha256').update(content).digest('hex');
const uniqueContent = (label: string): Buffer => Buffer.from(`${label} ${uniqueId('content')}\n`);

async function cartOf(content: Buffer, header: Record<string, unknown>): Promise<Buffer> {
  const encoder = createCartEncoder({ header });
  const parts: Buffer[] = [];
  await pipeline(Readable.from([content]), encoder.stream, new Writable({ write: (chunk, _e, done) => (parts.push(chunk), done()) }));
  return Buffer.concat(parts);
}

/** An Assemblyline error envelope, whole (`api_response` null). */
function expectAlError(response: request.Response, status: number, message: string | RegExp): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      api_response: null,
      api_error_message: typeof message === 'string' ? message : expect.stringMatching(message),
      api_server_version: expect.stringMatching(/^hopper-/),
      api_status_code: status,
    },
  });
}

/** A Threat Grid error envelope (pythreatgrid reads `error.message` and `error.errors[0]`). */
function expectTgError(response: request.Response, status: number, message: string | RegExp): void {
  expect(response.status).toBe(status);
  const text = typeof message === 'string' ? message : expect.stringMatching(message);
  expect(response.body).toEqual({
    api_version: expect.any(Number),
    id: expect.any(Number),
    error: { message: text, code: status, errors: [{ code: status, message: text }] },
  });
}

describe('malformed input gets a clean refusal (issue 16)', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: StubDispatcher;
  let connection: IORedis;
  let user: TestUser;
  let admin: TestUser;
  let knownSha: string;

  const http = () => request(api.getHttpServer());
  const get = (path: string, who: TestUser = user) => http().get(path).set(who.headers);
  const submitJson = (body: Record<string, unknown>) => http().post('/api/v4/submit/').set(user.headers).send(body);
  const ingestJson = (body: Record<string, unknown>) => http().post('/api/v4/ingest/').set(user.headers).send(body);

  beforeAll(async () => {
    config = isolatedConfig('malformed-input');
    api = await startApi(config);
    ingester = await startIngester(config);
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const submissions = ingester.get(SubmissionsRepository);
    dispatcher = new StubDispatcher(connection, config.redis.prefix, async (task) => {
      await submissions.finish(task.sid, { state: 'completed', max_score: 1000, errors: [], results: [], failure: null, completed: new Date() });
      return { score: 1000 };
    });
    user = await addUserWithKey(api);
    admin = await addUserWithKey(api, { type: ['admin'] });
    const known = uniqueContent('known');
    knownSha = sha256Of(known);
    await http().post('/api/v4/submit/').set(user.headers).field('json', JSON.stringify({ name: 'known.txt' })).attach('bin', known, 'known.txt').expect(200);
  });

  afterAll(async () => {
    await dispatcher?.close();
    await ingester?.get(SubmissionsRepository).model.db.dropDatabase();
    await ingester?.close();
    await api?.close();
    await connection?.quit();
  });

  describe('identifiers with control characters are refused before any query', () => {
    // [route, the field the refusal names]; each is called with a NUL and with another control character.
    const routes: Array<[string, (bad: string) => string, string]> = [
      ['GET submission', (bad) => `/api/v4/submission/${bad}/`, 'sid'],
      ['GET submission full', (bad) => `/api/v4/submission/full/${bad}/`, 'sid'],
      ['GET submission summary', (bad) => `/api/v4/submission/summary/${bad}/`, 'sid'],
      ['GET submission tree', (bad) => `/api/v4/submission/tree/${bad}/`, 'sid'],
      ['GET submission is_completed', (bad) => `/api/v4/submission/is_completed/${bad}/`, 'sid'],
      ['GET submission file', (bad) => `/api/v4/submission/${bad}/file/${'a'.repeat(64)}/`, 'sid'],
      ['GET submission list of a user', (bad) => `/api/v4/submission/list/user/${bad}/`, 'user'],
      ['GET resubmit', (bad) => `/api/v4/submit/resubmit/${bad}/`, 'sid'],
      ['GET dynamic with copy_sid', (bad) => `/api/v4/submit/dynamic/${'a'.repeat(64)}/?copy_sid=${bad}`, 'copy_sid'],
      ['GET alert', (bad) => `/api/v4/alert/${bad}/`, 'alert_id'],
      ['GET ingest status', (bad) => `/api/v4/ingest/status/${bad}/`, 'ingest_id'],
      ['GET file info', (bad) => `/api/v4/file/info/${bad}/`, 'sha256'],
      ['GET file result', (bad) => `/api/v4/file/result/${bad}/`, 'sha256'],
      ['GET file result of a service', (bad) => `/api/v4/file/result/${bad}/Extract/`, 'sha256'],
      ['GET file strings', (bad) => `/api/v4/file/strings/${bad}/`, 'sha256'],
      ['GET file hex', (bad) => `/api/v4/file/hex/${bad}/`, 'sha256'],
      ['GET file ascii', (bad) => `/api/v4/file/ascii/${bad}/`, 'sha256'],
      ['GET file children', (bad) => `/api/v4/file/children/${bad}/`, 'sha256'],
      ['GET file score', (bad) => `/api/v4/file/score/${bad}/`, 'sha256'],
      ['GET result by key', (bad) => `/api/v4/result/${bad}/`, 'key'],
      ['GET result error by key', (bad) => `/api/v4/result/error/${bad}/`, 'key'],
      ['GET error by key', (bad) => `/api/v4/error/${bad}/`, 'key'],
      ['GET user quotas', (bad) => `/api/v4/user/quotas/${bad}/`, 'username'],
      ['GET user submission params', (bad) => `/api/v4/user/submission_params/${bad}/default/`, 'username'],
    ];
    const cases = routes.flatMap(([name, path, field]) => [
      [`${name} (NUL)`, path('a%00b'), field] as const,
      [`${name} (control character)`, path('a%01b'), field] as const,
    ]);

    it.each(cases)('%s: 400 naming the field, in the Assemblyline envelope', async (_name, path, field) => {
      expectAlError(await get(path, admin), 400, `${field} must not contain control characters`);
    });

    // assemblyline_client: Result.multiple(error=…, result=…) posts {"error": [...], "result": [...]}.
    it.each([
      ['a key with a NUL', { result: ['a\u0000b'] }, 'result[0] must not contain control characters'],
      ['a key that is not a string', { result: [42] }, 'result[0] must be a string'],
      ['keys that are not a list', { error: 'k' }, 'error must be a list of keys'],
      ['a body that is a list', [], 'The body must be an object with "error" and "result" lists of keys'],
    ])('POST result/multiple_keys/ with %s: 400 naming it', async (_name, body, message) => {
      expectAlError(await http().post('/api/v4/result/multiple_keys/').set(admin.headers).send(body), 400, message);
    });

    // pythreatgrid: get_samples_id_state(id) and get_samples_id_analysis(id) send GET /samples/<id>/state and
    // /samples/<id>/analysis.json with api_key in a form body (make_get_request); GET /samples/<id> is Threat Grid's sample.
    it.each(['/api/v2/samples/a%00b', '/api/v2/samples/a%01b/state', '/api/v2/samples/a%00b/analysis.json'])(
      'Threat Grid %s: 400 naming the field, in the Threat Grid envelope',
      async (path) => {
        const answer = await http().get(path).set(PYTHON_REQUESTS_HEADERS).type('form').send(pythonForm({ api_key: tgKey(user) }));
        expectTgError(answer, 400, 'id must not contain control characters');
      },
    );
  });

  describe('login takes strings only (assemblyline_client: Client(server, apikey=…) posts {user, apikey} to auth/login/)', () => {
    const login = (body: unknown) => http().post('/api/v4/auth/login/').send(body as object);

    it.each([
      ['apikey null', { user: 'admin', apikey: null }],
      ['password null', { user: 'admin', password: null }],
      ['user a number', { user: 42, apikey: 'a:b' }],
      ['user an object', { user: { $ne: '' }, password: 'x' }],
      ['apikey a list', { user: 'admin', apikey: ['a:b'] }],
      ['user empty', { user: '', password: 'x' }],
    ])('%s: 401 "Not enough information to proceed with authentication"', async (_name, body) => {
      expectAlError(await login(body), 401, NOT_ENOUGH_INFORMATION);
    });

    it('a user name with a NUL or a control character is a failed login, before any query', async () => {
      expectAlError(await login({ user: 'ad\u0000min', apikey: 'a:b' }), 401, 'Invalid user or APIKey');
      expectAlError(await login({ user: 'ad\u0001min', password: 'x' }), 401, 'Wrong username or password');
    });
  });

  describe('metadata', () => {
    const nested = { case: { id: '42', owner: { team: 'cirt' } }, 'dotted.key': 'd', 'has$dollar': 'x', '$leading': 'y', 'per%cent': 'p', 'per%2Ecent': 'q' };
    const flat = { 'case.id': '42', 'case.owner.team': 'cirt', 'dotted.key': 'd', 'has$dollar': 'x', '$leading': 'y', 'per%cent': 'p', 'per%2Ecent': 'q' };

    it('submit: nested metadata is flattened to dotted keys, stored, and read back unchanged by submission, full and resubmit', async () => {
      const content = uniqueContent('nested-submit');
      const answer = await http().post('/api/v4/submit/').set(user.headers).field('json', JSON.stringify({ name: 'n.txt', metadata: nested })).attach('bin', content, 'n.txt');
      expect(answer.status).toBe(200);
      const sid: string = answer.body.api_response.sid;
      expect(answer.body.api_response.metadata).toEqual(flat);
      // assemblyline_client: Client.submission(sid) and Client.submission.full(sid) read `metadata`.
      expect((await get(`/api/v4/submission/${sid}/`).expect(200)).body.api_response.metadata).toEqual(flat);
      expect((await get(`/api/v4/submission/full/${sid}/`).expect(200)).body.api_response.metadata).toEqual(flat);
      const again = await get(`/api/v4/submit/resubmit/${sid}/`).expect(200);
      expect(again.body.api_response.metadata).toEqual(flat);
    });

    it('ingest: nested metadata reaches the submission, the notification message and the alert unchanged', async () => {
      const nq = uniqueId('nq');
      const ingested = await http()
        .post('/api/v4/ingest/')
        .set(user.headers)
        .field('json', JSON.stringify({ name: 'n.js', metadata: nested, generate_alert: true, notification_queue: nq, notification_threshold: 0 }))
        .attach('bin', uniqueContent('nested-ingest'), 'n.js')
        .expect(200);
      const ingestId: string = ingested.body.api_response.ingest_id;
      // assemblyline_client: Client.ingest.get_message_list(nq) reads `submission.metadata`.
      const messages = await eventually(
        async () => (await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=10`).expect(200)).body.api_response,
        (list: Array<{ submission: { metadata: Record<string, string> } }>) => list.length > 0,
      );
      expect(messages[0].submission.metadata).toMatchObject(flat);
      const status = await get(`/api/v4/ingest/status/${ingestId}/`).expect(200);
      expect(status.body.api_response).toMatchObject({ state: 'completed', failure: null });
      const sid: string = status.body.api_response.sid;
      expect((await get(`/api/v4/submission/${sid}/`).expect(200)).body.api_response.metadata).toMatchObject(flat);
      // assemblyline_client: Client.alert(alert_id) reads `metadata`; the alert id is the sid.
      const alert = await eventually(() => get(`/api/v4/alert/${sid}/`), (answer) => answer.status === 200);
      expect(alert.body.api_response.metadata).toMatchObject(flat);
    });

    it("a CaRT header's nested fields are flattened and stored like the request's", async () => {
      const content = uniqueContent('carted');
      const cart = await cartOf(content, { name: 'inner.txt', origin: { lab: 'north', run: { id: '7' } } });
      const answer = await http().post('/api/v4/submit/').set(user.headers).field('json', JSON.stringify({})).attach('bin', cart, 'outer.cart');
      expect(answer.status).toBe(200);
      expect(answer.body.api_response.metadata).toEqual({ 'origin.lab': 'north', 'origin.run.id': '7' });
      const sid: string = answer.body.api_response.sid;
      expect((await get(`/api/v4/submission/${sid}/`).expect(200)).body.api_response.metadata).toEqual({ 'origin.lab': 'north', 'origin.run.id': '7' });
    });

    it('a NUL in a metadata value is refused with 400 naming the key (submit, ingest and a CaRT header)', async () => {
      expectAlError(await submitJson({ sha256: knownSha, metadata: { outer: { inner: 'a\u0000b' } } }), 400, /outer\.inner/);
      expectAlError(await ingestJson({ sha256: knownSha, metadata: { note: 'a\u0000b' } }), 400, /note/);
      const cart = await cartOf(uniqueContent('nul-cart'), { name: 'x.txt', origin: 'a\u0000b' });
      const answer = await http().post('/api/v4/submit/').set(user.headers).field('json', JSON.stringify({})).attach('bin', cart, 'x.cart');
      expectAlError(answer, 400, /origin/);
    });
  });

  describe('answers under /api/ come in their family envelope', () => {
    it('an undecodable percent-escape under /api/v4/: 400 in the Assemblyline envelope', async () => {
      expectAlError(await get('/api/v4/submission/%ZZbad/'), 400, /%ZZbad/);
    });

    it('an unknown /api/v4/ path: 404 "Api does not exist (<path>)" in the Assemblyline envelope, as Assemblyline answers', async () => {
      expectAlError(await get('/api/v4/no/such/route/'), 404, 'Api does not exist (/api/v4/no/such/route/)');
      expectAlError(await http().post('/api/v4/nothing/here/').send({ a: 1 }), 404, 'Api does not exist (/api/v4/nothing/here/)');
    });

    it('an undecodable percent-escape under /api/v2/ and /api/v3/: 400 in the Threat Grid envelope', async () => {
      expectTgError(await http().get('/api/v2/samples/%ZZbad'), 400, /%ZZbad/);
      expectTgError(await http().get('/api/v3/session/%E0%A4%A'), 400, /%E0%A4%A/);
    });

    it('GET /api/v3/auth/init/ stays a 404 (assemblyline_client: Client() probes it and needs a 404 to speak v4)', async () => {
      expectTgError(await http().get('/api/v3/auth/init/'), 404, /auth\/init/);
    });

    it("outside /api/, NestJS's default answer stays", async () => {
      const response = await http().get('/nothing/here');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ statusCode: 404, message: 'Cannot GET /nothing/here', error: 'Not Found' });
    });
  });

  describe('file names and submission parameters', () => {
    it.each(['.', '..', 'dir/..'])('the file name %j is refused: 400 "Invalid filename" (ingest and submit)', async (name) => {
      expectAlError(await ingestJson({ sha256: knownSha, name }), 400, 'Invalid filename');
      expectAlError(await submitJson({ sha256: knownSha, name }), 400, 'Invalid filename');
      const upload = await http().post('/api/v4/submit/').set(user.headers).field('json', JSON.stringify({ name })).attach('bin', uniqueContent('dots'), 'x.txt');
      expectAlError(upload, 400, 'Invalid filename');
    });

    it('a file name over 255 characters is refused with 400 naming the limit, not cut', async () => {
      const long = `${'n'.repeat(252)}.txt`;
      expectAlError(await ingestJson({ sha256: knownSha, name: long }), 400, /255 characters/);
      expectAlError(await submitJson({ sha256: knownSha, name: long }), 400, /255 characters/);
      const exact = `${'n'.repeat(251)}.txt`;
      const kept = await submitJson({ sha256: knownSha, name: exact });
      expect(kept.status).toBe(200);
      expect(kept.body.api_response.files[0].name).toBe(exact);
    });

    it.each([
      [{ description: 'a\u0000b' }, 'Invalid submission parameter "description": must not contain a NUL character'],
      [{ services: { selected: ['Extract\u0000'] } }, 'Invalid submission parameter "services.selected": must not contain a NUL character'],
      [{ service_spec: { 'Ex.tract': { password: 'x' } } }, 'Invalid submission parameter "service_spec.Ex.tract": names may not contain \'.\' or a NUL character, nor start with \'$\''],
    ])('params %j the datastore cannot store: 400 naming the parameter (ingest and submit)', async (params, message) => {
      expectAlError(await ingestJson({ sha256: knownSha, params }), 400, message);
      expectAlError(await submitJson({ sha256: knownSha, params }), 400, message);
    });

    it.each([42, {}, ['p'], true])('submission_profile %j: 400 "submission_profile should be a string" (ingest, submit and the UI start)', async (profile) => {
      expectAlError(await ingestJson({ sha256: knownSha, submission_profile: profile }), 400, 'submission_profile should be a string');
      expectAlError(await submitJson({ sha256: knownSha, submission_profile: profile }), 400, 'submission_profile should be a string');
      const start = await http().post(`/api/v4/ui/start/${uniqueId('ui')}/`).set(user.headers).send({ filename: 'x.txt', submission_profile: profile });
      expectAlError(start, 400, 'submission_profile should be a string');
    });
  });

  describe('URL submissions say which rule refused them (item 8)', () => {
    it('a port that is not allowed is named as such', async () => {
      expectAlError(await submitJson({ url: 'http://93.184.216.34:6379/x' }), 400, /port 6379 is not allowed/i);
      expectAlError(await ingestJson({ url: 'http://93.184.216.34:6379/x' }), 400, /port 6379 is not allowed/i);
    });

    it('a reserved address is named as such, in Assemblyline\'s words', async () => {
      expectAlError(await submitJson({ url: 'http://10.255.255.1/x' }), 400, "Host '10.255.255.1' resolves to a reserved IP address. The URL will not be downloaded.");
    });
  });
});
