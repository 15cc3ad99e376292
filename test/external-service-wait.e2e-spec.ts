import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Job, Queue, Worker } from 'bullmq';
import { randomBytes } from 'node:crypto';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { ResultsRepository } from '@hopper/datastore';
import { createRedisConnection, DispatchTask, ExternalTaskWaits, QueueName, RedisConnection } from '@hopper/queues';
import { ExternalServiceTask } from '@hopper/services';
import { AwaitingExternalServices, waitForExternalServices } from '../apps/dispatcher/src/awaiting-external-services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { ended, startDispatcher, submit } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig } from './support/test-env';
import { scoringService, TestService } from './support/test-services';
import { ServiceQueues } from './support/service-queues';

/*
 * A dispatch waiting for an external service holds no worker slot and reads nothing from the database: its
 * job waits delayed until the service's answer, posted through the API, wakes it (or its timeout passes).
 * One dispatcher with one worker slot, in this process; the test plays the external services through the API.
 * On one Redis and on the local Redis Cluster (`scripts/services.sh up redis-cluster`): the delayed job, its
 * promotion and the task records all live in the deployment's hash-tag slot.
 */

const SLOW_TIMEOUT_SECONDS = 2;

function clusterNodes(): string[] {
  const nodes = process.env.HOPPER_TEST_REDIS_CLUSTER_NODES;
  if (!nodes) throw new Error('this suite needs the local Redis Cluster: `scripts/services.sh up redis-cluster && eval "$(scripts/services.sh env)"`');
  return nodes.split(',');
}

