import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { hashApiKey } from '@hopper/accounts';
import { HopperConfig } from '@hopper/config';
import { UsersRepository } from '@hopper/datastore';
import { SubmissionParamsSchema } from '@hopper/messages';
import { NotificationMessage, NotificationQueues, REDIS_CONNECTION } from '@hopper/queues';
import type IORedis from 'ioredis';
import { createApi } from '../apps/api/src/create-api';
import { MAX_PAGE_SIZE } from '../apps/api/src/notifications/page-size';
import { isolatedConfig, uniqueId } from './support/test-env';

function message(n: number, queue: string): NotificationMessage {
  return {
    ingest_id: `ingest-${n}`,
    submission: {
      sid: `sid-${n}`,
      time: '2030-01-01T00:00:00.000Z',
      files: [{ name: `file-${n}.exe`, sha256: String(n).padStart(64, '0'), size: 10 + n }],
      metadata: { n: String(n) },
      params: SubmissionParamsSchema.parse({ classification: 'TLP:C', submitter: 'someone', priority: 150 }),
      notification: { queue, threshold: 0 },
      scan_key: null,
    },
    score: n * 100,
    failure: '',
    retries: 0,
    extended_scan: 'skipped',
    ingest_time: '2030-01-01T00:00:00.000Z',
    notify_time: null,
  };
}

describe('notification queues: GET /api/v4/ingest/get_message(_list)/<nq>/', () => {
  let app: INestApplication;
  let config: HopperConfig;
  let users: UsersRepository;
  let queues: NotificationQueues;
  let redis: IORedis;
  let submitter: string;

  beforeAll(async () => {
    config = isolatedConfig('nq');
    app = await createApi(config);
    await app.init();
    users = app.get(UsersRepository);
    queues = app.get(NotificationQueues);
    redis = app.get(REDIS_CONNECTION);
    submitter = await addUser(['user']);
  });

  afterAll(async () => {
    const keys = await redis.keys(`${config.redis.prefix}:nq-*`);
    if (keys.length) await redis.del(...keys);
    await users.model.db.dropDatabase();
    await app.close();
  });

  async function addUser(type: string[]): Promise<string> {
    const uname = uniqueId('nq');
    await users.create(
      {
        uname, name: uname, email: null, type, roles: [], groups: [], classification: 'TLP:C', is_active: true, password: null,
        apikeys: { k: { ...hashApiKey('secret'), roles: [], created: new Date(), expiry_ts: null } },
        submission_quota: null, submission_daily_quota: null, submission_settings: {},
      },
      new Date(),
    );
    return uname;
  }

  const get = (path: string, uname = submitter) =>
    request(app.getHttpServer()).get(path).set('X-USER', uname).set('X-APIKEY', 'k:secret').set('content-type', 'application/json');

  it('hands out messages oldest first, one by one then as a list, then null and []', async () => {
    const nq = uniqueId('queue');
    for (const n of [1, 2, 3]) await queues.push(nq, message(n, nq));

    const one = await get(`/api/v4/ingest/get_message/${nq}/`).expect(200);
    expect(one.body.api_response).toMatchObject({ ...message(1, nq), notify_time: expect.any(String) });
    expect(Date.parse(one.body.api_response.notify_time)).not.toBeNaN();

    const list = await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=10`).expect(200);
    expect(list.body.api_response.map((m: NotificationMessage) => m.ingest_id)).toEqual(['ingest-2', 'ingest-3']);

    expect((await get(`/api/v4/ingest/get_message/${nq}/`).expect(200)).body.api_response).toBeNull();
    expect((await get(`/api/v4/ingest/get_message_list/${nq}/`).expect(200)).body.api_response).toEqual([]);
  });

  it('returns at most page_size messages, and everything up to the cap without it (or with -1)', async () => {
    const nq = uniqueId('paged');
    for (let n = 0; n < 5; n++) await queues.push(nq, message(n, nq));
    const two = await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=2&unknown=ignored`).expect(200);
    expect(two.body.api_response).toHaveLength(2);
    const rest = await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=-1`).expect(200);
    expect(rest.body.api_response.map((m: NotificationMessage) => m.ingest_id)).toEqual(['ingest-2', 'ingest-3', 'ingest-4']);

    for (let n = 0; n < MAX_PAGE_SIZE + 3; n++) await redis.rpush(queues.key(nq), JSON.stringify(message(n, nq)));
    const capped = await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=999999`).expect(200);
    expect(capped.body.api_response).toHaveLength(MAX_PAGE_SIZE);
    expect((await get(`/api/v4/ingest/get_message_list/${nq}/`).expect(200)).body.api_response).toHaveLength(3);
  });

  it.each(['0', '-5', 'abc', '2.5'])('answers 400 naming page_size for page_size=%p', async (value) => {
    const nq = uniqueId('bad');
    await queues.push(nq, message(1, nq));
    const response = await get(`/api/v4/ingest/get_message_list/${nq}/?page_size=${value}`).expect(400);
    expect(response.body.api_error_message).toContain('page_size');
    expect(response.body.api_status_code).toBe(400);
    expect(await queues.length(nq)).toBe(1);
  });

  it('needs the submission_create role, as Assemblyline', async () => {
    const viewer = await addUser(['viewer']);
    const nq = uniqueId('roles');
    await queues.push(nq, message(1, nq));
    const refused = await get(`/api/v4/ingest/get_message/${nq}/`, viewer).expect(403);
    expect(refused.body.api_error_message).toContain("'submission_create'");
    await get(`/api/v4/ingest/get_message_list/${nq}/`, viewer).expect(403);
    expect(await queues.length(nq)).toBe(1);
    await request(app.getHttpServer()).get(`/api/v4/ingest/get_message/${nq}/`).expect(401);
  });

  it('reads queues named with odd characters, as the Python client sends them (unencoded where it can)', async () => {
    for (const nq of ['with.dots-and_under', 'colon:at@plus+eq=', 'tilde~bang!star*', "quote'paren()", 'ünï-cödé', '{braces}']) {
      await queues.push(nq, message(7, nq));
      const path = `/api/v4/ingest/get_message/${encodeURI(nq)}/`;
      const response = await get(path).expect(200);
      expect(response.body.api_response.submission.notification.queue).toBe(nq);
    }
    // Percent-encoded characters are decoded before use: "a b" and "a%20b" are the same queue.
    await queues.push('a b', message(8, 'a b'));
    expect((await get('/api/v4/ingest/get_message/a%20b/').expect(200)).body.api_response.ingest_id).toBe('ingest-8');
  });

  it('refuses names it cannot hold, and never reaches another route with an encoded slash', async () => {
    const control = await get('/api/v4/ingest/get_message/bad%0Aname/').expect(400);
    expect(control.body.api_error_message).toContain('notification queue name');
    await get(`/api/v4/ingest/get_message/${'x'.repeat(300)}/`).expect(400);
    await get('/api/v4/ingest/get_message/a%2Fb/').expect(400);
  });

  it('keeps queues of different names apart, and one message goes to one reader', async () => {
    const a = uniqueId('a');
    const b = uniqueId('b');
    for (let n = 0; n < 30; n++) await queues.push(a, message(n, a));
    await queues.push(b, message(99, b));
    const reads = await Promise.all(Array.from({ length: 10 }, () => get(`/api/v4/ingest/get_message_list/${a}/?page_size=4`)));
    const ids = reads.flatMap((r) => r.body.api_response.map((m: NotificationMessage) => m.ingest_id));
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect((await get(`/api/v4/ingest/get_message/${b}/`).expect(200)).body.api_response.ingest_id).toBe('ingest-99');
  });
});
