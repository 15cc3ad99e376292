import { DynamicModule } from '@nestjs/common';
import { LoggerModule, Params } from 'nestjs-pino';
import type { DestinationStream } from 'pino';
import type { Options } from 'pino-http';
import { HopperConfig } from '@hopper/config';
import { REDACTED, redactSecretFields, redactSecrets, redactUrl } from './redact-secrets';

/** Credential headers, dropped from the request line (and the login's cookies from the response's). */
const SECRET_HEADER_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-apikey"]',
  'req.headers["x-xsrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * The pino options of every process: JSON, one line per event, tagged with the app that wrote them, and no
 * secret in any line. Credential headers are removed by path; the request URL and query lose their secret
 * values (Threat Grid's `?api_key=…`); and, whatever wrote the line (an exception filter's stack, a worker's
 * error), every line goes through `redactSecrets` on its way to the stream.
 */
export function loggingOptions(app: string, config: HopperConfig): Options {
  return {
    level: config.logging.level,
    base: { app },
    // Probes and scrapes would drown the log.
    autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes((req.url ?? '').split('?')[0]) },
    redact: { paths: SECRET_HEADER_PATHS, censor: REDACTED },
    serializers: {
      req: (req: { url?: string; query?: unknown }) => {
        if (typeof req.url === 'string') req.url = redactUrl(req.url);
        if (req.query) req.query = redactSecretFields(req.query);
        return req;
      },
    },
    hooks: { streamWrite: redactSecrets },
  };
}

/** nestjs-pino's parameters for `app`; `destination` replaces stdout (tests capture the log with it). */
export function loggingParams(app: string, config: HopperConfig, destination?: DestinationStream): Params {
  const options = loggingOptions(app, config);
  return { pinoHttp: destination ? [options, destination] : options };
}

/** pino JSON logs for `app` (see loggingOptions). */
export function loggingModule(app: string, config: HopperConfig): DynamicModule {
  return LoggerModule.forRoot(loggingParams(app, config));
}
