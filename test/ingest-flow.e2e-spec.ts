import { createHash } from 'node:crypto';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import IORedis from 'ioredis';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionsRepository } from '@hopper/datastore';
import { createCartEncoder } from '@hopper/identify';
import { SubmissionQuotas } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { eventually, startIngester, StubDispatcher } from './support/ingester-harness';
import { isolatedConfig, serviceEnv, uniqueId } from './support/test-env';
import { pe32, plainText, storedZip } from './support/typed-samples';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function cartOf(content: Buffer, header: Record<string, unknown>): Promise<Buffer> {
  const encoder = createCartEncoder({ header });
  const parts: Buffer[] = [];
  await pipeline(Readable.from([content]), encoder.stream, new Writable({ write: (chunk, _e, done) => (parts.push(chunk), done()) }));
  return Buffer.concat(parts);
}

/** A client's whole round trip: ingest through the API, the ingester and a dispatcher, the notification back. */
describe('ingest → ingester → dispatcher → notification, through the API', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: StubDispatcher;
  let connection: IORedis;
  let user: TestUser;
  /** The type the ingester handed the dispatcher for each file, by sha256. */
  const handedTypes = new Map<string, string>();

  beforeAll(async () => {
    config = isolatedConfig('ingest-flow', { ui: { enforce_quota: true, default_quotas: { concurrent_async_submissions: 1, daily_submissions: 0 } } });
    api = await startApi(config);
    ingester = await startIngester(config);
    connection = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const submissions = ingester.get(SubmissionsRepository);
    dispatcher = new StubDispatcher(connection, config.redis.prefix, async (task) => {
      for (const [sha256, handed] of Object.entries(task.files ?? {})) handedTypes.set(sha256, handed.type);
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

  it('types each upload in the ingester, from the stored blob (the request runs no identification): PE, zip, text, and the file inside a CaRT', async () => {
    const pe = pe32(uniqueId('pe'));
    const uploads: Array<{ bytes: Buffer; stored: Buffer; type: string }> = [
      { bytes: pe, stored: pe, type: 'executable/windows/pe32' },
      ...[storedZip([[`${uniqueId('member')}.txt`, 'hello']])].map((zip) => ({ bytes: zip, stored: zip, type: 'archive/zip' })),
      ...[plainText(uniqueId('words'))].map((text) => ({ bytes: text, stored: text, type: 'text/plain' })),
    ];
    const inner = pe32(uniqueId('carted'));
    uploads.push({ bytes: await cartOf(inner, { name: 'inner.exe' }), stored: inner, type: 'executable/windows/pe32' });
    const nq = uniqueId('typed');
    const uploader = await addUserWithKey(api, { submission_async_quota: 10 });
    for (const { bytes } of uploads) {
      await http()
        .post('/api/v4/ingest/')
        .set(uploader.headers)
        .field('json', JSON.stringify({ name: 'sample', notification_queue: nq }))
        .attach('bin', bytes, 'sample')
        .expect(200);
    }
    const files = ingester.get(FilesRepository);
    for (const { stored, type } of uploads) {
      const sha256 = sha256Of(stored);
      const document = await eventually(() => files.findBySha256(sha256), (found) => found !== null);
      expect(document).toMatchObject({ sha256, size: stored.length, type, magic: expect.any(String), mime: expect.any(String) });
      await eventually(async () => handedTypes.get(sha256), (handed) => handed !== undefined);
      expect(handedTypes.get(sha256)).toBe(type);
    }
  });

  it('answers 404 for the status of an unknown ingest', async () => {
    const response = await http().get('/api/v4/ingest/status/nope/').set(user.headers).expect(404);
    expect(response.body.api_error_message).toBe('Ingest nope not found');
  });
});
