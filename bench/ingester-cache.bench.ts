/** Ingests/s of a file whose result is cached (fresh) versus of files never seen (each scanned: insert, stub dispatch, completion); target 1.5x. */
import { BenchOptions, BenchResult, Contender } from './bench-types';
import { compare } from './harness';
import { ingesterServiceEnv, prepareIngesterRound, uniqueSha256 } from './support/ingester-app';
import { profileIngesterRounds } from './support/step-timer';

const DEFAULT_N = 2000;

/**
 * The baseline, the unique path: N ingests of N files never seen; each claim starts a scan (submission insert
 * in MongoDB, `dispatch` job), the stub dispatcher completes it, and the completion notifies the ingest.
 */
const uniqueFiles: Contender = {
  name: 'unique files (scan each)',
  prepare: (n) => prepareIngesterRound(n, { label: 'cache-unique', sha256: () => uniqueSha256() }),
};

/**
 * The candidate, the duplicate path: the round's warm-up ingest scans one file (so its result is cached and
 * fresh when the clock starts), then N ingests of that same file; each claim is a cache hit, and the ingest
 * job itself releases the quota and notifies. Same parameters, so the same scan key.
 */
const cachedFile: Contender = {
  name: 'cached file (cache hit)',
  prepare: (n) => {
    const sha256 = uniqueSha256();
    return prepareIngesterRound(n, { label: 'cache-hit', warmUpSha256: sha256, sha256: () => sha256 });
  },
};

export async function run(options: BenchOptions): Promise<BenchResult> {
  ingesterServiceEnv();
  const n = options.n ?? DEFAULT_N;
  options.log('ingester-cache: both sides the same ingester set-up (shipped defaults, stub dispatcher, all in this process), timed until the N-th notification');
  const result = await compare({ bench: 'ingester-cache', n, baseline: uniqueFiles, candidate: cachedFile, target: 1.5 }, { log: options.log });
  const sha256 = uniqueSha256();
  await profileIngesterRounds(n, options.log, { label: 'cache-hit', warmUpSha256: sha256, sha256: () => sha256 }, ['as-is']);
  return result;
}
