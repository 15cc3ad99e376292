import { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { ResultsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { ExternalServiceTask, externalServiceQueue, externalTaskId } from '@hopper/services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { isolatedConfig } from './support/test-env';

/** The routes external services use: fetch a task's file, post its result or error. */
describe('external service routes (real Redis, MongoDB, filestore)', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let service: TestUser;
  let analyst: TestUser;
  let connection: IORedis;
  let queue: Queue<ExternalServiceTask>;
  const data = Buffer.from('file the remote engine scans');
  const sha256 = createHash('sha256').update(data).digest('hex');

  beforeAll(async () => {
    config = isolatedConfig('service_tasks', { services: { external: [{ name: 'RemoteAV', version: '2.0.0', category: 'Antivirus' }] } });
    app = await startApi(config);
    service = await addUserWithKey(app, { type: ['custom'], roles: ['external_service'] });
    analyst = await addUserWithKey(app);
    await app.get<Filestore>(FILESTORE).put(sha256, Readable.from([data]));
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
    queue = new Queue<ExternalServiceTask>(externalServiceQueue('RemoteAV'), { connection, prefix: config.redis.prefix });
  });

  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await app?.close();
  });

  let serial = 0;
  async function queueTask(deadline = new Date(Date.now() + 60_000)): Promise<ExternalServiceTask> {
    const sid = `sid${++serial}`;
    const resultKey = `${sha256}.RemoteAV.v2.0.0.c0000000000000000`;
    const task: ExternalServiceTask = {
      task_id: externalTaskId(resultKey, sid),
      service_name: 'RemoteAV',
      service_version: '2.0.0',
      result_key: resultKey,
      sid,
      file: { sha256, type: 'text/plain', name: 'scan-me.txt', size: data.length },
      depth: 0,
      params: {},
      temp_data: {},
      deep_scan: false,
      classification: 'TLP:C',
      expiry_ts: null,
      deadline: deadline.toISOString(),
    };
    await queue.add('RemoteAV', task, { jobId: task.task_id });
    return task;
  }

  const route = (task: ExternalServiceTask, what: 'file' | 'result', service = 'RemoteAV') =>
    `/api/v4/service/${service}/task/${encodeURIComponent(task.task_id)}/${what}/`;

  it('streams the task file to the service', async () => {
    const task = await queueTask();
    const answer = await request(app.getHttpServer()).get(route(task, 'file')).set(service.headers).responseType('blob');
    expect(answer.status).toBe(200);
    expect(Buffer.compare(answer.body as Buffer, data)).toBe(0);
  });

  it('stores a valid result under the task result key, with the score of its heuristics', async () => {
    const task = await queueTask();
    const result = { sections: [{ title: 'Detected', heuristic: { heur_id: 'AV.1', name: 'Virus', score: 1000 }, tags: [{ type: 'av.virus_name', value: 'Eicar' }] }] };
    const answer = await request(app.getHttpServer()).post(route(task, 'result')).set(service.headers).send({ result });
    expect(answer.status).toBe(200);
    expect(answer.body.api_response).toEqual({ success: true, key: task.result_key });
    const stored = await app.get(ResultsRepository).findResult(task.result_key);
    expect(stored).toMatchObject({ sid: task.sid, sha256, result: { score: 1000 }, response: { service_name: 'RemoteAV', service_version: '2.0.0' } });
    expect(stored!.tags).toEqual([{ type: 'av.virus_name', value: 'Eicar' }]);
  });

  it('stores an error the service reports, for the dispatcher to record', async () => {
    const task = await queueTask();
    const answer = await request(app.getHttpServer()).post(route(task, 'result')).set(service.headers).send({ error: { message: 'engine licence expired', recoverable: false } });
    expect(answer.status).toBe(200);
    const [error] = await app.get(ResultsRepository).findErrors([answer.body.api_response.key]);
    expect(error).toMatchObject({ sid: task.sid, type: 'EXCEPTION', response: { message: 'engine licence expired', status: 'FAIL_NONRECOVERABLE' } });
  });

  it.each([
    ['an invalid result', { result: { sections: [{ title: 'x', heuristic: { heur_id: 'A', name: 'B', score: 1.5 } }] } }, 'RemoteAV returned an invalid result: sections.0.heuristic.score'],
    ['both a result and an error', { result: {}, error: { message: 'x' } }, 'Post either {"result": {...}} or {"error": {"message": "..."}}'],
    ['neither', {}, 'Post either {"result": {...}} or {"error": {"message": "..."}}'],
    ['an error without a message', { error: {} }, 'error.message must be a non-empty string of at most 4096 characters'],
    ['a non-boolean recoverable', { error: { message: 'x', recoverable: 'yes' } }, 'error.recoverable must be a boolean'],
  ])('refuses %s with 400 and stores nothing', async (_case, body, message) => {
    const task = await queueTask();
    const answer = await request(app.getHttpServer()).post(route(task, 'result')).set(service.headers).send(body);
    expect(answer.status).toBe(400);
    expect(answer.body.api_error_message).toContain(message);
    expect(await app.get(ResultsRepository).results.countDocuments({ sid: task.sid })).toBe(0);
    expect(await app.get(ResultsRepository).errors.countDocuments({ sid: task.sid })).toBe(0);
  });

  it('answers 404 for an unknown service or task, and 409 after the task deadline', async () => {
    const task = await queueTask();
    const unknownService = await request(app.getHttpServer()).get(route(task, 'file', 'Nope')).set(service.headers);
    expect(unknownService.status).toBe(404);
    expect(unknownService.body.api_error_message).toBe('Nope is not an external service of this system');
    const unknownTask = await request(app.getHttpServer()).get(route({ ...task, task_id: 'missing' }, 'file')).set(service.headers);
    expect(unknownTask.status).toBe(404);
    expect(unknownTask.body.api_error_message).toBe('Task missing of RemoteAV not found: it was never queued or has expired');

    const late = await queueTask(new Date(Date.now() - 1000));
    const answer = await request(app.getHttpServer()).post(route(late, 'result')).set(service.headers).send({ result: {} });
    expect(answer.status).toBe(409);
    expect(answer.body.api_error_message).toBe(`Task ${late.task_id} expired at ${late.deadline}: its result is no longer awaited`);
  });

  it('needs the external_service role', async () => {
    const task = await queueTask();
    const file = await request(app.getHttpServer()).get(route(task, 'file')).set(analyst.headers);
    expect(file.status).toBe(403);
    const post = await request(app.getHttpServer()).post(route(task, 'result')).set(analyst.headers).send({ result: {} });
    expect(post.status).toBe(403);
    expect(await app.get(ResultsRepository).results.countDocuments({ sid: task.sid })).toBe(0);
  });
});
