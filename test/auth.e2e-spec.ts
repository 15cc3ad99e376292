import { Controller, INestApplication, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { AlApi } from '../apps/api/src/al-api/al-api.decorator';
import { ApiModule } from '../apps/api/src/api.module';
import { AuthModule } from '../apps/api/src/auth/auth.module';
import { CurrentUser, RequireRoles } from '../apps/api/src/auth/auth.decorators';
import type { AuthenticatedUser } from '../apps/api/src/auth/auth.service';
import { hashApiKey, hashPassword } from '@hopper/accounts';
import { API_APP_OPTIONS, configureApi } from '../apps/api/src/create-api';
import { isolatedConfig, uniqueId } from './support/test-env';

/** A write route that needs a role, to exercise the guard's role and XSRF checks. */
@AlApi()
@Controller('api/v4/probe')
class ProbeController {
  @Post('create/')
  @RequireRoles('submission_create')
  create(@CurrentUser() auth: AuthenticatedUser) {
    return { created_by: auth.uname };
  }
}

async function buildApp(config: HopperConfig): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config), AuthModule], controllers: [ProbeController] }).compile();
  const app = moduleRef.createNestApplication(API_APP_OPTIONS);
  configureApi(app);
  await app.init();
  return app;
}

const ADMIN_PASSWORD = 'bootstrap-password-1';
const ADMIN_APIKEY = 'firstkey:bootstrap-secret-1';

