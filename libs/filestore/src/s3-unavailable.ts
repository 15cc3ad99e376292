import { FilestoreUnavailableError } from './filestore';

// Node's socket errors of a server that is not there, went away, or did not answer in time.
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);
// S3's answers of a server that cannot serve now: SlowDown (its 503), ServiceUnavailable, InternalError (500),
// and MinIO's own for a server still starting or with too few drives online. Not a full disk (XMinioStorageFull)
// nor any 4xx: waiting mends neither.
const UNAVAILABLE_S3_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError', 'XMinioServerNotInitialized', 'XMinioReadQuorum', 'XMinioWriteQuorum']);
// minio-js retries a 408/429/5xx answer once itself and then throws this plain Error, without the S3 code.
const RETRIES_EXHAUSTED = /^Request failed after \d+ retries: Error: Retryable HTTP status: (\d{3})\b/;

/**
 * Whether an error of the S3 client says the store is unreachable or unavailable for now. A bare socket error
 * means that here, unlike in general (see outageOf): the S3 client only ever talks to the filestore.
 * ENOTFOUND stays out: an endpoint whose name does not resolve is a configuration to fix, not an outage.
 */
export function isS3Unavailable(error: unknown): boolean {
  // Not `instanceof Error`: Node's socket errors may come from another realm (a test sandbox's, a worker's).
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, message } = error as { code?: unknown; name?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE_CODES.has(code) || (name === 'S3Error' && UNAVAILABLE_S3_CODES.has(code)))) return true;
  const exhausted = typeof message === 'string' ? RETRIES_EXHAUSTED.exec(message) : null;
  if (exhausted) {
    const status = Number(exhausted[1]);
    return status === 429 || (status >= 500 && status !== 501);
  }
  return false;
}

/** The S3 client's error as a FilestoreUnavailableError when it says the store is unavailable, else itself. */
export function asS3Outage(error: unknown): unknown {
  return error instanceof FilestoreUnavailableError || !isS3Unavailable(error) ? error : new FilestoreUnavailableError({ cause: error });
}
