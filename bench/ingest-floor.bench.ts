/** Requests/s of POST /api/v4/ingest/ {sha256, name} versus the framework floor: a bare route on the same NestJS/Express stack doing one BullMQ add per request; target 0.5x. */
import { Body, Controller, HttpCode, INestApplication, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { DEFAULT_JOB_OPTIONS, IngestTask, QueueName, randomId } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { addBenchUser, benchConfig, resetIngestState, RunningApi, seedKnownFile, startListeningApi, stopApi } from './support/ingest-app';
import { deleteKeys } from './support/redis-keys';
import { expectAllOk, LoadClient, LoadSpec } from './support/load-client';

const DEFAULT_N = 2000;
/** Requests in flight at once, on both sides (as ingest-sha256). */
const CONCURRENCY = 16;

/** The floor's one dependency: the queue its route adds to, and the task it adds (the API's, new ids each time). */
class FloorQueue {
  constructor(
    readonly queue: Queue,
    readonly template: IngestTask,
  ) {}
}

@Controller()
class FloorController {
  constructor(private readonly floor: FloorQueue) {}

  /** What every ingest route ends with, and nothing else: the JSON body parsed by Nest, one queue add, a JSON answer. */
  @Post('floor')
  @HttpCode(200)
  async add(@Body() body: { sha256?: string; name?: string }): Promise<{ api_response: { ingest_id: string } }> {
    const id = randomId();
    const { template } = this.floor;
    const task: IngestTask = { ...template, ingest_id: id, submission: { ...template.submission, sid: id, files: [{ ...template.submission.files[0]!, name: body.name ?? 'x' }] } };
    await this.floor.queue.add(QueueName.Ingest, task, { jobId: id, attempts: 4 });
    return { api_response: { ingest_id: id } };
  }
}

/** A bare Nest application (Express adapter, Nest's own JSON body parser) serving the floor route on a loopback port. */
async function startFloor(floor: FloorQueue): Promise<{ app: INestApplication; url: string }> {
  @Module({ controllers: [FloorController], providers: [{ provide: FloorQueue, useValue: floor }] })
  class FloorModule {}
  const app = await NestFactory.create(FloorModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  return { app, url: `http://127.0.0.1:${port}/floor` };
}

function viaLoad(name: string, client: LoadClient, spec: Omit<LoadSpec, 'n'>, cleanup: () => Promise<void>): Contender {
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      return { execute: async () => expectAllOk(await client.run({ ...spec, n }), n, name), cleanup };
    },
  };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const running: RunningApi = await startListeningApi(benchConfig('floor'));
  let client: LoadClient | null = null;
  const connection = new IORedis(running.config.redis.url, { maxRetriesPerRequest: null });
  const prefix = `{bench-floor-${randomBytes(6).toString('hex')}}`;
  const queue = new Queue(QueueName.Ingest, { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  let floor: { app: INestApplication; url: string } | null = null;
  try {
    client = await LoadClient.start();
    const user = await addBenchUser(running.app);
    const url = `${running.baseUrl}/api/v4/ingest/`;
    const { sha256, task } = await seedKnownFile(running, client, user);
    floor = await startFloor(new FloorQueue(queue, task));
    const json = JSON.stringify({ sha256, name: 'known.exe' });
    options.log(`ingest-floor: the same JSON body (${json.length} B) to both routes, concurrency ${CONCURRENCY}, one client process`);
    return await compare(
      {
        bench: 'ingest-floor',
        n: options.n ?? DEFAULT_N,
        baseline: viaLoad('framework floor (bare Nest route + one BullMQ add)', client, { url: floor.url, headers: {}, concurrency: CONCURRENCY, body: { kind: 'json', json } }, async () => {
          await queue.drain(true);
        }),
        candidate: viaLoad('POST /api/v4/ingest/ sha256', client, { url, headers: user.headers, concurrency: CONCURRENCY, body: { kind: 'json', json } }, () => resetIngestState(running)),
        target: 0.5,
      },
      { log: options.log },
    );
  } finally {
    await client?.stop();
    await floor?.app.close();
    await queue.obliterate({ force: true }).catch(() => undefined);
    await deleteKeys(connection, `${prefix}:*`);
    await queue.close();
    await connection.quit();
    await stopApi(running);
  }
}
