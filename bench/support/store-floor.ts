/**
 * A reference for the upload benchmarks: the least a server can do that keeps each uploaded file and queues
 * work for it. Per request: busboy parses the multipart body; the file's md5, sha1 and sha256 are computed as
 * it streams to a staging file, which is then renamed to its sha256 under fan-out directories (as the local
 * filestore does); one BullMQ add carries the digests; the answer is an Assemblyline envelope. No
 * authentication, quota, entropy, parameters, metadata or framework. Hopper does all of this and more, so
 * this server's ratio to a baseline bounds the ratio Hopper can reach against it.
 */
import { createHash, Hash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import busboy from 'busboy';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DEFAULT_JOB_OPTIONS, randomId } from '@hopper/queues';
import { deleteKeys } from './redis-keys';

export const STORE_FLOOR_NAME = 'store-and-queue floor (bare server, see store-floor.ts)';

export interface StoreFloor {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** Removes the stored files and the queued jobs, so every round starts empty (as Hopper's rounds do). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

export async function startStoreFloor(redisUrl: string): Promise<StoreFloor> {
  const root = mkdtempSync(join(tmpdir(), 'hopper-bench-floor-'));
  const staging = join(root, '.staging');
  await mkdir(staging);
  const prefix = `{bench-floor-${randomBytes(4).toString('hex')}}`;
  const connection = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('ingest', { connection, prefix, defaultJobOptions: DEFAULT_JOB_OPTIONS });
  await queue.waitUntilReady();

  const storeAndQueue = async (file: Readable, name: string): Promise<string> => {
    const hashes = ['md5', 'sha1', 'sha256'].map((algorithm) => createHash(algorithm));
    const temp = join(staging, randomId());
    const size = await writeHashed(file, temp, hashes);
    const [md5, sha1, sha256] = hashes.map((hash) => hash.digest('hex')) as [string, string, string];
    const final = join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
    await mkdir(dirname(final), { recursive: true });
    await rename(temp, final);
    const ingestId = randomId();
    await queue.add('ingest', { ingest_id: ingestId, name, md5, sha1, sha256, size }, { jobId: ingestId });
    return ingestId;
  };

  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const parser = busboy({ headers: request.headers });
    let stored: Promise<string> | null = null;
    parser.on('file', (_field, file, info) => {
      stored = storeAndQueue(file, info.filename ?? 'file');
      stored.catch(() => file.resume());
    });
    parser.on('close', () => {
      (stored ?? Promise.reject(new Error('no file part'))).then(
        (ingestId) => answer(response, 200, { api_response: { ingest_id: ingestId }, api_error_message: '', api_server_version: 'floor', api_status_code: 200 }),
        (error: Error) => answer(response, 500, { api_error_message: error.message }),
      );
    });
    parser.on('error', () => answer(response, 400, { api_error_message: 'bad multipart body' }));
    request.pipe(parser);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    async reset() {
      await queue.obliterate({ force: true });
      for (const entry of readdirSync(root)) if (entry !== '.staging') rmSync(join(root, entry), { recursive: true, force: true });
    },
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await queue.close();
      await deleteKeys(connection, `${prefix}:*`);
      await connection.quit();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** Streams `file` into a new file at `path`, feeding `hashes` on the way, with backpressure; resolves to the size. */
async function writeHashed(file: Readable, path: string, hashes: Hash[]): Promise<number> {
  const handle = await open(path, 'wx');
  const sink = handle.createWriteStream({ highWaterMark: 1024 * 1024 });
  let size = 0;
  await new Promise<void>((resolve, reject) => {
    file.on('data', (chunk: Buffer) => {
      size += chunk.length;
      for (const hash of hashes) hash.update(chunk);
      if (!sink.write(chunk)) {
        file.pause();
        sink.once('drain', () => file.resume());
      }
    });
    file.once('end', () => sink.end());
    file.once('error', reject);
    sink.once('error', reject);
    sink.once('close', resolve); // after the last write and the file's close
  });
  return size;
}

function answer(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
