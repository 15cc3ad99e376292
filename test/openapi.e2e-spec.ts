// The OpenAPI document against reality: the document the API serves at /api/docs/openapi.json lists every
// route the application registers; real answers of every documented operation, one success and at least one
// error each, validate (ajv) against the schema documented for their status, in their family's envelope; and
// TypeScript types generated from the document (openapi-typescript) compile a small typed client. One API,
// ingester and dispatcher over the real Redis, MongoDB and filestore; two in-process services and a sandbox
// played by the test produce results, an error, an extracted file and sandbox artifacts to read.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Ajv, { ValidateFunction } from 'ajv';
import { Worker } from 'bullmq';
import addFormats from 'ajv-formats';
import IORedis from 'ioredis';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request, { Response, Test as SuperTest } from 'supertest';
import type { OpenAPIObject } from '@nestjs/swagger';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { QUEUES, QueueName, Queues } from '@hopper/queues';
import { ApiModule } from '../apps/api/src/api.module';
import { API_APP_OPTIONS, configureApi } from '../apps/api/src/create-api';
import { OPENAPI_PATH, serveOpenApi } from '../apps/api/src/openapi/openapi-document';
import { addUserWithKey, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually, startIngester } from './support/ingester-harness';
import { readAll, TestService } from './support/test-services';
import { isolatedConfig, uniqueId } from './support/test-env';
import { sandboxManifest, takeServiceTask, tgKey } from './support/threatgrid-client';

const ROOT = join(__dirname, '..');
const SANDBOX = 'Sandbox';
const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Scores a file saying "malicious" (a heuristic, a tag) and extracts one file from it. */
const verdictService = new TestService({ name: 'Verdict', version: '1.0.0', produces_extracted: true }, async (context) => {
  const text = await readAll(context);
  if (!text.includes('malicious')) return { sections: [] };
  await context.addExtracted({ name: 'dropped.txt', description: 'Dropped', stream: Readable.from([Buffer.from(`dropped by ${context.task.file.sha256}`)]) });
  return {
    sections: [
      {
        title: 'Known bad',
        body: JSON.stringify({ family: 'Testbot' }),
        body_format: 'KEY_VALUE' as const,
        heuristic: { heur_id: 'VERDICT.1', name: 'Known bad', score: 1000, attack_ids: ['T1059'] },
        tags: [{ type: 'attribution.family', value: 'Testbot' }],
      },
    ],
  };
});

/** Fails on a file saying "raise-error", so the submission carries a service error. */
const flakyService = new TestService({ name: 'Flaky', version: '1.0.0' }, async (context) => {
  if ((await readAll(context)).includes('raise-error')) throw new Error('Flaky could not parse the file');
  return { sections: [] };
});

/**
 * Operations with no error answer a request can provoke: public and without input; readiness's 503 needs a
 * dependency down (the outage e2e tests stop one, this file shares the services).
 */
const NO_ERROR_ANSWER = new Set(['GET /api', 'GET /healthz', 'GET /readyz', 'GET /metrics']);
/** Every file a sandbox may post that Threat Grid serves by name (artifact-types.ts). */
const ARTIFACTS = ['processes.json', 'timeline.json', 'warnings.json', 'registry.json', 'network.pcap', 'video.webm', 'report.html', 'screenshot.png', 'network-artifacts.zip', 'extracted-artifacts.zip'];
/**
 * Registered routes the document leaves out on purpose: Threat Grid's catch-all 404, the document's own pages,
 * and middleware Nest binds to every path as an `all('/{*path}')` route (logging's `forRoutes('*')`).
 */
const UNDOCUMENTED = [/^[A-Z-]+ \/api\/v[23]\/\{path\}$/, /^GET \/api\/docs/, /^[A-Z-]+ \/\{\{path\}\}$/];

