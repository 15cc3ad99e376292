/** 4 KiB submissions/s through Threat Grid's POST /api/v2/samples versus Assemblyline's POST /api/v4/submit/ on the same API; target 0.7x. */
import IORedis from 'ioredis';
import { SubmissionsRepository } from '@hopper/datastore';
import { QUEUES, QueueName, Queues } from '@hopper/queues';
import { BenchOptions, BenchResult, Contender, PreparedRound } from './bench-types';
import { compare } from './harness';
import { addBenchUser, benchConfig, forgetFiles, resetIngestState, RunningApi, startListeningApi, stopApi } from './support/ingest-app';
import { expectAllOk, LoadBody, LoadClient } from './support/load-client';
import { deleteKeys } from './support/redis-keys';

/*
 * What is measured: one API process, one user, the same client process; per request one 4 KiB file (a different
 * one per request, the same n files on both sides of a round), concurrency 8, timed until the n-th answer.
 * Both endpoints stage and hash the upload, take a concurrent-quota slot (one Lua call), record the file,
 * create the submission in MongoDB and queue its dispatch task; no dispatcher runs, so nothing is analysed.
 *
 *   baseline   POST /api/v4/submit/   multipart `json` {"name":"small.bin"} + `bin`, X-USER/X-APIKEY headers;
 *                                     answers the Submission.
 *   candidate  POST /api/v2/samples   multipart `api_key` (<uname>:<key name>:<secret>) + `sample`; adds Threat
 *                                     Grid's controls: authentication from the form field, option parsing, the
 *                                     organization's dedupe claim (Lua), the rolling rate limits (Lua, user's and
 *                                     organization's windows), and answers the sample view (with a progress read).
 *
 * So the ratio is what the Threat Grid layer costs over plain submit. Neither side may be refused or shortcut:
 * the user has no concurrent or daily quota, the default organization's rate limit is far above what the run
 * sends, every file is new (no dedupe hit: each round's files differ, and every side's round ends by removing
 * the dedupe claims, rate-window entries, quota holds, dispatch tasks, submissions, file documents and blobs,
 * so both sides and every round start from the same empty state). A round whose side did not create exactly n
 * submissions fails the benchmark.
 */

const DEFAULT_N = 500;
const FILE_BYTES = 4 * 1024;
/** Requests in flight at once, on both sides. */
const CONCURRENCY = 8;
const FILENAME = 'small.bin';

/** One side: a different FILE_BYTES file per request, the same files for both sides of the same round (same seed). */
function contender(name: string, client: LoadClient, url: string, headers: Record<string, string>, body: (seed: number) => LoadBody, running: RunningApi): Contender {
  let round = 0;
  return {
    name,
    async prepare(n: number): Promise<PreparedRound> {
      const spec = { url, headers, n, concurrency: CONCURRENCY, body: body(++round * 1_000_000) };
      return {
        async execute() {
          expectAllOk(await client.run(spec), n, name);
        },
        async cleanup() {
          await expectSubmissions(running, n, name);
          await resetSubmitState(running);
        },
      };
    },
  };
}

/** Every request must have made its own submission and queued its task: a duplicate answer would skip both. */
async function expectSubmissions(running: RunningApi, n: number, what: string): Promise<void> {
  const made = await running.app.get(SubmissionsRepository).model.countDocuments({}).exec();
  const queued = await dispatchQueue(running).count();
  if (made !== n || queued !== n) throw new Error(`${what}: expected ${n} submissions and dispatch tasks, found ${made} and ${queued}`);
}

/**
 * Back to the state a round starts from: no dispatch task, submission, file or blob, no quota hold, no Threat
 * Grid dedupe claim or rate-window entry.
 */
async function resetSubmitState(running: RunningApi): Promise<void> {
  await dispatchQueue(running).drain(true);
  await running.app.get(SubmissionsRepository).model.deleteMany({}).exec();
  await resetIngestState(running);
  await forgetFiles(running);
  const prefix = running.config.redis.prefix;
  const redis = new IORedis(running.config.redis.url, { maxRetriesPerRequest: null });
  try {
    // The quota keys carry the hash tag (`{bench-…}:quota:…`), which resetIngestState's pattern leaves out.
    for (const pattern of [`${prefix}:quota:*`, `${prefix}:tg:*`]) await deleteKeys(redis, pattern);
  } finally {
    await redis.quit();
  }
}

function dispatchQueue(running: RunningApi) {
  return running.app.get<Queues>(QUEUES).get(QueueName.Dispatch)!;
}

export async function run(options: BenchOptions): Promise<BenchResult> {
  const running: RunningApi = await startListeningApi(
    benchConfig('tgsubmit', {
      // The bench user has its own quota 0 (unlimited); the default is lifted too, in case that ever changes.
      ui: { default_quotas: { concurrent_submissions: 0, daily_submissions: 0 } },
      threatgrid: { organizations: { default: { submission_rate_limit: [{ samples: 10_000_000, minutes: 1440 }] } } },
    }),
  );
  let client: LoadClient | null = null;
  try {
    client = await LoadClient.start();
    const user = await addBenchUser(running.app);
    const apiKey = `${user.uname}:${user.headers['x-apikey']}`;
    options.log(
      `tg-submit: ${FILE_BYTES / 1024} KiB files, a different one per request, concurrency ${CONCURRENCY}, one API process, ` +
        'local filestore, no dispatcher; every round starts with no submission, task, file, quota hold or Threat Grid claim',
    );
    return await compare(
      {
        bench: 'tg-submit',
        n: options.n ?? DEFAULT_N,
        baseline: contender(
          'POST /api/v4/submit/ 4 KiB',
          client,
          `${running.baseUrl}/api/v4/submit/`,
          user.headers,
          (seed) => ({ kind: 'upload', size: FILE_BYTES, seed, json: `{"name":"${FILENAME}"}`, filename: FILENAME }),
          running,
        ),
        candidate: contender(
          'POST /api/v2/samples 4 KiB',
          client,
          `${running.baseUrl}/api/v2/samples`,
          {},
          (seed) => ({ kind: 'form', size: FILE_BYTES, seed, fields: [['api_key', apiKey]], filePart: 'sample', filename: FILENAME }),
          running,
        ),
        target: 0.7,
      },
      { log: options.log },
    );
  } finally {
    await client?.stop();
    await stopApi(running);
  }
}
