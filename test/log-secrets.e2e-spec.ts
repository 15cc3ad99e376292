// Issue 16, "Secrets": credentials clients send (Threat Grid's api_key in the query, a form field, a GET body
// or a Bearer header; Assemblyline's login apikey/password, its session cookies, X-APIKEY) never reach the
// API's log, while its request lines still do. Everything the API process logs goes to a stream this test
// reads, at level info, so every request line is written.
import { readFileSync, statSync } from 'node:fs';
import { Controller, Get, INestApplication, Logger } from '@nestjs/common';
import { PARAMS_PROVIDER_TOKEN } from 'nestjs-pino';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { loggingParams } from '@hopper/observability';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { PYTHON_REQUESTS_HEADERS, pythonForm, pythonMultipart, tgKey } from './support/threatgrid-client';
import { isolatedConfig, uniqueId } from './support/test-env';

const PASSWORD = `Pw-${uniqueId('secret')}`;
const FAILURE_SECRET = uniqueId('failuresecret');

/** A route that fails unexpectedly, quoting a credential in its error (as a driver's error may quote a query). */
@Controller('api/v4/test-failure')
class FailingController {
  @Get()
  fail(): never {
    throw new Error(`unexpected failure, query was apikey=${FAILURE_SECRET}`);
  }
}

interface LogLine {
  msg?: string;
  context?: string;
  req?: { id?: number; method?: string; url?: string };
  res?: { statusCode?: number };
}