describe('authentication, Assemblyline style', () => {
  let app: INestApplication;
  let config: HopperConfig;
  let users: UsersRepository;

  beforeAll(async () => {
    process.env.HOPPER_ADMIN_PASSWORD = ADMIN_PASSWORD;
    process.env.HOPPER_ADMIN_APIKEY = ADMIN_APIKEY;
    config = isolatedConfig('auth');
    app = await buildApp(config);
    users = app.get(UsersRepository);
  });

  afterAll(async () => {
    delete process.env.HOPPER_ADMIN_PASSWORD;
    delete process.env.HOPPER_ADMIN_APIKEY;
    await users.model.db.dropDatabase();
    await app.close();
  });

  async function addUser(overrides: Partial<Parameters<UsersRepository['create']>[0]> = {}) {
    const uname = uniqueId('user');
    await users.create(
      {
        uname,
        name: uname,
        email: null,
        type: ['user'],
        roles: [],
        groups: [],
        classification: 'TLP:C',
        is_active: true,
        password: await hashPassword('pw'),
        submission_quota: null,
        submission_daily_quota: null,
        submission_settings: {},
        ...overrides,
      },
      new Date(),
    );
    return uname;
  }

  it('answers 404 on /api/v3/auth/init/, so the Python client stays on v4', async () => {
    await request(app.getHttpServer()).get('/api/v3/auth/init/').expect(404);
  });

  it('lists v4 at /api/, in the envelope (the client reads api_response here too)', async () => {
    const response = await request(app.getHttpServer()).get('/api/').expect(200);
    expect(response.body).toEqual({ api_response: ['v4'], api_error_message: '', api_server_version: expect.any(String), api_status_code: 200 });
  });

  it('bootstraps one admin from the environment on first start, and only once', async () => {
    expect(await users.count()).toBe(1);
    const admin = await users.findByUname('admin');
    expect(admin?.type).toEqual(['admin']);
    expect(admin?.password).not.toBe(ADMIN_PASSWORD);
    expect(JSON.stringify(admin?.apikeys)).not.toContain('bootstrap-secret-1');

    const second = await buildApp(config); // a restart against the same database
    await second.close();
    expect(await users.count()).toBe(1);
  });

  it('logs in by API key: envelope, session and XSRF cookies (not Secure over http), then whoami by cookie', async () => {
    const agent = request.agent(app.getHttpServer());
    const login = await agent.post('/api/v4/auth/login/').send({ user: 'admin', apikey: ADMIN_APIKEY }).expect(200);
    expect(login.body).toEqual({
      api_response: { username: 'admin', roles_limit: null, session_duration: 3600 },
      api_error_message: '',
      api_server_version: expect.any(String),
      api_status_code: 200,
    });
    const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
    const session = cookies.find((cookie) => cookie.startsWith('session='))!;
    const xsrf = cookies.find((cookie) => cookie.startsWith('XSRF-TOKEN='))!;
    expect(session).toMatch(/HttpOnly/);
    expect(session).not.toMatch(/Secure/);
    expect(xsrf).not.toMatch(/HttpOnly|Secure/);

    const whoami = await agent.get('/api/v4/user/whoami/').set('content-type', 'application/json').query({ self: '<obj>' }).expect(200);
    expect(whoami.body.api_response).toMatchObject({ username: 'admin', type: ['admin'] });
    expect(whoami.body.api_response.roles).toEqual(expect.arrayContaining(['administration', 'submission_create']));
  });

  it('logs in by password', async () => {
    const response = await request(app.getHttpServer()).post('/api/v4/auth/login/').send({ user: 'admin', password: ADMIN_PASSWORD }).expect(200);
    expect(response.body.api_response.username).toBe('admin');
  });

  it('refuses wrong credentials with Assemblyline texts', async () => {
    const server = app.getHttpServer();
    const badKey = await request(server).post('/api/v4/auth/login/').send({ user: 'admin', apikey: 'firstkey:nope' }).expect(401);
    expect(badKey.body).toMatchObject({ api_response: null, api_error_message: 'Invalid user or APIKey', api_status_code: 401 });
    const noSuchKey = await request(server).post('/api/v4/auth/login/').send({ user: 'admin', apikey: 'other:bootstrap-secret-1' }).expect(401);
    expect(noSuchKey.body.api_error_message).toBe('Invalid user or APIKey');
    const badPassword = await request(server).post('/api/v4/auth/login/').send({ user: 'admin', password: 'nope' }).expect(401);
    expect(badPassword.body.api_error_message).toBe('Wrong username or password');
    const nobody = await request(server).post('/api/v4/auth/login/').send({ user: 'nobody', password: 'x' }).expect(401);
    expect(nobody.body.api_error_message).toBe('Wrong username or password');
  });

  it('takes strings only: a login with a user or key of another type is a 401, in Assemblyline\'s words', async () => {
    const response = await request(app.getHttpServer()).post('/api/v4/auth/login/').send({ user: 42, apikey: 'a:b' }).expect(401);
    expect(response.body.api_error_message).toBe('Not enough information to proceed with authentication');
  });

  it('authenticates X-USER and X-APIKEY headers on any call', async () => {
    const response = await request(app.getHttpServer())
      .get('/api/v4/user/whoami/')
      .set('X-USER', 'admin')
      .set('X-APIKEY', ADMIN_APIKEY)
      .expect(200);
    expect(response.body.api_response.username).toBe('admin');
    await request(app.getHttpServer()).get('/api/v4/user/whoami/').set('X-USER', 'admin').set('X-APIKEY', 'firstkey:x').expect(401);
  });

  it('answers 401 "Session not found" without credentials, so the client logs in again', async () => {
    const response = await request(app.getHttpServer()).get('/api/v4/user/whoami/').expect(401);
    expect(response.body.api_error_message).toBe('Session not found');
    const expired = await request(app.getHttpServer()).get('/api/v4/user/whoami/').set('Cookie', 'session=unknown').expect(401);
    expect(expired.body.api_error_message).toBe('Session expired');
  });

  it('requires the X-XSRF-TOKEN header on writes made with the session cookie', async () => {
    const agent = request.agent(app.getHttpServer());
    const login = await agent.post('/api/v4/auth/login/').send({ user: 'admin', apikey: ADMIN_APIKEY }).expect(200);
    const xsrf = ([] as string[]).concat(login.headers['set-cookie']).find((c) => c.startsWith('XSRF-TOKEN='))!.split(';')[0].split('=')[1];
    const refused = await agent.post('/api/v4/probe/create/').send({}).expect(403);
    expect(refused.body.api_error_message).toBe('Invalid or missing X-XSRF-TOKEN header');
    await agent.post('/api/v4/probe/create/').set('X-XSRF-TOKEN', 'wrong-token').send({}).expect(403);
    const ok = await agent.post('/api/v4/probe/create/').set('X-XSRF-TOKEN', xsrf).send({}).expect(201);
    expect(ok.body.api_response).toEqual({ created_by: 'admin' });
  });

  it('limits a key to its roles and answers 403 naming the missing role', async () => {
    const uname = await addUser({
      apikeys: { viewonly: { ...hashApiKey('v-secret'), roles: ['submission_view'], created: new Date(), expiry_ts: null } },
    });
    const whoami = await request(app.getHttpServer()).get('/api/v4/user/whoami/').set('X-USER', uname).set('X-APIKEY', 'viewonly:v-secret').expect(200);
    expect(whoami.body.api_response.roles).toEqual(['submission_view']);
    const refused = await request(app.getHttpServer()).post('/api/v4/probe/create/').set('X-USER', uname).set('X-APIKEY', 'viewonly:v-secret').expect(403);
    expect(refused.body.api_error_message).toBe(`User '${uname}' does not have the 'submission_create' role required by this API`);
  });

  it('refuses expired keys and disabled users', async () => {
    const uname = await addUser({
      apikeys: { old: { ...hashApiKey('o-secret'), roles: [], created: new Date(), expiry_ts: new Date(Date.now() - 1000) } },
    });
    await request(app.getHttpServer()).get('/api/v4/user/whoami/').set('X-USER', uname).set('X-APIKEY', 'old:o-secret').expect(401);
    const disabled = await addUser({ is_active: false });
    await request(app.getHttpServer()).post('/api/v4/auth/login/').send({ user: disabled, password: 'pw' }).expect(401);
  });

  it('slows guessing: after 10 failures the user is refused even with the right password', async () => {
    const uname = await addUser();
    for (let i = 0; i < 10; i++) {
      await request(app.getHttpServer()).post('/api/v4/auth/login/').send({ user: uname, password: `guess${i}` }).expect(401);
    }
    const blocked = await request(app.getHttpServer()).post('/api/v4/auth/login/').send({ user: uname, password: 'pw' }).expect(429);
    expect(blocked.body.api_error_message).toBe('Too many failed login attempts, try again later');
  });
});
