// The OpenAPI document against reality: the document the API serves at /api/docs/openapi.json lists every
// route the application registers; real answers of every documented operation, one success and at least one
// error each, validate (ajv) against the schema documented for their status, in their family's envelope; and
// TypeScript types generated from the document (openapi-typescript) compile a small typed client. One API,
// ingester and dispatcher over the real Redis, MongoDB and filestore; two in-process services and a sandbox
// played by the test produce results, an error, an extracted file and sandbox artifacts to read.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Ajv, { ValidateFunction } from 'ajv';
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

/** The operations that have no error answer a request can provoke (public, and without input). */
const NO_ERROR_ANSWER = new Set(['GET /api/', 'GET /healthz', 'GET /metrics']);
/**
 * Registered routes the document leaves out on purpose: Threat Grid's catch-all 404, the document's own pages,
 * and middleware Nest binds to every path as an `all('/{*path}')` route (logging's `forRoutes('*')`).
 */
const UNDOCUMENTED = [/^[A-Z-]+ \/api\/v[23]\/\{path\}$/, /^GET \/api\/docs/, /^[A-Z-]+ \/\{\{path\}\}$/];

describe('OpenAPI document (/api/docs) against the running API', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
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
    expect([operation, response.status, response.status >= 400 ? response.text.slice(0, 300) : '']).toEqual([operation, status, expect.any(String)]);
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
      services: { external_poll_ms: 100, external: [sandboxManifest(SANDBOX)] },
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
