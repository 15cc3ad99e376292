import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Probes and scrapes would drown the log. */
const UNLOGGED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);
const MAX_REQUEST_ID = 0x7fffffff;

/**
 * One line per answered request, as pino-http wrote it (`req`, `res`, `responseTime`; `request completed`,
 * `request aborted`, or `request errored` with `err` for a 5xx), through `logger`, whose serializers and
 * redaction (loggingOptions) shape and clean `req` and `res`. Unlike pino-http it makes no child logger per
 * request: nothing is serialised before the line is written, and nothing at all is done for a request while
 * the level drops `info` (only `req.id` is set, so other lines of the request can name it).
 */
export function accessLog(logger: Logger) {
  let lastId = 0;
  return function logAccess(req: IncomingMessage, res: ServerResponse, next: () => void): void {
    const numbered = req as { id?: unknown };
    numbered.id ??= lastId = (lastId + 1) & MAX_REQUEST_ID;
    if (logger.isLevelEnabled('info') && !UNLOGGED_PATHS.has(pathOf(req.url))) {
      const started = Date.now();
      const done = (error?: Error) => {
        res.off('finish', done);
        res.off('close', done);
        res.off('error', done);
        writeLine(logger, req, res, Date.now() - started, error);
      };
      res.on('finish', done);
      res.on('close', done);
      res.on('error', done);
    }
    next();
  };
}

function writeLine(logger: Logger, req: IncomingMessage, res: ServerResponse, responseTime: number, error: Error | undefined): void {
  if (error || res.statusCode >= 500) {
    const err = error ?? new Error(`failed with status code ${res.statusCode}`);
    logger.info({ req, res, err, responseTime }, 'request errored');
    return;
  }
  const completed = !req.readableAborted && res.writableEnded;
  logger.info({ req, res, responseTime }, completed ? 'request completed' : 'request aborted');
}

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
