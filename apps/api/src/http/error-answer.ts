import { HttpException, HttpStatus } from '@nestjs/common';
import { domainErrorStatus } from './domain-errors';

/**
 * The status and message an API family answers an error with: an HttpException's own, a library's input error
 * (domainErrorStatus), an Express middleware's 4xx, else a 500 with `internalMessage` (`unexpected`: the
 * caller logs those).
 */
export function errorAnswer(exception: unknown, internalMessage: string): { status: number; message: string; unexpected: boolean } {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return { status: exception.getStatus(), message: Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message), unexpected: false };
  }
  const status = domainErrorStatus(exception) ?? clientErrorStatus(exception);
  if (status !== null) return { status, message: (exception as Error).message, unexpected: false };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: internalMessage, unexpected: true };
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
