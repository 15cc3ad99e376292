import { INestApplication } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import { createHash, Hash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join, relative } from 'node:path';
import { Readable } from 'node:stream';
import { HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { IngestTask, QUEUES, QueueName, Queues } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { isolatedConfig } from './support/test-env';

const MiB = 1024 * 1024;

/**
 * `size` pseudo-random bytes (a random pool copied from shifting offsets, each chunk stamped with its index),
 * produced chunk by chunk as the socket asks for them and hashed on the way, so a body of any size is sent
 * without ever being held. `onChunk` sees the running count of bytes handed to the request.
 */
class GeneratedFile extends Readable {
  private static readonly pool = randomBytes(4 * MiB);
  private readonly hash: Hash = createHash('sha256');
  private sent = 0;
  private index = 0;

  constructor(
    readonly size: number,
    private readonly onChunk: (sent: number) => void = () => undefined,
  ) {
    super({ highWaterMark: 64 * 1024 });
  }

  override _read(): void {
    for (;;) {
      if (this.sent >= this.size) return void this.push(null);
      const length = Math.min(64 * 1024, this.size - this.sent);
      const offset = (this.index * 7919 * 64) % (GeneratedFile.pool.length - length);
      const chunk = Buffer.from(GeneratedFile.pool.subarray(offset, offset + length));
      chunk.writeUInt32LE(this.index++, 0);
      this.hash.update(chunk);
      this.sent += length;
      this.onChunk(this.sent);
      if (!this.push(chunk)) return;
    }
  }

  /** Valid once the whole body has been read. */
  sha256(): string {
    return this.hash.copy().digest('hex');
  }
}

/** Assemblyline's multipart body (`json` part, then the `bin` file part) around `file`, as one stream. */
function multipartBody(json: string, file: Buffer | Readable, fileSize: number): { body: Readable; length: number; contentType: string } {
  const boundary = `----hoppertest${randomBytes(8).toString('hex')}`;
  const before = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n${json}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="bin"; filename="sample.bin"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const after = Buffer.from(`\r\n--${boundary}--\r\n`);
  async function* parts() {
    yield before;
    if (Buffer.isBuffer(file)) yield file;
    else for await (const chunk of file) yield chunk as Buffer;
    yield after;
  }
  return {
    body: Readable.from(parts(), { objectMode: false }),
    length: before.length + fileSize + after.length,
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

interface Answer {
  status: number;
  body: { api_response: { ingest_id?: string } | null; api_error_message: string; api_status_code: number };
}

/** One POST over a real socket (its own connection), the body streamed with a Content-Length as clients send it. */
function postIngest(baseUrl: string, user: TestUser, file: Buffer | Readable, fileSize: number, json = '{"name":"sample.bin","metadata":{}}'): Promise<Answer> {
  const { body, length, contentType } = multipartBody(json, file, fileSize);
  const url = new URL('/api/v4/ingest/', baseUrl);
  return new Promise<Answer>((resolve, reject) => {
    const request = httpRequest(
      {
        method: 'POST',
        hostname: url.hostname,
        port: url.port,
        path: url.pathname,
        agent: false,
        headers: { ...user.headers, 'content-type': contentType, 'content-length': String(length) },
      },
      (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => {
          try {
            resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(parts).toString()) });
          } catch (error) {
            reject(error);
          }
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    body.on('error', (error) => request.destroy(error));
    body.pipe(request);
  });
}

/** Blobs of a local filestore (relative paths), `.staging` left out. */
function storedBlobs(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== join(root, '.staging')) walk(full);
      } else found.push(relative(root, full));
    }
  };
  if (existsSync(root)) walk(root);
  return found.sort();
}

function stagingEntries(root: string): string[] {
  const staging = join(root, '.staging');
  return existsSync(staging) ? readdirSync(staging) : [];
}

/** Bytes in the staging files right now (files may vanish between the listing and the stat: commit renames them). */
function stagedBytes(root: string): number {
  return stagingEntries(root).reduce((total, name) => {
    try {
      return total + statSync(join(root, '.staging', name)).size;
    } catch {
      return total;
    }
  }, 0);
}

async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of stream) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The ingest jobs whose task names `sha256`, whatever state they are in. */
async function jobsFor(queue: Queue, sha256: string): Promise<Array<Job<IngestTask>>> {
  const jobs = (await queue.getJobs(['wait', 'prioritized', 'delayed', 'paused', 'active', 'completed', 'failed'])) as Array<Job<IngestTask>>;
  return jobs.filter((job) => job?.data?.submission?.files?.[0]?.sha256 === sha256);
}

interface Running {
  app: INestApplication;
  config: HopperConfig;
  baseUrl: string;
  user: TestUser;
  queue: Queue;
  files: FilesRepository;
  root: string;
}

async function start(label: string, maxFileSize: number): Promise<Running> {
  const config = isolatedConfig(label, { submission: { max_file_size: maxFileSize } });
  const app = await startApi(config);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as { port: number };
  // No quota on concurrent submissions: nothing consumes the queue here, and the default (5 in flight) would
  // refuse part of the parallel uploads.
  const user = await addUserWithKey(app, { submission_quota: 0 });
  return {
    app,
    config,
    baseUrl: `http://127.0.0.1:${port}`,
    user,
    queue: app.get<Queues>(QUEUES).get(QueueName.Ingest)!,
    files: app.get(FilesRepository),
    root: config.filestore.local.path,
  };
}