describe('no credential reaches the API log', () => {
  const written: string[] = [];
  let config: HopperConfig;
  let api: INestApplication;
  let user: TestUser;
  let secrets: string[];

  beforeAll(async () => {
    config = isolatedConfig('log-secrets', { logging: { level: 'info' } });
    const capture = { write: (line: string) => void written.push(line) };
    api = await startApi(config, [FailingController], (builder) => builder.overrideProvider(PARAMS_PROVIDER_TOKEN).useValue(loggingParams('api', config, capture)));
    user = await addUserWithKey(api, { password: PASSWORD });
    // The secret part of the user's key (`testkey:<secret>`), the Threat Grid key carries it too.
    secrets = [user.apikey.slice(user.apikey.indexOf(':') + 1), PASSWORD];
  });

  afterAll(async () => {
    await api.get(UsersRepository).model.db.dropDatabase();
    await api.close();
  });

  const server = () => api.getHttpServer();
  const lines = (): LogLine[] => written.map((line) => JSON.parse(line) as LogLine);
  /** pino-http's line for each answered request (it has `res`; other lines of the request only carry `req`). */
  const requestLines = (path: string): LogLine[] => lines().filter((line) => line.res && line.req?.url?.startsWith(path));
  const log = () => written.join('');

  it('Threat Grid: api_key in the query, after &, in a multipart field, in a urlencoded GET body, as Bearer, and a wrong one', async () => {
    const key = tgKey(user);
    // pythreatgrid: ThreatGrid.get_samples / get_sample → GET …?api_key=…
    await request(server()).get('/api/v2/samples').set(PYTHON_REQUESTS_HEADERS).query({ api_key: key, limit: 1 }).expect(200);
    // Threat Grid's own examples: /api/v2/samples&api_key=…
    await request(server()).get(`/api/v2/samples/search&api_key=${encodeURIComponent(key)}&checksum=${'0'.repeat(64)}`).set(PYTHON_REQUESTS_HEADERS).expect(200);
    // Cisco's tg-submit scripts: requests.post(url, files={'sample': …}, data={'api_key': …})
    const multipart = pythonMultipart({ api_key: key, tags: 'logged' }, { sample: { filename: 'note.txt', content: `note ${uniqueId('n')}\n` } });
    await request(server()).post('/api/v2/samples').set(PYTHON_REQUESTS_HEADERS).set('Content-Type', multipart.contentType).send(multipart.body).expect(200);
    // Scripts that pass data={'api_key': …} to requests.get: an urlencoded body on a GET.
    await request(server())
      .get('/api/v2/samples')
      .set(PYTHON_REQUESTS_HEADERS)
      .set('Content-Type', 'application/x-www-form-urlencoded')
      .send(pythonForm({ api_key: key, limit: 1 }))
      .expect(200);
    await request(server()).get('/api/v3/session/whoami').set(PYTHON_REQUESTS_HEADERS).set('Authorization', `Bearer ${key}`).expect(200);
    const wrong = `${user.uname}:testkey:${uniqueId('wrongsecret')}`;
    secrets.push(wrong.slice(wrong.lastIndexOf(':') + 1));
    await request(server()).get('/api/v2/samples').query({ api_key: wrong }).expect(401);

    // The request lines are there, with the key's value gone from the URL.
    const sampleLines = requestLines('/api/v2/samples');
    expect(sampleLines.length).toBeGreaterThanOrEqual(5);
    expect(sampleLines.some((line) => line.req?.url === '/api/v2/samples?api_key=[Redacted]&limit=1')).toBe(true);
    expect(requestLines('/api/v3/session/whoami')).toHaveLength(1);
    for (const secret of secrets) expect(log()).not.toContain(secret);
  });

  it('Assemblyline: login by apikey and by password, the session cookies after it, and X-APIKEY', async () => {
    // assemblyline_client: get_client(server, apikey=(user, key)) → POST /api/v4/auth/login/ {"user", "apikey"}
    const byKey = await request(server()).post('/api/v4/auth/login/').send({ user: user.uname, apikey: user.apikey }).expect(200);
    // assemblyline_client: get_client(server, auth=(user, password)) → POST /api/v4/auth/login/ {"user", "password"}
    await request(server()).post('/api/v4/auth/login/').send({ user: user.uname, password: PASSWORD }).expect(200);
    await request(server()).post('/api/v4/auth/login/').send({ user: user.uname, password: `${PASSWORD}-wrong` }).expect(401);
    secrets.push(`${PASSWORD}-wrong`);

    const cookies = ([] as string[]).concat(byKey.headers['set-cookie'] ?? []).map((cookie) => cookie.split(';')[0]);
    const session = cookies.find((cookie) => cookie.startsWith('session='))!;
    const xsrf = cookies.find((cookie) => cookie.startsWith('XSRF-TOKEN='))!;
    expect(session).toBeDefined();
    expect(xsrf).toBeDefined();
    secrets.push(session.slice('session='.length), xsrf.slice('XSRF-TOKEN='.length));
    // assemblyline_client: later calls carry the cookies, and X-XSRF-TOKEN on writes
    await request(server())
      .get('/api/v4/user/whoami/')
      .set('Cookie', cookies.join('; '))
      .set('X-XSRF-TOKEN', xsrf.slice('XSRF-TOKEN='.length))
      .set('Content-Type', 'application/json')
      .expect(200);
    await request(server()).get('/api/v4/user/whoami/').set(user.headers).expect(200);

    expect(requestLines('/api/v4/auth/login/')).toHaveLength(3);
    expect(requestLines('/api/v4/user/whoami/')).toHaveLength(2);
    for (const secret of secrets) expect(log()).not.toContain(secret);
  });

  it("redacts what the exception filters log: an error's message and stack quoting a body, a URL or a header", async () => {
    // What AlExceptionFilter / TgExceptionFilter write for an unexpected error: its stack, through Nest's Logger.
    const error = new Error(
      `unexpected: ${JSON.stringify({ user: user.uname, apikey: user.apikey, password: PASSWORD })} at /api/v2/samples?api_key=${tgKey(user)} ` +
        `with Authorization: Bearer ${tgKey(user)}`,
    );
    new Logger('AlApi').error(error.stack);
    await new Promise((resolve) => setImmediate(resolve));
    const errorLine = written.find((line) => line.includes('unexpected: '));
    expect(errorLine).toBeDefined();
    expect(errorLine).toContain('[Redacted]');
    for (const secret of secrets) expect(log()).not.toContain(secret);
  });
  it("logs an unexpected error with its request (the access line's id), and both lines without the credential", async () => {
    await request(server()).get(`/api/v4/test-failure?apikey=${FAILURE_SECRET}`).expect(500);
    await new Promise((resolve) => setImmediate(resolve));
    const errorLine = lines().find((line) => line.context === 'AlApi' && line.msg?.includes('unexpected failure'));
    const [accessLine] = requestLines('/api/v4/test-failure');
    expect(accessLine).toMatchObject({ msg: 'request errored', res: { statusCode: 500 }, req: { url: '/api/v4/test-failure?apikey=[Redacted]' } });
    expect(errorLine?.req).toMatchObject({ id: accessLine!.req!.id, method: 'GET', url: '/api/v4/test-failure?apikey=[Redacted]' });
    expect(log()).not.toContain(FAILURE_SECRET);
  });

  it("writes the first start's generated admin credentials to a file only its owner reads, never to the log", async () => {
    // startApi bootstrapped `admin` on the empty database, with neither HOPPER_ADMIN_PASSWORD nor HOPPER_ADMIN_APIKEY set.
    const file = config.api.admin_credentials_file;
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const fields = Object.fromEntries(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((line) => line.split(': ') as [string, string]),
    );
    expect(fields.user).toBe('admin');
    // The written key works: the file is the only place it is.
    const whoami = await request(server()).get('/api/v4/user/whoami/').set({ 'x-user': 'admin', 'x-apikey': fields.apikey }).expect(200);
    expect(whoami.body.api_response.username).toBe('admin');
    expect(log()).toContain(`its generated credentials are in ${file}`);
    expect(log()).not.toContain(fields.password);
    expect(log()).not.toContain(fields.apikey.slice(fields.apikey.indexOf(':') + 1));
  });
});