describe.each([
  ['one Redis', () => ({})],
  ['a Redis Cluster', () => ({ redis: { cluster: { nodes: clusterNodes() } } })],
])('external services on %s: the dispatch waits without a slot and wakes on the answer (real MongoDB)', (_redis, redisOverrides) => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext;
  let service: TestUser;
  let connection: RedisConnection;
  let dispatchQueue: Queue<DispatchTask>;
  const queues = new ServiceQueues(() => connection, () => config.redis.prefix);
  const scorer = scoringService('Scorer', 100);
  const broken = new TestService({ name: 'Broken' }, async () => {
    throw new Error('Broken always fails');
  });

  beforeAll(async () => {
    config = isolatedConfig('external_wait', {
      ...redisOverrides(),
      workers: { dispatcher: { concurrency: 1 } },
      services: {
        builtin: { Extract: { enabled: false }, Characterize: { enabled: false }, IOC: { enabled: false } },
        external: [
          { name: 'Sandbox', version: '1.0.0', category: 'Dynamic Analysis', timeout_seconds: 600 },
          { name: 'Slowpoke', version: '1.0.0', category: 'Antivirus', timeout_seconds: SLOW_TIMEOUT_SECONDS },
        ],
      },
    });
    api = await startApi(config);
    dispatcher = await startDispatcher(config, [scorer, broken]);
    service = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    connection = createRedisConnection(config.redis);
    dispatchQueue = new Queue<DispatchTask>(QueueName.Dispatch, { connection, prefix: config.redis.prefix });
  });

  afterAll(async () => {
    await queues.closeAll();
    await dispatchQueue?.close();
    connection?.disconnect();
    await dispatcher?.close();
    await api?.close();
  });

  const only = (...selected: string[]) => ({ services: { selected, excluded: [], rescan: [], resubmit: [] } });
  const sample = (label: string) => ({ name: `${label}.txt`, data: Buffer.from(`${label} ${randomBytes(8).toString('hex')}`) });

  /** The task the dispatcher queued on `service` for submission `sid`, once it is there. */
  async function taskOf(name: string, sid: string): Promise<Job<ExternalServiceTask>> {
    const jobs = await eventually(
      () => queues.of(name).getJobs(['waiting']),
      (found) => found.some((job) => job.data.sid === sid),
    );
    return jobs.find((job) => job.data.sid === sid)!;
  }

  function answer(name: string, task: ExternalServiceTask, body: object) {
    return request(api.getHttpServer())
      .post(`/api/v4/service/${name}/task/${encodeURIComponent(task.task_id)}/result/`)
      .set(service.headers)
      .send(body);
  }

  /** Calls of the dispatcher's result and error lookups while `during` runs. */
  async function lookupsDuring(during: () => Promise<void>): Promise<number> {
    const results = dispatcher.get(ResultsRepository);
    const spies = (['findResult', 'findError', 'findResults', 'findErrors'] as const).map((method) => jest.spyOn(results, method));
    try {
      await during();
      return spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  }

  it('frees the worker slot: a second submission completes on a one-slot dispatcher while the first waits', async () => {
    const waiting = await submit(dispatcher, config, [sample('detonate me')], only('Sandbox', 'Scorer'));
    const { data: task } = await taskOf('Sandbox', waiting);
    await eventually(() => dispatchQueue.getJobState(waiting), (state) => state === 'delayed');

    const other = await submit(dispatcher, config, [sample('just score me')], only('Scorer'));
    const done = await ended(dispatcher, other);
    expect(done).toMatchObject({ state: 'completed', max_score: 100, errors: [] });
    expect((await dispatcher.get(ResultsRepository).findResults(done.results)).map((result) => result.response.service_name)).toEqual(['Scorer']);
    expect(await dispatchQueue.getJobState(waiting)).toBe('delayed');

    const posted = await answer('Sandbox', task, { result: { sections: [{ title: 'Detonated', heuristic: { heur_id: 'SB.1', name: 'Bad', score: 500 } }] } });
    expect(posted.status).toBe(200);
    const first = await ended(dispatcher, waiting);
    expect(first).toMatchObject({ state: 'completed', max_score: 600, errors: [] });
    const results = await dispatcher.get(ResultsRepository).findResults(first.results);
    expect(results.map((result) => result.response.service_name).sort()).toEqual(['Sandbox', 'Scorer']);
  });

  it('runs each in-process service once across the wait: what it stored before is reused, its error too', async () => {
    const file = sample('run me once');
    const sid = await submit(dispatcher, config, [file], only('Sandbox', 'Scorer', 'Broken'));
    const { data: task } = await taskOf('Sandbox', sid);
    await eventually(() => dispatchQueue.getJobState(sid), (state) => state === 'delayed');
    expect((await answer('Sandbox', task, { result: { sections: [{ title: 'Ran' }] } })).status).toBe(200);
    const submission = await ended(dispatcher, sid);
    expect(submission).toMatchObject({ state: 'completed', max_score: 100 });
    expect(scorer.runs.filter((sha256) => sha256 === task.file.sha256)).toHaveLength(1);
    expect(broken.runs.filter((sha256) => sha256 === task.file.sha256)).toHaveLength(1);
    const results = await dispatcher.get(ResultsRepository).findResults(submission.results);
    expect(results.map((result) => result.response.service_name).sort()).toEqual(['Sandbox', 'Scorer']);
    const errors = await dispatcher.get(ResultsRepository).findErrors(submission.errors);
    expect(errors.map((error) => [error.response.service_name, error.response.message])).toEqual([['Broken', 'Broken always fails']]);
  });

  it('reads no result or error from the database while it waits', async () => {
    const sid = await submit(dispatcher, config, [sample('wait quietly')], only('Sandbox'));
    const { data: task } = await taskOf('Sandbox', sid);
    await eventually(() => dispatchQueue.getJobState(sid), (state) => state === 'delayed');
    // The old dispatcher looked for the answer twice every external_poll_ms (500 ms) all this while.
    const lookups = await lookupsDuring(() => new Promise((resolve) => setTimeout(resolve, 2000)));
    expect(lookups).toBe(0);
    expect(await dispatchQueue.getJobState(sid)).toBe('delayed');

    expect((await answer('Sandbox', task, { result: { sections: [{ title: 'Quiet' }] } })).status).toBe(200);
    expect(await ended(dispatcher, sid)).toMatchObject({ state: 'completed', errors: [] });
  });

  it('takes one answer per task: a second post is refused and the submission keeps the first', async () => {
    const sid = await submit(dispatcher, config, [sample('answered twice')], only('Sandbox'));
    const { data: task } = await taskOf('Sandbox', sid);
    const first = await answer('Sandbox', task, { result: { sections: [{ title: 'First', heuristic: { heur_id: 'SB.1', name: 'Bad', score: 10 } }] } });
    expect(first.status).toBe(200);
    const again = await answer('Sandbox', task, { result: { sections: [{ title: 'Second', heuristic: { heur_id: 'SB.1', name: 'Bad', score: 1000 } }] } });
    expect(again.status).toBe(409);
    expect(again.body.api_error_message).toBe(`Task ${task.task_id} has already been answered`);
    const error = await answer('Sandbox', task, { error: { message: 'changed my mind' } });
    expect(error.status).toBe(409);

    const submission = await ended(dispatcher, sid);
    expect(submission).toMatchObject({ state: 'completed', max_score: 10, errors: [] });
    const [stored] = await dispatcher.get(ResultsRepository).findResults(submission.results);
    expect(stored.result.sections.map((section) => section.title)).toEqual(['First']);
    expect(await dispatcher.get(ResultsRepository).errors.countDocuments({ sid })).toBe(0);
  });

  it('records the error an external service posts, and completes with the other results', async () => {
    const sid = await submit(dispatcher, config, [sample('engine down')], only('Sandbox', 'Scorer'));
    const { data: task } = await taskOf('Sandbox', sid);
    expect((await answer('Sandbox', task, { error: { message: 'engine licence expired', recoverable: false } })).status).toBe(200);
    const submission = await ended(dispatcher, sid);
    expect(submission).toMatchObject({ state: 'completed', max_score: 100 });
    expect(submission.errors).toHaveLength(1);
    const [error] = await dispatcher.get(ResultsRepository).findErrors(submission.errors);
    expect(error).toMatchObject({ sid, type: 'EXCEPTION', response: { service_name: 'Sandbox', message: 'engine licence expired', status: 'FAIL_NONRECOVERABLE' } });
  });

  it('a service that never answers times out: an error for it, the submission completes, a late answer is refused', async () => {
    const sid = await submit(dispatcher, config, [sample('nobody home')], only('Slowpoke', 'Scorer'));
    const { data: task } = await taskOf('Slowpoke', sid);
    const submission = await ended(dispatcher, sid);
    expect(submission).toMatchObject({ state: 'completed', max_score: 100 });
    expect(submission.errors).toHaveLength(1);
    const [error] = await dispatcher.get(ResultsRepository).findErrors(submission.errors);
    expect(error).toMatchObject({
      sid,
      type: 'TASK PRE-EMPTED',
      response: { service_name: 'Slowpoke', message: `Slowpoke did not finish within its ${SLOW_TIMEOUT_SECONDS} s timeout` },
    });
    const late = await answer('Slowpoke', task, { result: { sections: [{ title: 'Too late' }] } });
    expect(late.status).toBe(409);
    expect(await dispatcher.get(ResultsRepository).results.countDocuments({ sid })).toBe(1); // Scorer's only
  });

  it('wakes a job whose answer was stored while it still ran (the promote found nothing delayed)', async () => {
    const name = `wake-race-${randomBytes(3).toString('hex')}`;
    const queue = new Queue(name, { connection, prefix: config.redis.prefix });
    const waits = new ExternalTaskWaits(connection, config.redis.prefix, queue);
    const sid = `race${randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + 600_000; // far away: only a wake brings the job back within the test
    const promotedWhileRunning: boolean[] = [];
    const worker = new Worker(
      name,
      async (job, token) => {
        if (job.attemptsStarted > 1) return 'resumed';
        // The API's side, between the dispatcher's look for the answer and its move to delayed.
        await waits.settle(sid, 'task', 'answering', deadline);
        await waits.answered(sid, 'task');
        promotedWhileRunning.push(await waits.wake(sid));
        return waitForExternalServices(job, token!, new AwaitingExternalServices(sid, [{ taskId: 'task', deadline }]), waits);
      },
      { connection, prefix: config.redis.prefix },
    );
    try {
      await queue.add(name, {}, { jobId: sid });
      await eventually(() => queue.getJobState(sid), (state) => state === 'completed');
      expect(promotedWhileRunning).toEqual([false]);
      expect((await queue.getJob(sid))!.returnvalue).toBe('resumed');
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('settles a task once between an answer and the time-out, whichever comes first', async () => {
    const waits = api.get(ExternalTaskWaits);
    const deadline = Date.now() + 60_000;
    const sid = `race${randomBytes(4).toString('hex')}`;
    // The dispatcher's time-out first: the answer loses.
    expect(await waits.settle(sid, 'late-answer', 'timeout', deadline)).toBeNull();
    expect(await waits.settle(sid, 'late-answer', 'answering', deadline)).toBe('timeout');
    // The answer first: the time-out loses (the dispatcher then looks for the stored answer).
    expect(await waits.settle(sid, 'early-answer', 'answering', deadline)).toBeNull();
    expect(await waits.settle(sid, 'early-answer', 'timeout', deadline)).toBe('answering');
    expect(await waits.answeredAmong(sid, ['early-answer', 'late-answer'])).toBe(false);
    await waits.answered(sid, 'early-answer');
    expect(await waits.answeredAmong(sid, ['early-answer', 'late-answer'])).toBe(true);
    // A deadline is recorded once: a later run waits for the first.
    expect(await waits.deadline(sid, 'task', deadline)).toBe(deadline);
    expect(await waits.deadline(sid, 'task', deadline + 5000)).toBe(deadline);
  });

  it("lets the service's retry through once the answer's settlement lapsed (the API died before storing it)", async () => {
    const waits = api.get(ExternalTaskWaits);
    const deadline = Date.now() + 60_000;
    const sid = `lease${randomBytes(4).toString('hex')}`;
    // An API settles with a short lease and never stores the answer.
    expect(await waits.settle(sid, 'task', 'answering', deadline, 200)).toBeNull();
    // While the lease runs, a second answer (or the time-out) is refused.
    expect(await waits.settle(sid, 'task', 'answering', deadline)).toBe('answering');
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Lapsed: the retry settles the task, and holds it against the time-out.
    expect(await waits.settle(sid, 'task', 'answering', deadline)).toBeNull();
    expect(await waits.settle(sid, 'task', 'timeout', deadline)).toBe('answering');
    // A stored answer or a recorded time-out is never taken over.
    await waits.answered(sid, 'task');
    expect(await waits.settle(sid, 'task', 'answering', deadline, 1)).toBe('answered');
  });
});