describe('OpenAPI document (/api/docs) against the running API', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext | null;
  let dispatcher: INestApplicationContext;
  let connection: IORedis;
  let document: OpenAPIObject;
  /** The document as served (references as `#/components/schemas/…`). */
  let served: OpenAPIObject;
  let analyst: TestUser;
  let admin: TestUser;
  let serviceUser: TestUser;
  const ajv = new Ajv({ allErrors: true, strict: true });
  addFormats(ajv);
  const validators = new Map<string, ValidateFunction>();
  /** `<METHOD> <template> ok|error` of every answer checked, to prove each operation got both. */
  const exercised = new Set<string>();
  /** Values the calls fill templates with. */
  const ids: Record<string, string> = {};

  const server = () => api.getHttpServer();
  const al = (who: TestUser = analyst) => who.headers;
  const tg = (who: TestUser = analyst) => tgKey(who);

  /**
   * Sends `operation` ("GET /api/v4/file/info/{sha256}/", its template filled from `params`) with `build`,
   * expects `status`, and validates the answer against the schema the document gives that status.
   */
  async function check(operation: string, status: number, build: (url: string) => SuperTest, params: Record<string, string> = {}): Promise<Response> {
    const [method, template] = operation.split(' ');
    const url = template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ids[name]));
    const response = await build(url);
    if (response.status !== status) throw new Error(`${operation} answered ${response.status}, not ${status}: ${String(response.text).slice(0, 500)}`);
    const documented = document.paths[template]?.[method.toLowerCase() as 'get']?.responses?.[String(status)] as { content?: Record<string, { schema: unknown }> } | undefined;
    expect([operation, status, documented ? 'documented' : 'not documented']).toEqual([operation, status, 'documented']);
    const type = String(response.headers['content-type'] ?? '');
    if (status === 204) expect(response.text ?? '').toBe('');
    else if (/json/.test(type)) {
      const schema = documented!.content?.['application/json']?.schema;
      expect([operation, status, schema ? 'json schema' : 'no json schema']).toEqual([operation, status, 'json schema']);
      const validate = validatorFor(`${operation} ${status}`, schema);
      const body = response.body instanceof Buffer || typeof response.body !== 'object' || Object.keys(response.body ?? {}).length === 0 ? JSON.parse(response.text) : response.body;
      if (!validate(body)) throw new Error(`${operation} ${status} does not match its schema: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 1500)}`);
    } else {
      const media = Object.keys(documented!.content ?? {});
      expect([operation, status, type]).toEqual([operation, status, expect.stringMatching(new RegExp(`^(${media.map((m) => m.replace(/[/+.]/g, '\\$&')).join('|')})`))]);
    }
    exercised.add(`${method} ${template} ${status < 400 ? 'ok' : 'error'}`);
    return response;
  }

  function validatorFor(key: string, schema: unknown): ValidateFunction {
    if (!validators.has(key)) validators.set(key, ajv.compile(schema as object));
    return validators.get(key)!;
  }

  const get = (url: string, who: TestUser = analyst) => request(server()).get(url).set(al(who));
  const tgGet = (url: string, query: Record<string, string> = {}, who: TestUser = analyst) => request(server()).get(url).query({ api_key: tg(who), ...query });

  beforeAll(async () => {
    config = isolatedConfig('openapi', {
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      services: { external: [sandboxManifest(SANDBOX)] },
      threatgrid: { dynamic_service: SANDBOX },
      core: { ingester: { alert_threshold: 500 } },
    });
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config)] }).compile();
    api = moduleRef.createNestApplication(API_APP_OPTIONS);
    configureApi(api);
    serveOpenApi(api);
    await api.init();
    ingester = await startIngester(config);
    dispatcher = await startDispatcher(config, [verdictService, flakyService]);
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
    analyst = await addUserWithKey(api);
    admin = await addUserWithKey(api, { type: ['admin'] });
    serviceUser = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });

    const answer = await request(server()).get(`/${OPENAPI_PATH}/openapi.json`);
    expect(answer.status).toBe(200);
    served = answer.body as OpenAPIObject;
    document = served;
    // Component references as schema ids, so ajv resolves them across the operations' schemas.
    const components = JSON.parse(JSON.stringify(document.components?.schemas ?? {}).replace(/"#\/components\/schemas\/([^"]+)"/g, '"$1"')) as Record<string, object>;
    for (const [name, schema] of Object.entries(components)) ajv.addSchema(schema, name);
    document = JSON.parse(JSON.stringify(document).replace(/"#\/components\/schemas\/([^"]+)"/g, '"$1"')) as OpenAPIObject;
  }, 60_000);

  afterAll(async () => {
    await dispatcher?.close();
    await ingester?.close();
    connection?.disconnect();
    await api?.get(SubmissionsRepository).model.db.dropDatabase();
    await api?.close();
  });

  it('documents every route the application registers, and no route it does not', () => {
    const router = (api.getHttpAdapter().getInstance() as { router: { stack: Array<{ route?: { path: string | string[]; methods: Record<string, boolean> } }> } }).router;
    const registered = new Set<string>();
    for (const layer of router.stack) {
      if (!layer.route) continue;
      for (const path of ([] as string[]).concat(layer.route.path)) {
        const template = path.replace(/:(\w+)/g, '{$1}').replace(/\*(\w+)/g, '{$1}');
        for (const method of Object.keys(layer.route.methods)) {
          const name = `${method === '_all' ? 'ALL' : method.toUpperCase()} ${template}`;
          if (!UNDOCUMENTED.some((pattern) => pattern.test(name))) registered.add(name);
        }
      }
    }
    const documented = new Set(Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)));
    expect([...registered].filter((route) => !documented.has(route)).sort()).toEqual([]);
    expect([...documented].filter((route) => !registered.has(route)).sort()).toEqual([]);
    expect(registered.size).toBeGreaterThan(70);
  });

  describe('real answers validate against the document, a success and an error of every operation', () => {
    const NO_SUCH_SHA256 = 'f'.repeat(64);
    const NO_SUCH_ID = 'nosuchid0000';
    const content = Buffer.from(`// malicious raise-error ${uniqueId('openapi')}\n`);

    it('Assemblyline account routes: versions, login, logout, whoami, submission params, classification definition, quotas', async () => {
      await check('GET /api', 200, (url) => request(server()).get(url));
      await check('POST /api/v4/auth/login', 200, (url) => request(server()).post(url).send({ user: analyst.uname, apikey: analyst.apikey }));
      await check('POST /api/v4/auth/login', 401, (url) => request(server()).post(url).send({}));
      await check('GET /api/v4/auth/logout', 200, (url) => get(url));
      await check('GET /api/v4/auth/logout', 401, (url) => request(server()).get(url));
      await check('GET /api/v4/user/whoami', 200, (url) => get(url));
      await check('GET /api/v4/user/whoami', 401, (url) => request(server()).get(url));
      await check('GET /api/v4/user/submission_params/{username}', 200, (url) => get(url), { username: '__CURRENT__' });
      await check('GET /api/v4/user/submission_params/{username}', 403, (url) => get(url), { username: admin.uname });
      await check('GET /api/v4/user/submission_params/{username}/{profile}', 200, (url) => get(url), { username: analyst.uname, profile: 'default' });
      await check('GET /api/v4/user/submission_params/{username}/{profile}', 404, (url) => get(url, admin), { username: 'nosuchuser', profile: 'default' });
      await check('GET /api/v4/help/classification_definition', 200, (url) => get(url));
      await check('GET /api/v4/help/classification_definition', 401, (url) => request(server()).get(url));
      await check('GET /api/v4/user/quotas', 200, (url) => get(url));
      await check('GET /api/v4/user/quotas', 401, (url) => request(server()).get(url));
      await check('GET /api/v4/user/quotas/{username}', 200, (url) => get(url), { username: analyst.uname });
      await check('GET /api/v4/user/quotas/{username}', 403, (url) => get(url), { username: admin.uname });
    });

    it('Assemblyline submit, and the reads of its submission, files, results and errors', async () => {
      const submitted = await check('POST /api/v4/submit', 200, (url) =>
        request(server()).post(url).set(al()).field('json', JSON.stringify({ name: 'invoice.js' })).attach('bin', content, 'invoice.js'),
      );
      await check('POST /api/v4/submit', 400, (url) => request(server()).post(url).set(al()).send({}));
      ids.sid = submitted.body.api_response.sid;
      ids.sha256 = sha256Of(content);
      await eventually(async () => (await get(`/api/v4/submission/is_completed/${ids.sid}/`)).body.api_response, (done) => done === true, 100);
      await check('GET /api/v4/submission/is_completed/{sid}', 200, (url) => get(url));
      await check('GET /api/v4/submission/is_completed/{sid}', 404, (url) => get(url), { sid: NO_SUCH_ID });
      for (const operation of ['GET /api/v4/submission/{sid}', 'GET /api/v4/submission/full/{sid}', 'GET /api/v4/submission/summary/{sid}', 'GET /api/v4/submission/tree/{sid}']) {
        await check(operation, 200, (url) => get(url));
        await check(operation, 404, (url) => get(url), { sid: NO_SUCH_ID });
      }
      const full = (await get(`/api/v4/submission/full/${ids.sid}/`)).body.api_response as { results: Record<string, unknown>; errors: Record<string, unknown> };
      ids.resultKey = Object.keys(full.results).find((key) => key.includes('Verdict'))!;
      ids.errorKey = Object.keys(full.errors)[0];
      expect([ids.resultKey, ids.errorKey]).toEqual([expect.any(String), expect.any(String)]);
      await check('GET /api/v4/submission/list/user/{user}', 200, (url) => get(url), { user: analyst.uname });
      await check('GET /api/v4/submission/list/user/{user}', 400, (url) => get(url).query({ rows: 'many' }), { user: analyst.uname });
      await check('GET /api/v4/submission/{sid}/file/{sha256}', 200, (url) => get(url));
      await check('GET /api/v4/submission/{sid}/file/{sha256}', 404, (url) => get(url), { sha256: NO_SUCH_SHA256 });

      const children = await check('GET /api/v4/file/children/{sha256}', 200, (url) => get(url));
      expect(children.body.api_response).toEqual([{ sha256: expect.any(String), name: 'dropped.txt' }]);
      for (const operation of ['GET /api/v4/file/info/{sha256}', 'GET /api/v4/file/strings/{sha256}', 'GET /api/v4/file/hex/{sha256}', 'GET /api/v4/file/ascii/{sha256}', 'GET /api/v4/file/result/{sha256}', 'GET /api/v4/file/score/{sha256}', 'GET /api/v4/file/children/{sha256}']) {
        await check(operation, 200, (url) => get(url));
        await check(operation, 404, (url) => get(url), { sha256: NO_SUCH_SHA256 });
      }
      await check('GET /api/v4/file/download/{sha256}', 200, (url) => get(url).query({ encoding: 'raw' }).buffer(true));
      await check('GET /api/v4/file/download/{sha256}', 404, (url) => get(url), { sha256: NO_SUCH_SHA256 });
      await check('GET /api/v4/file/hex/{sha256}', 400, (url) => get(url).query({ bytes: 'all' }));
      await check('GET /api/v4/file/result/{sha256}/{service}', 200, (url) => get(url), { service: 'Verdict' });
      await check('GET /api/v4/file/result/{sha256}/{service}', 404, (url) => get(url), { sha256: NO_SUCH_SHA256, service: 'Verdict' });

      await check('GET /api/v4/result/{key}', 200, (url) => get(url), { key: ids.resultKey });
      await check('GET /api/v4/result/{key}', 404, (url) => get(url), { key: `${NO_SUCH_SHA256}.Verdict.v1_0_0.c0` });
      for (const operation of ['GET /api/v4/result/error/{key}', 'GET /api/v4/error/{key}']) {
        await check(operation, 200, (url) => get(url), { key: ids.errorKey });
        await check(operation, 404, (url) => get(url), { key: `${NO_SUCH_SHA256}.Flaky.v1_0_0.c0.e21` });
      }
      await check('POST /api/v4/result/multiple_keys', 200, (url) => request(server()).post(url).set(al()).send({ result: [ids.resultKey], error: [ids.errorKey] }));
      await check('POST /api/v4/result/multiple_keys', 400, (url) => request(server()).post(url).set(al()).send([ids.resultKey]));

      await check('GET /api/v4/submit/dynamic/{sha256}', 200, (url) => get(url));
      await check('GET /api/v4/submit/dynamic/{sha256}', 404, (url) => get(url), { sha256: NO_SUCH_SHA256 });
      const again = await check('GET /api/v4/submit/resubmit/{sid}', 200, (url) => get(url));
      await check('GET /api/v4/submit/resubmit/{sid}', 404, (url) => get(url), { sid: NO_SUCH_ID });
      await check('DELETE /api/v4/submission/{sid}', 200, (url) => request(server()).delete(url).set(al()), { sid: again.body.api_response.sid });
      await check('DELETE /api/v4/submission/{sid}', 404, (url) => request(server()).delete(url).set(al()), { sid: NO_SUCH_ID });
    }, 60_000);

    it('Assemblyline ingest, its status, notification queues, alerts and file sources', async () => {
      const nq = uniqueId('nq');
      const ingested = await check('POST /api/v4/ingest', 200, (url) =>
        request(server())
          .post(url)
          .set(al())
          .field('json', JSON.stringify({ name: 'ingested.js', notification_queue: nq, generate_alert: true }))
          .attach('bin', Buffer.from(`// malicious ${uniqueId('ingest')}\n`), 'ingested.js'),
      );
      await check('POST /api/v4/ingest', 400, (url) => request(server()).post(url).set(al()).send({}));
      ids.ingestId = ingested.body.api_response.ingest_id;
      await check('GET /api/v4/ingest/status/{ingestId}', 200, (url) => get(url));
      await check('GET /api/v4/ingest/status/{ingestId}', 404, (url) => get(url), { ingestId: NO_SUCH_SHA256.slice(0, 32) });
      const message = await eventually(async () => (await check('GET /api/v4/ingest/get_message/{nq}', 200, (url) => get(url), { nq })).body.api_response, (body) => body !== null, 200);
      expect(message).toMatchObject({ ingest_id: ids.ingestId, score: expect.any(Number) });
      await check('GET /api/v4/ingest/get_message/{nq}', 400, (url) => get(url), { nq: 'bad\u0001name' });
      await check('GET /api/v4/ingest/get_message_list/{nq}', 200, (url) => get(url), { nq });
      await check('GET /api/v4/ingest/get_message_list/{nq}', 400, (url) => get(url).query({ page_size: 'all' }), { nq });
      await check('GET /api/v4/ingest/status/{ingestId}', 200, (url) => get(url));
      const alerts = await eventually(async () => (await check('GET /api/v4/alert/list', 200, (url) => get(url))).body.api_response.items, (items) => items.length > 0, 200);
      ids.alert_id = alerts[0].alert_id;
      await check('GET /api/v4/alert/list', 400, (url) => get(url).query({ rows: 'many' }));
      await check('GET /api/v4/alert/{alert_id}', 200, (url) => get(url));
      await check('GET /api/v4/alert/{alert_id}', 404, (url) => get(url), { alert_id: NO_SUCH_ID });
      await check('GET /api/v4/ingest/sources', 200, (url) => get(url));
      await check('GET /api/v4/ingest/sources', 401, (url) => request(server()).get(url));
    }, 60_000);

    it('Assemblyline UI upload: flow.js chunks, then the start of the upload', async () => {
      const upload = Buffer.from(`flow upload ${uniqueId('flow')}\n`);
      const flow = { flowChunkNumber: '1', flowChunkSize: String(upload.length), flowCurrentChunkSize: String(upload.length), flowTotalSize: String(upload.length), flowTotalChunks: '1', flowIdentifier: uniqueId('flow'), flowFilename: 'upload.txt' };
      await check('GET /api/v4/ui/flowjs', 204, (url) => get(url).query(flow));
      await check('GET /api/v4/ui/flowjs', 412, (url) => get(url).query({ flowChunkNumber: '1' }));
      await check('POST /api/v4/ui/flowjs', 200, (url) => {
        let post = request(server()).post(url).set(al());
        for (const [name, value] of Object.entries(flow)) post = post.field(name, value);
        return post.attach('file', upload, 'blob');
      });
      await check('POST /api/v4/ui/flowjs', 412, (url) => request(server()).post(url).set(al()).field('flowChunkNumber', '1').attach('file', upload, 'blob'));
      await check('GET /api/v4/ui/flowjs', 200, (url) => get(url).query(flow));
      await check('POST /api/v4/ui/start/{ui_sid}', 200, (url) => request(server()).post(url).set(al()).send({ filename: 'upload.txt' }), { ui_sid: flow.flowIdentifier });
      await check('POST /api/v4/ui/start/{ui_sid}', 404, (url) => request(server()).post(url).set(al()).send({}), { ui_sid: uniqueId('none') });
    });

    it('Threat Grid samples, the sandbox task routes a service uses, results and artifacts, search, account', async () => {
      const pdf = Buffer.from(`%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${uniqueId('pdf')}\n%%EOF\n`);
      const sample = await check('POST /api/v2/samples', 200, (url) => request(server()).post(url).field('api_key', tg()).attach('sample', pdf, 'invoice.pdf'));
      await check('POST /api/v2/samples', 400, (url) => request(server()).post(url).field('api_key', tg()).field('tags', 'none'));
      ids.id = sample.body.data.id;

      const task = await takeServiceTask(config, connection, SANDBOX);
      const taskParams = { service: SANDBOX, taskId: task.task_id };
      const asService = (call: SuperTest) => call.set(serviceUser.headers);
      await check('GET /api/v4/service/{service}/task/{taskId}/file', 200, (url) => asService(request(server()).get(url)).buffer(true), taskParams);
      await check('GET /api/v4/service/{service}/task/{taskId}/file', 404, (url) => asService(request(server()).get(url)), { ...taskParams, taskId: NO_SUCH_ID });
      await check('POST /api/v4/service/{service}/task/{taskId}/glovebox', 200, (url) => asService(request(server()).post(url)).send({ url: 'https://sandbox.example/run/1' }), taskParams);
      await check('POST /api/v4/service/{service}/task/{taskId}/glovebox', 400, (url) => asService(request(server()).post(url)).send({ address: 'x' }), taskParams);
      await check('POST /api/v4/service/{service}/task/{taskId}/result', 404, (url) => asService(request(server()).post(url)).send({ result: { sections: [] } }), { ...taskParams, taskId: NO_SUCH_ID });
      await check('POST /api/v4/service/{service}/task/{taskId}/result', 200, (url) => {
        let call = asService(request(server()).post(url)).field(
          'json',
          JSON.stringify({
            result: {
              sections: [
                { title: 'Ran a script', heuristic: { heur_id: 'DYN.1', name: 'Executes a dropped script', score: 950 }, tags: [{ type: 'network.dynamic.ip', value: '185.220.101.4' }] },
              ],
            },
          }),
        );
        for (const name of ARTIFACTS) call = call.attach('supplementary', Buffer.from(name.endsWith('.json') ? '{}' : `artifact ${name}`), name);
        return call;
      }, taskParams);
      await eventually(async () => (await tgGet(`/api/v2/samples/${ids.id}/state`)).body.data?.state, (state) => state === 'succ' || state === 'fail', 200);

      const sampleOps = ['GET /api/v2/samples/{id}', 'GET /api/v2/samples/{id}/state', 'GET /api/v2/samples/{id}/threat', 'GET /api/v2/samples/{id}/summary', 'GET /api/v2/samples/{id}/analysis.json', 'GET /api/v2/samples/{id}/sample.zip'];
      const parts = ['iocs', 'artifacts', 'metadata', 'processes', 'network_streams', 'annotations'].map((part) => `GET /api/v2/samples/{id}/analysis/${part}`);
      for (const operation of [...sampleOps, ...parts, ...[...ARTIFACTS, 'viedo.webm'].map((name) => `GET /api/v2/samples/{id}/${name}`)]) {
        await check(operation, 200, (url) => tgGet(url).buffer(true));
        await check(operation, 404, (url) => tgGet(url), { id: NO_SUCH_ID });
      }
      await check('GET /api/v2/samples/{id}/analysis/iocs/{ioc}', 200, (url) => tgGet(url), { ioc: 'DYN.1' });
      await check('GET /api/v2/samples/{id}/analysis/iocs/{ioc}', 404, (url) => tgGet(url), { ioc: 'NONE.1' });
      await check('GET /api/v2/samples/{id}/analysis/artifacts/{artifact}', 200, (url) => tgGet(url), { artifact: '1' });
      await check('GET /api/v2/samples/{id}/analysis/artifacts/{artifact}', 404, (url) => tgGet(url), { artifact: '999' });
      await check('GET /api/v2/samples/{id}/analysis/network_streams/{stream}', 200, (url) => tgGet(url), { stream: '1' });
      await check('GET /api/v2/samples/{id}/analysis/network_streams/{stream}', 404, (url) => tgGet(url), { stream: '999' });

      await check('GET /api/v2/samples', 200, (url) => tgGet(url));
      await check('GET /api/v2/samples', 400, (url) => tgGet(url, { limit: 'all' }));
      await check('GET /api/v2/samples/state', 200, (url) => tgGet(url, { ids: JSON.stringify([ids.id]) }));
      await check('GET /api/v2/samples/state', 400, (url) => tgGet(url));
      await check('POST /api/v2/samples/state', 200, (url) => request(server()).post(url).type('form').send({ api_key: tg(), ids: JSON.stringify([ids.id]) }));
      await check('POST /api/v2/samples/state', 400, (url) => request(server()).post(url).type('form').send({ api_key: tg() }));
      await check('GET /api/v2/samples/search', 200, (url) => tgGet(url, { checksum: sha256Of(pdf) }));
      await check('GET /api/v2/samples/search', 400, (url) => tgGet(url));
      await check('GET /api/v2/search/submissions', 200, (url) => tgGet(url, { q: sha256Of(pdf) }));
      await check('GET /api/v2/search/submissions', 400, (url) => tgGet(url, { limit: 'all' }));

      await check('GET /api/v3/session/whoami', 200, (url) => tgGet(url));
      await check('GET /api/v3/users/{login}/rate-limit', 200, (url) => tgGet(url), { login: analyst.uname });
      await check('GET /api/v3/users/{login}/rate-limit', 403, (url) => tgGet(url), { login: admin.uname });
      for (const operation of ['GET /api/v3/session/whoami', 'GET /api/v3/configuration/vms', 'GET /api/v3/configuration/playbooks', 'GET /api/v3/configuration/network-exits']) {
        await check(operation, 200, (url) => tgGet(url));
        await check(operation, 401, (url) => request(server()).get(url));
      }
    }, 90_000);

    it("Hopper's operator routes (administrators): queues, failed jobs and their retry, readiness", async () => {
      const asAdmin = (call: SuperTest) => call.set(al(admin));
      await check('GET /api/v4/operations/queues', 200, (url) => asAdmin(request(server()).get(url)));
      await check('GET /api/v4/operations/queues', 403, (url) => get(url));
      // A failed job: with the ingester closed (its tests are done) nothing else takes `complete` jobs, so one is
      // taken by hand and failed.
      await ingester?.close();
      ingester = null;
      await api.get<Queues>(QUEUES).get(QueueName.Complete)!.add('openapi-failed', { sid: uniqueId('failed') });
      const taker = new Worker(QueueName.Complete, null, { connection, prefix: config.redis.prefix });
      const token = uniqueId('token');
      const job = (await taker.getNextJob(token))!;
      job.discard(); // no attempts left: straight to failed
      await job.moveToFailed(new Error('made to fail by the OpenAPI test'), token);
      await taker.close();
      const failed = await check('GET /api/v4/operations/queues/{queue}/failed', 200, (url) => asAdmin(request(server()).get(url)), { queue: QueueName.Complete });
      expect(failed.body.api_response.items.map((item: { id: string }) => item.id)).toContain(job.id);
      await check('GET /api/v4/operations/queues/{queue}/failed', 404, (url) => asAdmin(request(server()).get(url)), { queue: 'nosuchqueue' });
      await check('GET /api/v4/operations/queues/{queue}/failed', 400, (url) => asAdmin(request(server()).get(url)).query({ rows: 'many' }), { queue: QueueName.Complete });
      await check('POST /api/v4/operations/queues/{queue}/failed/{job}/retry', 200, (url) => asAdmin(request(server()).post(url)), { queue: QueueName.Complete, job: job.id! });
      await check('POST /api/v4/operations/queues/{queue}/failed/{job}/retry', 404, (url) => asAdmin(request(server()).post(url)), { queue: QueueName.Complete, job: 'nosuchjob' });
      await job.remove().catch(() => undefined);
      await check('GET /api/v4/operations/readiness', 200, (url) => asAdmin(request(server()).get(url)));
      await check('GET /api/v4/operations/readiness', 403, (url) => get(url));
    });

    it("Hopper's own: liveness, readiness, metrics", async () => {
      await check('GET /healthz', 200, (url) => request(server()).get(url));
      await check('GET /readyz', 200, (url) => request(server()).get(url));
      await check('GET /metrics', 200, (url) => request(server()).get(url));
    });

    it('a drifted answer fails its schema: a required field gone, a field retyped, an extra field in a closed model, a success not in its envelope', async () => {
      const schema = (document.paths['/api/v4/user/quotas'].get!.responses['200'] as { content: Record<string, { schema: object }> }).content['application/json'].schema;
      const validate = validatorFor('GET /api/v4/user/quotas 200', schema);
      const real = (await get('/api/v4/user/quotas/')).body as { api_response: Record<string, unknown> };
      expect(validate(real)).toBe(true);
      const { daily_submission: _dropped, ...withoutField } = real.api_response;
      const drifted = [
        { ...real, api_response: withoutField },
        { ...real, api_response: { ...real.api_response, daily_submission: String(real.api_response.daily_submission) } },
        { ...real, api_response: { ...real.api_response, daily_submissions_left: 1 } },
        real.api_response,
      ];
      expect(drifted.map((answer) => validate(answer))).toEqual([false, false, false, false]);
    });

    it('every documented operation answered a success and an error that match the document', () => {
      const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`));
      const missing = operations.flatMap((operation) => [
        ...(exercised.has(`${operation} ok`) ? [] : [`${operation}: no success checked`]),
        ...(exercised.has(`${operation} error`) || NO_ERROR_ANSWER.has(operation) ? [] : [`${operation}: no error checked`]),
      ]);
      expect(missing).toEqual([]);
    });
  });

  it('generates TypeScript types (openapi-typescript) that a small typed client compiles against', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hopper-openapi-client-'));
    writeFileSync(join(dir, 'openapi.json'), JSON.stringify(served));
    execFileSync(process.execPath, [join(ROOT, 'node_modules/openapi-typescript/bin/cli.js'), 'openapi.json', '-o', 'hopper-api.d.ts'], { cwd: dir, stdio: 'pipe' });
    writeFileSync(join(dir, 'client.ts'), TYPED_CLIENT);
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'es2022', module: 'es2022', moduleResolution: 'bundler', lib: ['es2022'], types: [], noUnusedLocals: false }, files: ['client.ts'] }),
    );
    let output = '';
    try {
      execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      output = String((error as { stdout?: Buffer }).stdout ?? error);
    }
    expect(output).toBe('');
  }, 60_000);
});

/**
 * A client typed by the generated `paths` and `components`: the answers' fields are typed (a required field is
 * not optional, a sid is a string), and the `@ts-expect-error` lines fail the compile if the types went loose
 * (a closed envelope that took any field, a string typed as anything).
 */
const TYPED_CLIENT = `
import type { components, paths } from './hopper-api';

type Send = (method: 'GET' | 'POST', path: string, body?: unknown) => Promise<{ status: number; json: unknown }>;
type JsonOf<Operation, Status extends number> = Operation extends { responses: { [S in Status]: { content: { 'application/json': infer Body } } } } ? Body : never;

type SubmitOk = JsonOf<paths['/api/v4/submit']['post'], 200>;
type QuotasOk = JsonOf<paths['/api/v4/user/quotas']['get'], 200>;
type SampleOk = JsonOf<paths['/api/v2/samples']['post'], 200>;
type StatesOk = JsonOf<paths['/api/v2/samples/state']['post'], 200>;
type AlError = components['schemas']['AlError'];
type TgError = components['schemas']['TgError'];

export class HopperClient {
  constructor(private readonly send: Send) {}

  async submit(form: unknown): Promise<{ sid: string; state: 'submitted' | 'completed' | 'failed' }> {
    const { status, json } = await this.send('POST', '/api/v4/submit', form);
    if (status !== 200) throw new Error((json as AlError).api_error_message);
    const answer = (json as SubmitOk).api_response;
    return { sid: answer.sid, state: answer.state };
  }

  async dailySubmissionsLeft(): Promise<number> {
    const { json } = await this.send('GET', '/api/v4/user/quotas');
    return (json as QuotasOk).api_response.daily_submission;
  }

  async submitSample(form: unknown): Promise<string> {
    const { status, json } = await this.send('POST', '/api/v2/samples', form);
    if (status !== 200) throw new Error((json as TgError).error.errors[0].message);
    return (json as SampleOk).data.id;
  }

  async states(ids: string[]): Promise<Array<'wait' | 'prep' | 'run' | 'proc' | 'succ' | 'fail'>> {
    const { json } = await this.send('POST', '/api/v2/samples/state', { ids: JSON.stringify(ids) });
    return (json as StatesOk).data.map((entry) => entry.state);
  }
}

export function loose(submitted: SubmitOk, quotas: QuotasOk): void {
  // @ts-expect-error the envelope has exactly its four fields
  void submitted.api_result;
  // @ts-expect-error a sid is a string
  const sid: number = submitted.api_response.sid;
  // @ts-expect-error the quota report is closed: no such field
  void quotas.api_response.daily_quota_left;
  void sid;
}
`;
