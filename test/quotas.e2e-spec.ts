import { Controller, Get, HttpException, INestApplication, INestApplicationContext, Inject, Param, Res } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { Response } from 'express';
import IORedis from 'ioredis';
import request from 'supertest';
import { hashApiKey } from '@hopper/accounts';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionsRepository, UsersRepository } from '@hopper/datastore';
import { effectiveQuotaLimits, REDIS_CONNECTION, SubmissionQuotas } from '@hopper/queues';
import { AlApi } from '../apps/api/src/al-api/al-api.decorator';
import { ApiModule } from '../apps/api/src/api.module';
import { AuthModule } from '../apps/api/src/auth/auth.module';
import { QuotasModule } from '../apps/api/src/quotas/quotas.module';
import { CurrentUser, RequireRoles } from '../apps/api/src/auth/auth.decorators';
import type { AuthenticatedUser } from '../apps/api/src/auth/auth.service';
import { API_APP_OPTIONS, configureApi } from '../apps/api/src/create-api';
import { setRemainingSubmissionQuota } from '../apps/api/src/quotas/remaining-quota-header';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { eventually, startIngester, StubDispatcher } from './support/ingester-harness';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';

/** Stands in for submit/ingest: takes a quota slot as Assemblyline's call sites do (503 with the message). */
@AlApi()
@Controller('api/v4/quota-probe')
class QuotaProbeController {
  constructor(
    private readonly quotas: SubmissionQuotas,
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
  ) {}

  @Get('start/:sid/')
  @RequireRoles('submission_create')
  async start(@CurrentUser() auth: AuthenticatedUser, @Param('sid') sid: string, @Res({ passthrough: true }) res: Response) {
    const limits = effectiveQuotaLimits(auth.user, this.config.ui.default_quotas, 'submit');
    const decision = await this.quotas.tryAcquire(auth.uname, limits, sid);
    setRemainingSubmissionQuota(res, decision.remainingDaily);
    if (!decision.ok) throw new HttpException(decision.error, 503);
    return { sid };
  }

  @Get('end/:sid/')
  async end(@CurrentUser() auth: AuthenticatedUser, @Param('sid') sid: string) {
    return { released: await this.quotas.release(auth.uname, sid) };
  }
}