async function stop(running: Running | undefined): Promise<void> {
  if (!running) return;
  await running.queue.obliterate({ force: true }).catch(() => undefined);
  await running.files.model.db.dropDatabase();
  await running.app.close();
  rmSync(running.root, { recursive: true, force: true });
}

describe('POST /api/v4/ingest/: uploads stream to the filestore', () => {
  let api: Running;

  beforeAll(async () => {
    api = await start('ingest-streaming', 256 * MiB);
    // One small upload first, so what happens once per process is not counted against the large one: above
    // all, identification loads libmagic (two WebAssembly instances with their database, about 80 MiB of RSS)
    // on its first use.
    const warmUp = await postIngest(api.baseUrl, api.user, Buffer.from('MZ warm-up'), 10);
    expect(warmUp.status).toBe(200);
  });

  afterAll(() => stop(api));

  it('takes a 200 MiB upload over HTTP with flat memory, and stores it whole under its sha256', async () => {
    const size = 200 * MiB;
    // The stream path, observed from outside: every 16 MiB the client hands over, how far behind it the staging
    // file is. A server that buffered the body (in memory or anywhere else) before writing it would fall
    // behind by up to the whole file; one that streams is behind by what sits in socket and stream buffers
    // (about 5 MiB here, the loopback socket's buffers mostly).
    const lags: number[] = [];
    const file = new GeneratedFile(size, (sent) => {
      if (sent % (16 * MiB) === 0 && sent < size) lags.push(sent - stagedBytes(api.root));
    });
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    let answer: Answer;
    try {
      answer = await postIngest(api.baseUrl, api.user, file, size, '{"name":"large.bin","metadata":{}}');
    } finally {
      clearInterval(sampler);
    }
    peak = Math.max(peak, process.memoryUsage().rss);

    expect(answer.status).toBe(200);
    const sha256 = file.sha256();
    const ingestId = answer.body.api_response!.ingest_id!;
    const job = await api.queue.getJob(ingestId);
    expect(job?.data.submission.files).toEqual([{ name: 'large.bin', sha256, size }]);
    const filestore = api.app.get<Filestore>(FILESTORE);
    expect(await filestore.stat(sha256)).toEqual({ size });
    expect(await sha256Of(await filestore.get(sha256))).toBe(sha256);
    expect(stagingEntries(api.root)).toEqual([]);

    expect(lags).toHaveLength(12);
    expect(Math.max(...lags)).toBeLessThan(32 * MiB);
    // Growth of this process's RSS (server and client both live here) while 200 MiB went through: about 25 MiB
    // when measured (buffers, garbage chunks not yet collected, heap growth), and it varies with GC timing and
    // whatever else the machine runs; holding the file would add at least 200 MiB. 100 MiB sits between the two
    // with a wide margin on either side, and the lag check above pins the stream path itself.
    expect(peak - before).toBeLessThan(100 * MiB);
  }, 120_000);

  it('stores one blob for 8 parallel uploads of the same file, and queues 8 ingests, each with its sighting of the file', async () => {
    const content = randomBytes(3 * MiB);
    const sha256 = createHash('sha256').update(content).digest('hex');

    const answers = await Promise.all(Array.from({ length: 8 }, () => postIngest(api.baseUrl, api.user, content, content.length)));

    expect(answers.map((answer) => answer.status)).toEqual(Array(8).fill(200));
    const ingestIds = answers.map((answer) => answer.body.api_response!.ingest_id!);
    expect(new Set(ingestIds).size).toBe(8);
    expect(storedBlobs(api.root).filter((path) => path.endsWith(sha256))).toEqual([join(sha256.slice(0, 2), sha256.slice(2, 4), sha256)]);
    expect(stagingEntries(api.root)).toEqual([]);
    const jobs = await jobsFor(api.queue, sha256);
    expect(jobs.map((job) => job.id).sort()).toEqual([...ingestIds].sort());
    // Each carries the sighting the ingester records in the one `files` document (upserts by sha256).
    expect(jobs.map((job) => job.data.file_sighting?.file.sha256)).toEqual(Array(8).fill(sha256));
    expect(await sha256Of(await api.app.get<Filestore>(FILESTORE).get(sha256))).toBe(sha256);
  });
});

describe('POST /api/v4/ingest/: an upload over max_file_size', () => {
  const max = 1 * MiB;
  let api: Running;

  beforeAll(async () => {
    api = await start('ingest-streaming-413', max);
  });

  afterAll(() => stop(api));

  it('answers 413 and leaves nothing behind: no staging file, blob, file document or queued task', async () => {
    const size = 3 * MiB;
    const file = new GeneratedFile(size);

    const answer = await postIngest(api.baseUrl, api.user, file, size);

    expect(answer.status).toBe(413);
    expect(answer.body.api_status_code).toBe(413);
    expect(answer.body.api_error_message).toBe(`File too large (${size} > ${max}). Ingestion failed`);
    expect(stagingEntries(api.root)).toEqual([]);
    expect(storedBlobs(api.root)).toEqual([]);
    expect(await api.app.get<Filestore>(FILESTORE).exists(file.sha256())).toBe(false);
    expect(await api.files.model.countDocuments({}).exec()).toBe(0);
    const counts = await api.queue.getJobCounts();
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(0);
  });
});
