/** 64 KiB uploads/s through POST /api/v4/ingest/ versus a bare busboy server draining the same requests; target 0.15x (issue 17). */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { addBenchUser, benchConfig, forgetFiles, resetIngestState, RunningApi, startListeningApi, stopApi } from './support/ingest-app';
import { expectAllOk, LoadClient, LoadSpec } from './support/load-client';
import { startStoreFloor, STORE_FLOOR_NAME, StoreFloor } from './support/store-floor';

const DEFAULT_N = 500;
const FILE_BYTES = 64 * 1024;
/** Requests in flight at once, on both sides. */
const CONCURRENCY = 16;

/**
 * One side: the same client process sends the same multipart requests (a different 64 KiB file in each,
 * the same files for both sides in the same round) to `url`.
 */
function contender(name: string, client: LoadClient, url: string, headers: Record<string, string>, cleanup: () => Promise<void>): Contender {
  let round = 0;
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      const spec: LoadSpec = {
        url,
        headers,
        n,
        concurrency: CONCURRENCY,
        body: { kind: 'upload', size: FILE_BYTES, seed: ++round * 1_000_000, json: '{"name":"small.bin","metadata":{}}', filename: 'small.bin' },
      };
      return {
        async execute() {
          expectAllOk(await client.run(spec), n, name);
        },
        cleanup,
      };
    },
  };
}

/** The least a server can do with an Assemblyline multipart request: parse it with busboy, drop the file, answer 200. */
async function startDrainServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const parser = busboy({ headers: request.headers });
    parser.on('file', (_name, stream) => stream.resume());
    parser.on('close', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"api_response":{"ingest_id":"drained"}}');
    });
    parser.on('error', () => {
      response.writeHead(400);
      response.end();
    });
    request.pipe(parser);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const running: RunningApi = await startListeningApi(benchConfig('small'));
  const drain = await startDrainServer();
  let floor: StoreFloor | null = null;
  let client: LoadClient | null = null;
  try {
    client = await LoadClient.start();
    floor = await startStoreFloor(running.config.redis.url);
    const user = await addBenchUser(running.app);
    options.log(
      `ingest-small: ${FILE_BYTES / 1024} KiB files, a different one per request, concurrency ${CONCURRENCY}, local filestore; ` +
        'every API round starts with no file documents or blobs',
    );
    return await compare(
      {
        bench: 'ingest-small',
        n: options.n ?? DEFAULT_N,
        baseline: contender('bare busboy drain server', client, drain.url, {}, async () => undefined),
        candidate: contender('POST /api/v4/ingest/ 64 KiB', client, `${running.baseUrl}/api/v4/ingest/`, user.headers, async () => {
          await resetIngestState(running);
          await forgetFiles(running);
        }),
        target: 0.15,
        references: [contender(STORE_FLOOR_NAME, client, floor.url, {}, () => floor!.reset())],
      },
      { log: options.log },
    );
  } finally {
    await client?.stop();
    await floor?.stop();
    drain.server.closeAllConnections();
    await new Promise((resolve) => drain.server.close(resolve));
    await stopApi(running);
  }
}
