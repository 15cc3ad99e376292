/**
 * A database that has been used for a while: ended submissions, their files and results, shaped as Hopper
 * stores them, bulk-inserted (driver insertMany, in batches) so a test or benchmark starts at tens of
 * thousands of documents in seconds.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SubmissionParamsSchema } from '@hopper/messages';
import type { Collection, Connection } from 'mongoose';
import {
  AccessPartsOf,
  FILE_COLLECTION,
  FileRecord,
  RESULT_COLLECTION,
  ResultRecord,
  SUBMISSION_COLLECTION,
  SubmissionRecord,
} from '@hopper/datastore';

/** The submitter of every fixture submission. */
export const FIXTURE_SUBMITTER = 'fixture-history';
const CLASSIFICATION = 'TLP:C';
const BATCH = 1000;
const DAY_MS = 86_400_000;

export interface FixtureCounts {
  submissions: number;
  results: number;
  files: number;
}

const hex = (text: string, algorithm: 'sha256' | 'sha1' | 'md5' = 'sha256') => createHash(algorithm).update(text).digest('hex');

export interface HistoryOptions {
  /** Which kinds to insert; all three by default. */
  kinds?: ReadonlyArray<keyof FixtureCounts>;
  /** Collection names other than Hopper's (a benchmark's second collection of the same documents). */
  names?: Partial<Record<keyof FixtureCounts, string>>;
  /** The expiry_ts of every document (null, kept forever, by default). */
  expiry?: Date | null;
}

/**
 * Inserts `count` documents of each kind (submissions, results, files); the i-th submission has the i-th file
 * and its result, all ended (completed, or failed for one in ten) over the last 30 days. Answers how many went
 * into each.
 */
export async function insertHistory(connection: Connection, count: number, accessPartsOf: AccessPartsOf, options: HistoryOptions = {}): Promise<FixtureCounts> {
  const { kinds = ['submissions', 'results', 'files'] } = options;
  const seed = randomBytes(4).toString('hex');
  const access = accessPartsOf(CLASSIFICATION);
  const now = Date.now();
  const sha256Of = (i: number) => hex(`${seed}-${i}`);
  const resultKeyOf = (i: number) => `${sha256Of(i)}.Fixture.v1_0_0.c${hex(`${seed}-c-${i}`).slice(0, 20)}`;
  const sidOf = (i: number) => hex(`${seed}-sid-${i}`).slice(0, 22);
  const build: { [K in keyof FixtureCounts]: (i: number) => object } = {
    submissions: (i) => submission(i, sidOf(i), sha256Of(i), resultKeyOf(i), new Date(now - (i % 30) * DAY_MS - i), access),
    results: (i) => result(i, resultKeyOf(i), sha256Of(i), sidOf(i), new Date(now - (i % 30) * DAY_MS - i)),
    files: (i) => file(i, seed, sha256Of(i), new Date(now - (i % 30) * DAY_MS - i), access),
  };
  const names: { [K in keyof FixtureCounts]: string } = { submissions: SUBMISSION_COLLECTION, results: RESULT_COLLECTION, files: FILE_COLLECTION, ...options.names };
  const inserted: FixtureCounts = { submissions: 0, results: 0, files: 0 };
  // The collections fill side by side: FerretDB and PostgreSQL each work on several at once.
  await Promise.all(
    kinds.map(async (kind) => {
      const collection: Collection = connection.collection(names[kind]);
      for (let start = 0; start < count; start += BATCH) {
        const docs = Array.from({ length: Math.min(BATCH, count - start) }, (_, k) => ({ ...build[kind](start + k), expiry_ts: options.expiry ?? null }));
        inserted[kind] += (await collection.insertMany(docs as never[], { ordered: false })).insertedCount;
      }
    }),
  );
  return inserted;
}

function submission(i: number, sid: string, sha256: string, resultKey: string, submitted: Date, access: object): SubmissionRecord {
  const failed = i % 10 === 0;
  return {
    _id: sid,
    sid,
    classification: CLASSIFICATION,
    params: SubmissionParamsSchema.parse({ classification: CLASSIFICATION, submitter: FIXTURE_SUBMITTER, description: `Inspection of file: sample-${i}.bin`, priority: 150, ttl: 30, services: { selected: ['Fixture'] } }),
    metadata: { source: 'fixture' },
    files: [{ name: `sample-${i}.bin`, sha256, size: 1024 + i }],
    file_count: 1,
    state: failed ? 'failed' : 'completed',
    times: { submitted, completed: new Date(submitted.getTime() + 5000) },
    scan_key: hex(`scan-${sid}`),
    max_score: i % 1000,
    error_count: 0,
    errors: [],
    results: failed ? [] : [resultKey],
    failure: failed ? 'Submission timed out' : null,
    file_tree: null,
    expiry_ts: null,
    threatgrid: null,
    ...access,
  };
}

function result(i: number, key: string, sha256: string, sid: string, created: Date): ResultRecord {
  return {
    _id: key,
    sha256,
    type: 'executable/windows/pe32',
    size: 1024 + i,
    classification: CLASSIFICATION,
    created,
    expiry_ts: null,
    sid,
    response: {
      service_name: 'Fixture',
      service_version: '1.0.0',
      service_category: 'Static Analysis',
      extracted: [],
      supplementary: [],
      milestones: { service_started: created, service_completed: created },
    },
    result: { score: i % 1000, sections: [{ title: 'Fixture saw the file', body: `sample ${i}`, heuristic: null, tags: {} }] },
    tags: [{ type: 'file.behavior', value: `fixture ${i % 100}` }],
  };
}

function file(i: number, seed: string, sha256: string, seen: Date, access: object): FileRecord {
  return {
    _id: sha256,
    sha256,
    md5: hex(`${seed}-${i}`, 'md5'),
    sha1: hex(`${seed}-${i}`, 'sha1'),
    size: 1024 + i,
    type: 'executable/windows/pe32',
    magic: 'PE32 executable (GUI) Intel 80386, for MS Windows',
    mime: 'application/x-dosexec',
    entropy: 6.5,
    classification: CLASSIFICATION,
    seen: { count: 1, first: seen, last: seen },
    expiry_ts: null,
    ...access,
  };
}
