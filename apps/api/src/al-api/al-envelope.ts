import { CallHandler, ExecutionContext, HttpException, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { map, Observable } from 'rxjs';
import { assertJsonBodyAccepted, JsonBodyRequest } from '../http/json-body';
import { errorAnswer } from '../http/error-answer';

/** What `api_server_version` reports: Assemblyline clients only display it. */
export const API_SERVER_VERSION = `hopper-${process.env.npm_package_version ?? '0.1.0'}`;

export interface AlEnvelope<T> {
  api_response: T;
  api_error_message: string;
  api_server_version: string;
  api_status_code: number;
}

export function envelope<T>(api_response: T, api_status_code = 200, api_error_message = ''): AlEnvelope<T> {
  return { api_response, api_error_message, api_server_version: API_SERVER_VERSION, api_status_code };
}

/**
 * A refusal whose envelope carries an `api_response` besides the message, as some of Assemblyline's do
 * (the UI's start answers `{started: false, sid: null}` with its 403 and 404).
 */
export class AlErrorWithResponse extends HttpException {
  constructor(
    message: string,
    status: number,
    readonly apiResponse: unknown,
  ) {
    super(message, status);
  }
}

/** Wraps every successful answer of an Assemblyline-compatible route in Assemblyline's envelope. */
@Injectable()
export class AlEnvelopeInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<AlEnvelope<unknown>> {
    assertJsonBodyAccepted(context.switchToHttp().getRequest<JsonBodyRequest>());
    const status = context.switchToHttp().getResponse<Response>().statusCode;
    return next.handle().pipe(map((data) => envelope(data ?? null, status)));
  }
}

/**
 * What AlEnvelopeInterceptor does, for a route of a controller without it (`@AlApi({ envelopeInterceptor:
 * false })`): `answer()` runs once the request's JSON body is known to be accepted, and its result comes back
 * in the envelope (status 200, the only success such a route answers).
 */
export async function alAnswer<T>(request: JsonBodyRequest, answer: () => Promise<T>): Promise<AlEnvelope<T | null>> {
  assertJsonBodyAccepted(request);
  return envelope((await answer()) ?? null);
}

const logger = new Logger('AlApi');

/**
 * An error under /api/v4/ in Assemblyline's envelope: the message in `api_error_message`, `api_response` null
 * (or the refusal's own). Called by the global exception filter (http/api-exception.filter.ts) for every
 * error of those paths, raised in a route or before one is found. An error after the answer has started
 * (a download stream) can only end the connection.
 */
export function answerAlError(exception: unknown, request: Request, response: Response): void {
  const { status, message, unexpected, headers } = errorAnswer(exception, 'Internal server error');
  // With the request (its id is the access line's), since no request context follows the code into the logger.
  if (unexpected) logger.error({ req: request }, exception instanceof Error ? exception.stack : String(exception));
  if (response.headersSent) {
    request.socket?.destroy();
    return;
  }
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  const body = exception instanceof AlErrorWithResponse ? exception.apiResponse : null;
  response.status(status).json(envelope(body, status, message));
}