describe('submission quotas', () => {
  let app: INestApplication;
  let config: HopperConfig;
  let users: UsersRepository;
  let quotas: SubmissionQuotas;
  let redis: IORedis;

  beforeAll(async () => {
    config = isolatedConfig('quotas', { ui: { enforce_quota: true, default_quotas: { concurrent_submissions: 2, daily_submissions: 0 } } });
    const moduleRef = await Test.createTestingModule({ imports: [ApiModule.forRoot(config), AuthModule, QuotasModule], controllers: [QuotaProbeController] }).compile();
    app = moduleRef.createNestApplication(API_APP_OPTIONS);
    configureApi(app);
    await app.init();
    users = app.get(UsersRepository);
    quotas = app.get(SubmissionQuotas);
    redis = app.get(REDIS_CONNECTION);
    expect(app.get(HOPPER_CONFIG).ui.enforce_quota).toBe(true);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${config.redis.prefix}:quota:*`); // the hash tag braces are part of every key
    if (keys.length) await Promise.all(keys.map((key) => redis.del(key)));
    await users.model.db.dropDatabase();
    await app.close();
  });

  async function addUser(quota: { submission_quota?: number | null; submission_daily_quota?: number | null } = {}, type = ['user']) {
    const uname = uniqueId('q');
    await users.create(
      {
        uname, name: uname, email: null, type, roles: [], groups: [], classification: 'TLP:C', is_active: true, password: null,
        apikeys: { k: { ...hashApiKey('secret'), roles: [], created: new Date(), expiry_ts: null } },
        submission_quota: quota.submission_quota ?? null, submission_daily_quota: quota.submission_daily_quota ?? null,
        submission_settings: {},
      },
      new Date(),
    );
    return uname;
  }

  const get = (uname: string, path: string) => request(app.getHttpServer()).get(path).set('X-USER', uname).set('X-APIKEY', 'k:secret');
  const start = (uname: string, sid: string) => get(uname, `/api/v4/quota-probe/start/${sid}/`);
  const end = (uname: string, sid: string) => get(uname, `/api/v4/quota-probe/end/${sid}/`);

  it('refuses the submission over the concurrent default with 503 and Assemblyline\'s text', async () => {
    const uname = await addUser();
    await start(uname, 's1').expect(200);
    await start(uname, 's2').expect(200);
    const refused = await start(uname, 's3').expect(503);
    expect(refused.body.api_error_message).toBe("You've exceeded your maximum concurrent submission quota of 2");
    expect(refused.body.api_error_message).not.toMatch(/daily/i);
    expect(refused.body.api_status_code).toBe(503);
  });

  it('frees one slot per release, and a repeated release frees nothing', async () => {
    const uname = await addUser();
    await start(uname, 'a').expect(200);
    await start(uname, 'b').expect(200);
    expect((await end(uname, 'a').expect(200)).body.api_response).toEqual({ released: true });
    expect((await end(uname, 'a').expect(200)).body.api_response).toEqual({ released: false });
    expect(await quotas.usage(uname)).toEqual({ concurrent: 1, daily: 2 });
    await start(uname, 'c').expect(200);
    await start(uname, 'd').expect(503);
    // Releasing an id that holds no slot never goes below zero.
    await end(uname, 'never-started').expect(200);
    expect((await quotas.usage(uname)).concurrent).toBe(2);
  });

  it('takes one slot per submission id, however often it is retried', async () => {
    const uname = await addUser();
    await start(uname, 'same').expect(200);
    await start(uname, 'same').expect(200);
    expect((await quotas.usage(uname)).concurrent).toBe(1);
  });

  it('keeps the submit and async pools apart, with one daily count for both', async () => {
    const uname = await addUser();
    const limits = { concurrent: 1, daily: 0 };
    expect(await quotas.acquire(uname, limits, 'sub', 'submit')).toBeNull();
    expect(await quotas.acquire(uname, limits, 'ing', 'async')).toBeNull();
    expect(await quotas.acquire(uname, limits, 'sub-2', 'submit')).toBe("You've exceeded your maximum concurrent submission quota of 1");
    expect(await quotas.acquire(uname, limits, 'ing-2', 'async')).toBe("You've exceeded your maximum async concurrent submission quota of 1");
    expect(await quotas.usage(uname, 'submit')).toEqual({ concurrent: 1, daily: 2 });
    expect(await quotas.usage(uname, 'async')).toEqual({ concurrent: 1, daily: 2 });
    // A slot is only released or refunded from the pool that holds it.
    expect(await quotas.release(uname, 'ing', 'submit')).toBe(false);
    expect(await quotas.refund(uname, 'sub', 'async')).toBe(false);
    expect(await quotas.release(uname, 'ing', 'async')).toBe(true);
    expect(await quotas.refund(uname, 'sub', 'submit')).toBe(true);
    expect(await quotas.usage(uname, 'submit')).toEqual({ concurrent: 0, daily: 1 });
    expect(await quotas.usage(uname, 'async')).toEqual({ concurrent: 0, daily: 1 });
  });

  it("refuses past the daily quota with 'daily' in the text, and sends integer X-Remaining-Quota-Submission", async () => {
    const uname = await addUser({ submission_quota: 0, submission_daily_quota: 2 });
    const first = await start(uname, 'd1').expect(200);
    expect(first.headers['x-remaining-quota-submission']).toBe('1');
    await end(uname, 'd1');
    const second = await start(uname, 'd2').expect(200);
    expect(second.headers['x-remaining-quota-submission']).toBe('0');
    await end(uname, 'd2');
    // Releasing frees the concurrent slot only: the day's count stays.
    const refused = await start(uname, 'd3').expect(503);
    expect(refused.body.api_error_message).toBe("You've reached your daily maximum submission quota of 2");
    expect(refused.body.api_error_message).toMatch(/daily/);
    expect(refused.body.api_error_message).toMatch(/quota/);
    expect(refused.headers['x-remaining-quota-submission']).toMatch(/^\d+$/);
    expect(await quotas.usage(uname)).toEqual({ concurrent: 0, daily: 2 });
  });

  it("lets the user's own quota beat the default, and 0 mean unlimited", async () => {
    const four = await addUser({ submission_quota: 4 });
    for (const sid of ['1', '2', '3', '4']) await start(four, sid).expect(200);
    expect((await start(four, '5').expect(503)).body.api_error_message).toContain('quota of 4');

    const unlimited = await addUser({ submission_quota: 0 });
    for (let i = 0; i < 12; i++) await start(unlimited, `u${i}`).expect(200);
    expect((await start(unlimited, 'x').expect(200)).headers['x-remaining-quota-submission']).toBeUndefined();
  });

  it('is atomic: of 20 simultaneous acquires against a limit of 5, exactly 5 succeed', async () => {
    const uname = await addUser({ submission_quota: 5 });
    const limits = { concurrent: 5, daily: 0 };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => quotas.acquire(uname, limits, `sub-${i}`)));
    expect(results.filter((r) => r === null)).toHaveLength(5);
    expect(results.filter((r) => r === "You've exceeded your maximum concurrent submission quota of 5")).toHaveLength(15);
    expect((await quotas.usage(uname)).concurrent).toBe(5);

    // The same through HTTP, on separate connections.
    const other = await addUser({ submission_quota: 5 });
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => start(other, `h${i}`)));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(5);
    expect(answers.filter((r) => r.status === 503)).toHaveLength(15);
  });

  it('is atomic for the daily quota too', async () => {
    const uname = await addUser();
    const limits = { concurrent: 0, daily: 7 };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => quotas.acquire(uname, limits, `day-${i}`)));
    expect(results.filter((r) => r === null)).toHaveLength(7);
    expect((await quotas.usage(uname)).daily).toBe(7);
  });

  it('checks and counts nothing when ui.enforce_quota is false', async () => {
    const off = new SubmissionQuotas(redis, { prefix: config.redis.prefix, enforce: false });
    const uname = await addUser();
    for (let i = 0; i < 5; i++) expect(await off.acquire(uname, { concurrent: 1, daily: 1 }, `off-${i}`)).toBeNull();
    expect(await off.usage(uname)).toEqual({ concurrent: 0, daily: 0 });
  });

  it('keeps one counter per UTC day, expiring at the end of that day; keys share one cluster slot', async () => {
    const at = new Date('2031-05-06T22:00:00Z');
    const fixed = new SubmissionQuotas(redis, { prefix: config.redis.prefix, enforce: true, now: () => at });
    const uname = await addUser();
    expect(await fixed.acquire(uname, { concurrent: 0, daily: 10 }, 'x')).toBeNull();
    const keys = fixed.keysFor(uname, at);
    expect(keys.daily).toMatch(/:daily:20310506$/);
    expect(await redis.pexpiretime(keys.daily)).toBe(Date.parse('2031-05-07T00:00:00Z'));
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)![1];
    expect(tag(keys.held)).toBe(tag(config.redis.prefix));
    expect(tag(keys.daily)).toBe(tag(config.redis.prefix));
    await redis.del(keys.held, keys.daily);
  });

  it('lets a held slot lapse after holdSeconds, so a crashed submission does not lock the user out', async () => {
    let now = new Date('2031-01-01T00:00:00Z');
    const lapsing = new SubmissionQuotas(redis, { prefix: config.redis.prefix, enforce: true, holdSeconds: 60, now: () => now });
    const uname = await addUser();
    expect(await lapsing.acquire(uname, { concurrent: 1, daily: 0 }, 'stuck')).toBeNull();
    expect(await lapsing.acquire(uname, { concurrent: 1, daily: 0 }, 'next')).not.toBeNull();
    now = new Date(now.getTime() + 61_000);
    expect(await lapsing.acquire(uname, { concurrent: 1, daily: 0 }, 'next')).toBeNull();
  });

  describe('GET /api/v4/user/quotas/', () => {
    it("answers the caller's limits and use, with the integers assemblyline_client's Client.user.quotas() reads", async () => {
      const uname = await addUser({ submission_daily_quota: 10 });
      await start(uname, 'r1').expect(200);
      const response = await get(uname, '/api/v4/user/quotas/').expect(200);
      expect(response.body.api_response).toEqual({
        username: uname,
        enforce_quota: true,
        submission_quota: 2,
        submission_async_quota: 0,
        submission_daily_quota: 10,
        submission_count: 1,
        submission_async_count: 0,
        submission_daily_count: 1,
        remaining_quota_submission: 9,
        // assemblyline_client: Client._load_quotas() reads resp['daily_api'] and resp['daily_submission'].
        daily_submission: 9,
        daily_api: 0,
      });
      expect(response.headers['x-remaining-quota-submission']).toBe('9');
    });

    it('answers for a named user: self, or anyone for an administrator, else 403', async () => {
      const uname = await addUser({ submission_quota: 7 });
      const self = await get(uname, `/api/v4/user/quotas/${uname}/`).expect(200);
      expect(self.body.api_response.submission_quota).toBe(7);

      const other = await addUser();
      const refused = await get(other, `/api/v4/user/quotas/${uname}/`).expect(403);
      expect(refused.body.api_error_message).toBe('You are not allowed to view settings for another user then yourself.');

      const admin = await addUser({}, ['admin']);
      const seen = await get(admin, `/api/v4/user/quotas/${uname}/`).expect(200);
      expect(seen.body.api_response).toMatchObject({ username: uname, submission_quota: 7, submission_daily_quota: 0 });
      expect(seen.body.api_response.remaining_quota_submission).toBeNull();
      await get(admin, '/api/v4/user/quotas/nobody-here/').expect(404);
    });

    it('needs authentication', async () => {
      await request(app.getHttpServer()).get('/api/v4/user/quotas/').expect(401);
    });
  });
});

/** Holds the stub dispatcher's submissions in flight until opened (a new one per test). */
class Gate {
  private openGate!: () => void;
  readonly opened = new Promise<void>((resolve) => (this.openGate = resolve));
  open(): void {
    this.openGate();
  }
}

/**
 * Assemblyline counts an ingest against the async quota (`check_async_submission_quota`:
 * `submission_async_quota`, else `ui.default_quotas.concurrent_async_submissions`) and a submit against the
 * concurrent one (`check_submission_quota`: `submission_quota`, else `concurrent_submissions`); its ingester
 * gives the async slot back when the ingest completes or is dropped (`ASYNC_SUBMISSION_TRACKER.end`).
 * The routes are driven as assemblyline_client sends them: `Client.ingest()` and `Client.submit()` (a `json`
 * part, then the file as `bin`), `Client.ingest.status()`-style polling is Hopper's own route.
 */
describe('ingest takes the async submission quota, submit the concurrent one', () => {
  /** API + ingester + a stub dispatcher that keeps every submission in flight until the test's gate opens. */
  async function startFlow(label: string, defaultQuotas: Record<string, number>) {
    const config = isolatedConfig(label, { ui: { enforce_quota: true, default_quotas: { daily_submissions: 0, ...defaultQuotas } } });
    const api = await startApi(config);
    const ingester: INestApplicationContext = await startIngester(config);
    const connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const state = { gate: new Gate() };
    const dispatcher = new StubDispatcher(connection, config.redis.prefix, async () => {
      await state.gate.opened;
      return { score: 0 };
    });
    const stop = async () => {
      state.gate.open();
      await dispatcher.close();
      await ingester.get(SubmissionsRepository).model.db.dropDatabase();
      await ingester.close();
      await api.close();
      await connection.quit();
    };
    return { config, api, state, stop };
  }

  const content = (label: string) => Buffer.from(`${label} ${uniqueId('quota-content')}\n`);

  // assemblyline_client: Client.ingest(content=…, fname=…, params=…) → POST /api/v4/ingest/ (json part, then bin)
  const ingest = (api: INestApplication, who: TestUser, json: Record<string, unknown> = {}) =>
    request(api.getHttpServer())
      .post('/api/v4/ingest/')
      .set(who.headers)
      .field('json', JSON.stringify({ name: 'sample.txt', metadata: {}, ...json }))
      .attach('bin', content('ingest'), 'bin');

  // assemblyline_client: Client.submit(content=…, fname=…) → POST /api/v4/submit/ (json part, then bin)
  const submit = (api: INestApplication, who: TestUser) =>
    request(api.getHttpServer()).post('/api/v4/submit/').set(who.headers).field('json', JSON.stringify({ name: 'sample.txt' })).attach('bin', content('submit'), 'bin');

  const statusOf = async (api: INestApplication, who: TestUser, ingestId: string): Promise<string | undefined> => {
    const response = await request(api.getHttpServer()).get(`/api/v4/ingest/status/${ingestId}/`).set(who.headers);
    return response.status === 200 ? (response.body.api_response.state as string) : undefined;
  };

  const ASYNC_FULL = (limit: number) => `You've exceeded your maximum async concurrent submission quota of ${limit}`;
  const SUBMIT_FULL = (limit: number) => `You've exceeded your maximum concurrent submission quota of ${limit}`;

  describe('with concurrent_submissions: 1 and the async quota unlimited (Assemblyline\'s default 0)', () => {
    let flow: Awaited<ReturnType<typeof startFlow>>;

    beforeAll(async () => {
      flow = await startFlow('quota-pools', { concurrent_submissions: 1, concurrent_async_submissions: 0 });
    });

    afterAll(async () => {
      await flow?.stop();
    });

    it('lets a submit through while ingests are in flight, and ingests through while the submit slot is held', async () => {
      const who = await addUserWithKey(flow.api);
      const ingestIds: string[] = [];
      for (let i = 0; i < 4; i++) ingestIds.push((await ingest(flow.api, who).expect(200)).body.api_response.ingest_id);
      for (const id of ingestIds) expect(await statusOf(flow.api, who, id)).not.toBe('completed');

      // Four ingests in flight take nothing from the concurrent (submit) quota of 1.
      await submit(flow.api, who).expect(200);
      const second = await submit(flow.api, who).expect(503);
      expect(second.body.api_error_message).toBe(SUBMIT_FULL(1));
      expect(second.body.api_status_code).toBe(503);

      // And the held submit slot stops no ingest.
      for (let i = 0; i < 3; i++) await ingest(flow.api, who).expect(200);

      // assemblyline_client: Client.user.quotas(username) reads daily_api and daily_submission (integers).
      const report = await request(flow.api.getHttpServer()).get(`/api/v4/user/quotas/${who.uname}/`).set(who.headers).expect(200);
      expect(report.body.api_response).toMatchObject({
        submission_quota: 1,
        submission_count: 1,
        submission_async_quota: 0,
        submission_async_count: 7,
        daily_submission: 0,
        daily_api: 0,
      });
      expect(Number.isInteger(report.body.api_response.daily_submission)).toBe(true);
      expect(Number.isInteger(report.body.api_response.daily_api)).toBe(true);
      flow.state.gate.open();
    });
  });

  describe('with concurrent_async_submissions: 2', () => {
    let flow: Awaited<ReturnType<typeof startFlow>>;

    beforeAll(async () => {
      flow = await startFlow('quota-async', { concurrent_submissions: 5, concurrent_async_submissions: 2 });
    });

    afterAll(async () => {
      await flow?.stop();
    });

    beforeEach(() => {
      flow.state.gate = new Gate();
    });

    afterEach(() => {
      flow.state.gate.open();
    });

    it("refuses the third ingest with 503 and Assemblyline's text; the slot comes back when an ingest completes", async () => {
      const who = await addUserWithKey(flow.api);
      const first = (await ingest(flow.api, who).expect(200)).body.api_response.ingest_id as string;
      await ingest(flow.api, who).expect(200);

      const refused = await ingest(flow.api, who).expect(503);
      expect(refused.body.api_error_message).toBe(ASYNC_FULL(2));
      expect(refused.body.api_status_code).toBe(503);
      // The async quota is its own: a submit still goes through.
      await submit(flow.api, who).expect(200);

      flow.state.gate.open();
      await eventually(() => statusOf(flow.api, who, first), (state) => state === 'completed');
      await eventually(
        () => ingest(flow.api, who).then((response) => response.status),
        (status) => status === 200,
      );
    });

    it('gives the slot back when the ingester drops an ingest', async () => {
      const who = await addUserWithKey(flow.api);
      // Priority 1 is at Assemblyline's minimum: the ingester drops it ("Skipped").
      const dropped = (await ingest(flow.api, who, { params: { priority: 1 } }).expect(200)).body.api_response.ingest_id as string;
      await ingest(flow.api, who).expect(200);
      await eventually(() => statusOf(flow.api, who, dropped), (state) => state === 'dropped');
      // One ingest still in flight (the gate is shut), one dropped: one slot is free, and only one.
      await ingest(flow.api, who).expect(200);
      expect((await ingest(flow.api, who).expect(503)).body.api_error_message).toBe(ASYNC_FULL(2));
    });

    it("lets the user's own submission_async_quota beat the default", async () => {
      const who = await addUserWithKey(flow.api, { submission_async_quota: 3 });
      for (let i = 0; i < 3; i++) await ingest(flow.api, who).expect(200);
      expect((await ingest(flow.api, who).expect(503)).body.api_error_message).toBe(ASYNC_FULL(3));
    });
  });
});
