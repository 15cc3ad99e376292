import {
  ArgumentsHost,
  CallHandler,
  Catch,
  ExceptionFilter,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Injectable,
  Logger,
  NestInterceptor,
} from '@nestjs/common';
import type { Response } from 'express';
import { map, Observable } from 'rxjs';
import { assertJsonBodyAccepted, JsonBodyRequest } from '../http/json-body';
import { domainErrorStatus } from '../http/domain-errors';

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

/** Errors of Assemblyline-compatible routes, in the same envelope: message in `api_error_message`. */
@Catch()
export class AlExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('AlApi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    let status = HttpStatus.INTERNAL_SERVER_ERROR;
    let message = 'Internal server error';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      const raw = typeof body === 'string' ? body : (body as { message?: unknown }).message;
      message = Array.isArray(raw) ? raw.join('; ') : String(raw ?? exception.message);
    } else if (domainErrorStatus(exception) !== null) {
      status = domainErrorStatus(exception)!;
      message = (exception as Error).message;
    } else {
      this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    }
    const body = exception instanceof AlErrorWithResponse ? exception.apiResponse : null;
    response.status(status).json(envelope(body, status, message));
  }
}
