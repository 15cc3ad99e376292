import { HttpException, HttpStatus } from '@nestjs/common';
import { Dependency, OUTAGE_RETRY_AFTER_SECONDS, outageOf } from '@hopper/observability';
import { FileBeingDeletedError } from '@hopper/queues';
import { domainErrorStatus } from './domain-errors';

export interface ErrorAnswer {
  status: number;
  message: string;
  unexpected: boolean;
  /** Headers the answer carries (Retry-After of an outage). */
  headers: Record<string, string>;
}

/**
 * The status and message an API family answers an error with: an HttpException's own, a library's input error
 * (domainErrorStatus), an Express middleware's 4xx, a MongoDB, Redis or filestore outage (503 with Retry-After: clients
 * retry a 503, not a 500), a file whose deletion outlasted the wait for it (503 too: the next try writes it anew), else a 500 with `internalMessage` (`unexpected`: the caller logs those).
 */
export function errorAnswer(exception: unknown, internalMessage: string): ErrorAnswer {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return { status: exception.getStatus(), message: Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message), unexpected: false, headers: {} };
  }
  const status = domainErrorStatus(exception) ?? clientErrorStatus(exception);
  if (status !== null) return { status, message: (exception as Error).message, unexpected: false, headers: {} };
  const outage = outageOf(exception);
  if (outage) return outageAnswer(outage);
  // A sighting that outwaited a deletion of its file (FileGuard): transient, the next try stores the file anew.
  if (exception instanceof FileBeingDeletedError) return retryLater('The file is being deleted');
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: internalMessage, unexpected: true, headers: {} };
}

const OUTAGE_PARTS: Record<Dependency, string> = { mongodb: 'The database', redis: 'The queue store', filestore: 'The filestore' };

/** 503 naming what cannot be reached (never its address), with when to try again. */
export function outageAnswer(dependency: Dependency): ErrorAnswer {
  return retryLater(`${OUTAGE_PARTS[dependency]} is unavailable`);
}

/** A 503 the client should retry after OUTAGE_RETRY_AFTER_SECONDS, saying so. */
function retryLater(what: string): ErrorAnswer {
  return {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    message: `${what}; retry in ${OUTAGE_RETRY_AFTER_SECONDS} seconds`,
    unexpected: false,
    headers: { 'Retry-After': String(OUTAGE_RETRY_AFTER_SECONDS) },
  };
}

/**
 * The 4xx of an Express middleware's error that says its message is written for the client (the `http-errors`
 * convention: `status` and `expose: true`), or null. Any other error stays a 500, its details logged only.
 */
function clientErrorStatus(exception: unknown): number | null {
  if (!(exception instanceof Error)) return null;
  const { status, expose } = exception as Error & { status?: unknown; expose?: unknown };
  return expose === true && typeof status === 'number' && status >= 400 && status < 500 ? status : null;
}
