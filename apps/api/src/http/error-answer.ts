import { HttpException, HttpStatus } from '@nestjs/common';
import { domainErrorStatus } from './domain-errors';

/**
 * The status and message an API family answers an error with: an HttpException's own, a library's input error
 * (domainErrorStatus), else a 500 with `internalMessage` (`unexpected`: the caller logs those).
 */
export function errorAnswer(exception: unknown, internalMessage: string): { status: number; message: string; unexpected: boolean } {
  if (exception instanceof HttpException) {
    const body = exception.getResponse();
    const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
    return { status: exception.getStatus(), message: Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message), unexpected: false };
  }
  const status = domainErrorStatus(exception);
  if (status !== null) return { status, message: (exception as Error).message, unexpected: false };
  return { status: HttpStatus.INTERNAL_SERVER_ERROR, message: internalMessage, unexpected: true };
}
