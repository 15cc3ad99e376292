import { DynamicModule } from '@nestjs/common';
import { LoggerModule, Params } from 'nestjs-pino';
import { DestinationStream, Logger, LoggerOptions, pino, stdSerializers } from 'pino';
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

/** A serialized request's URL and query with their secret values redacted (the standard serializer ran first). */
function redactRequest(req: { url?: string; query?: unknown }) {
  if (typeof req.url === 'string') req.url = redactUrl(req.url);
  if (req.query) req.query = redactSecretFields(req.query);
  return req;
}

/**
 * The pino options of every process: JSON, one line per event, tagged with the app that wrote them, and no
 * secret in any line. A logged `req` / `res` (the access line, an error's request) is cut to pino-http's fields
 * by the standard serializers; credential headers are removed by path; the request URL and query lose their
 * secret values (Threat Grid's `?api_key=…`); and, whatever wrote the line (an exception filter's stack, a
 * worker's error), every line goes through `redactSecrets` on its way to the stream.
 */
export function loggingOptions(app: string, config: HopperConfig): LoggerOptions {
  return {
    level: config.logging.level,
    base: { app },
    redact: { paths: SECRET_HEADER_PATHS, censor: REDACTED },
    serializers: {
      req: stdSerializers.wrapRequestSerializer((req) => redactRequest(req) as typeof req),
      res: stdSerializers.res,
      err: stdSerializers.err,
    },
    hooks: { streamWrite: redactSecrets },
  };
}

/**
 * nestjs-pino's parameters for `app`: the process's one pino logger (`destination` replaces stdout; tests
 * capture the log with it), handed over as is. nestjs-pino's own request middleware (pino-http and an
 * AsyncLocalStorage per request) is bound to no route: the API writes its access line with accessLog, which
 * does no work per request while the level drops it, and keeps Node's promise hooks off.
 */
export function loggingParams(app: string, config: HopperConfig, destination?: DestinationStream): Params {
  const logger = destination ? pino(loggingOptions(app, config), destination) : pino(loggingOptions(app, config));
  return { pinoHttp: { logger }, forRoutes: [] };
}

/** The pino logger of `params` (as loggingParams made them): the access log writes through it. */
export function rootLogger(params: Params): Logger {
  const logger = (params.pinoHttp as { logger?: Logger } | undefined)?.logger;
  if (!logger) throw new Error('logging parameters without a logger: build them with loggingParams');
  return logger;
}

/** pino JSON logs for `app` (see loggingOptions). */
export function loggingModule(app: string, config: HopperConfig): DynamicModule {
  return LoggerModule.forRoot(loggingParams(app, config));
}
