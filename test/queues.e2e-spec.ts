import { Job, Queue, Worker } from 'bullmq';
import {
  closeWorkerGracefully,
  createQueue,
  createRedisConnection,
  createWorker,
  QueueConnection,
  queueDepth,
  QueueName,
  RedisConnection,
} from '@hopper/queues';
import { serviceEnv, uniqueId } from './support/test-env';

describe('queues on Redis', () => {
  let connection: RedisConnection;
  let queueConnection: QueueConnection;
  const opened: Array<Queue | Worker> = [];

  beforeAll(() => {
    connection = createRedisConnection({ url: serviceEnv().HOPPER_REDIS_URL!, cluster: { nodes: [] } });
  });

  beforeEach(() => {
    // A fresh hash-tagged prefix per test: no test sees another's jobs.
    queueConnection = { connection, prefix: `{${uniqueId('qtest')}}` };
  });

  afterEach(async () => {
    // Forced: a worker whose job never finishes would otherwise hold the suite open.
    await Promise.all(opened.splice(0).map((item) => (item instanceof Worker ? item.close(true) : item.close())));
  });

  afterAll(async () => {
    await connection.quit();
  });

  function queue<T>(): Queue<T> {
    const q = createQueue<T>(QueueName.Ingest, queueConnection);
    opened.push(q);
    return q;
  }

  function worker<T>(processor: (job: Job<T>) => Promise<unknown>, concurrency = 1): Worker<T> {
    const w = createWorker<T>(QueueName.Ingest, processor, queueConnection, { concurrency });
    opened.push(w);
    return w;
  }

  it('keeps every key of a queue under its hash-tagged prefix', async () => {
    const q = queue<{ n: number }>();
    await q.add('task', { n: 1 });
    const keys = await connection.keys(`${queueConnection.prefix}:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.startsWith(`${queueConnection.prefix}:ingest:`))).toBe(true);
  });

  it('delivers a job to a worker and records its result', async () => {
    const q = queue<{ n: number }>();
    const w = worker<{ n: number }>(async (job) => ({ doubled: job.data.n * 2 }));
    const completed = new Promise<unknown>((resolve) => w.on('completed', (_job, result) => resolve(result)));
    const job = await q.add('task', { n: 21 });
    expect(await completed).toEqual({ doubled: 42 });
    expect(await (await Job.fromId(q, job.id!))?.returnvalue).toEqual({ doubled: 42 });
  });

  it('hands out higher-priority jobs first (lower number first, as BullMQ orders them)', async () => {
    const q = queue<{ name: string }>();
    await q.add('t', { name: 'low' }, { priority: 30 });
    await q.add('t', { name: 'high' }, { priority: 1 });
    await q.add('t', { name: 'medium' }, { priority: 10 });
    expect((await queueDepth(q)).waiting).toBe(3);

    const order: string[] = [];
    const done = new Promise<void>((resolve) => {
      worker<{ name: string }>(async (job) => {
        order.push(job.data.name);
        if (order.length === 3) resolve();
      });
    });
    await done;
    expect(order).toEqual(['high', 'medium', 'low']);
  });

  it('retries a failing job with the default attempts', async () => {
    const q = queue<{ n: number }>();
    let calls = 0;
    const w = worker<{ n: number }>(async () => {
      calls += 1;
      if (calls < 2) throw new Error('transient');
      return 'ok';
    });
    const completed = new Promise<void>((resolve) => w.on('completed', () => resolve()));
    await q.add('task', { n: 1 }, { backoff: { type: 'fixed', delay: 10 } });
    await completed;
    expect(calls).toBe(2);
  });

  it('lets an in-flight job finish when the worker closes gracefully', async () => {
    const q = queue<{ n: number }>();
    let release!: () => void;
    const started = new Promise<void>((resolve) => {
      worker<{ n: number }>(async () => {
        resolve();
        await new Promise<void>((r) => (release = r));
        return 'finished';
      });
    });
    const w = opened[opened.length - 1] as Worker;
    const job = await q.add('task', { n: 1 });
    await started;
    const closing = closeWorkerGracefully(w, 5000);
    setTimeout(() => release(), 100);
    expect(await closing).toBe('drained');
    expect(await (await Job.fromId(q, job.id!))?.getState()).toBe('completed');
  });

  it('releases a job it cannot finish in time, and another worker completes it', async () => {
    const q = queue<{ n: number }>();
    // Short locks so the stalled-job check runs within the test's time.
    const lockOptions = { lockDuration: 1000, stalledInterval: 500 };
    let markStarted!: () => void;
    const started = new Promise<void>((resolve) => (markStarted = resolve));
    const stuck = createWorker(
      QueueName.Ingest,
      async () => {
        markStarted();
        await new Promise(() => undefined); // never finishes
      },
      queueConnection,
      lockOptions,
    );
    opened.push(stuck);
    await q.add('task', { n: 1 });
    await started;
    expect(await closeWorkerGracefully(stuck, 200)).toBe('forced');

    // The lock lapses and the stalled-job check hands the job to the next worker.
    const rescuer = createWorker(QueueName.Ingest, async () => 'rescued', queueConnection, lockOptions);
    opened.push(rescuer);
    const result = await new Promise((resolve) => rescuer.on('completed', (_job, value) => resolve(value)));
    expect(result).toBe('rescued');
  });
});
