import { FilestoreUnavailableError } from '@hopper/filestore';

/** A dependency whose outage a process survives by waiting, never by giving up on the work. */
export type Dependency = 'mongodb' | 'redis' | 'filestore';

const DEPENDENCY_NAMES: Record<Dependency, string> = { mongodb: 'The database', redis: 'Redis', filestore: 'The filestore' };

/** Seconds a client is told to wait before it retries a request refused during an outage. */
export const OUTAGE_RETRY_AFTER_SECONDS = 5;

/** MongoDB, Redis or the filestore cannot be reached right now: the work is fine, try it again later (503 + Retry-After). */
export class DependencyUnavailable extends Error {
  constructor(
    readonly dependency: Dependency,
    options?: { cause?: unknown },
  ) {
    super(`${DEPENDENCY_NAMES[dependency]} cannot be reached right now; retry later`, options);
    this.name = 'DependencyUnavailable';
  }
}

// Names of the mongodb driver's (and mongoose's) errors that say the server could not be reached or the
// client lost it; by name, not instanceof, so a second copy of the driver in node_modules is recognised too.
const MONGO_OUTAGE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoClientClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
  'MongoPoolClosedError',
  'MongoOperationTimeoutError',
]);
// Server codes of a server going away or not (yet) able to serve: shutdown, step-down, network, time limit.
const MONGO_OUTAGE_CODES = new Set([6, 7, 89, 91, 189, 262, 9001, 10107, 11600, 11602, 13435, 13436]);
const MONGOOSE_BUFFERING = /^Operation `[^`]*` buffering timed out after/;
// ioredis and BullMQ: the connection is down, was closed, or a command gave up waiting for it.
const REDIS_OUTAGE_NAMES = new Set(['MaxRetriesPerRequestError']);
// A server starting (LOADING) or failing over (READONLY, MASTERDOWN, CLUSTERDOWN, TRYAGAIN) answers too.
const REDIS_OUTAGE_MESSAGES = [
  /^Connection is closed\.?$/,
  /^Stream isn't writeable and enableOfflineQueue options is false/,
  /^Reached the max retries per request limit/,
  /^(LOADING|READONLY|MASTERDOWN|CLUSTERDOWN|TRYAGAIN) /,
];

/**
 * The dependency an error says is unreachable (MongoDB, Redis, the S3 filestore), or null for any other error
 * (a bug, a refused document, bad input), which retrying would not mend. Follows `cause` chains (a wrapped
 * driver error).
 */
export function outageOf(error: unknown): Dependency | null {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; current = current.cause, depth++) {
    if (current instanceof DependencyUnavailable) return current.dependency;
    // The S3 filestore says so itself (it alone knows a socket error came from S3). A local directory's EIO or
    // ENOSPC is no outage: it is the host's own disk, which waiting does not mend (docs/operations.md, Faults).
    if (current instanceof FilestoreUnavailableError) return 'filestore';
    const found = ownOutage(current);
    if (found) return found;
  }
  return null;
}

function ownOutage(error: Error): Dependency | null {
  const { name, message } = error;
  const code = (error as { code?: unknown }).code;
  if (MONGO_OUTAGE_NAMES.has(name) || MONGOOSE_BUFFERING.test(message)) return 'mongodb';
  if (name.startsWith('Mongo') && typeof code === 'number' && MONGO_OUTAGE_CODES.has(code)) return 'mongodb';
  // A bare socket error (ECONNREFUSED…) stays unclassified: it may come from an analysis service or a download.
  if (REDIS_OUTAGE_NAMES.has(name) || REDIS_OUTAGE_MESSAGES.some((pattern) => pattern.test(message))) return 'redis';
  return null;
}

/** The error as a DependencyUnavailable when it is an outage, else itself. */
export function asOutage(error: unknown): unknown {
  const dependency = outageOf(error);
  return dependency && !(error instanceof DependencyUnavailable) ? new DependencyUnavailable(dependency, { cause: error }) : error;
}
