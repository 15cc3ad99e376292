import { INestApplication, INestApplicationContext } from '@nestjs/common';
import IORedis from 'ioredis';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { SubmissionQuotas } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { eventually, startIngester, StubDispatcher } from './support/ingester-harness';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';

/** A client's whole round trip: ingest through the API, the ingester and a dispatcher, the notification back. */
describe('ingest → ingester → dispatcher → notification, through the API', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: StubDispatcher;
  let connection: IORedis;
  let user: TestUser;

  beforeAll(async () => {
    config = isolatedConfig('ingest-flow', { ui: { enforce_quota: true, default_quotas: { concurrent_async_submissions: 1, daily_submissions: 0 } } });
    api = await startApi(config);
    ingester = await startIngester(config);
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const submissions = ingester.get(SubmissionsRepository);
    dispatcher = new StubDispatcher(connection, config.redis.prefix, async (task) => {
      await submissions.finish(task.sid, { state: 'completed', max_score: 600, errors: [], results: [], failure: null, completed: new Date() });
      return { score: 600 };
    });
    user = await addUserWithKey(api);
  });

  afterAll(async () => {
    await dispatcher.close();
    await ingester.get(SubmissionsRepository).model.db.dropDatabase();
    await ingester.close();
    await api.close();
    await connection.quit();
  });

  const http = () => request(api.getHttpServer());

  it('answers the ingest, then delivers its message to the named queue, and frees the async quota slot', async () => {
    const nq = uniqueId('soar');
    const ingest = await http()
      .post('/api/v4/ingest/')
      .set(user.headers)
      .field('json', JSON.stringify({ name: 'invoice.js', type: 'AL_CLIENT', metadata: { case: '42' }, notification_queue: nq, notification_threshold: 100 }))
      .attach('bin', Buffer.from(`var x = "${uniqueId('payload')}";\n`), 'bin')
      .expect(200);
    const ingestId = ingest.body.api_response.ingest_id as string;

    const messages = await eventually(
      async () => (await http().get(`/api/v4/ingest/get_message_list/${nq}/?page_size=10`).set(user.headers).expect(200)).body.api_response,
      (list: Array<{ submission: { sid: string; files: Array<{ sha256: string }> } }>) => list.length > 0,
    );
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({
      ingest_id: ingestId,
      score: 600,
      failure: '',
      submission: { files: [{ name: 'invoice.js' }], metadata: { case: '42', type: 'AL_CLIENT' }, notification: { queue: nq, threshold: 100 } },
    });
    const sid = messages[0].submission.sid;

    const status = await http().get(`/api/v4/ingest/status/${ingestId}/`).set(user.headers).expect(200);
    expect(status.body.api_response).toEqual({ ingest_id: ingestId, state: 'completed', outcome: 'new', sid, score: 600, failure: null });
    expect((await ingester.get(SubmissionQuotas).usage(user.uname, 'async')).concurrent).toBe(0);
    // The slot is free again: a second ingest is accepted (the async quota is 1 concurrent ingest).
    await http().post('/api/v4/ingest/').set(user.headers).send({ sha256: messages[0].submission.files[0].sha256 }).expect(200);
  });

  it('answers 404 for the status of an unknown ingest', async () => {
    const response = await http().get('/api/v4/ingest/status/nope/').set(user.headers).expect(404);
    expect(response.body.api_error_message).toBe('Ingest nope not found');
  });
});
