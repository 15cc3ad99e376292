import type { NextFunction, Request, Response } from 'express';

const TG_PREFIX = /^\/+api\/v[23]\//;

/**
 * Threat Grid clients take any base URL and keep its trailing slash (`//api/v2/samples`, `/api/v2//samples`),
 * and Threat Grid's own examples write the query after `&` (`/api/v2/samples&api_key=…`): all reach the route
 * they mean. Repeated slashes are collapsed in the path only, never in the query.
 */
export function threatGridPaths(req: Request, _res: Response, next: NextFunction): void {
  if (TG_PREFIX.test(req.url)) {
    let url = req.url;
    const query = url.indexOf('?');
    const amp = url.indexOf('&');
    if (amp !== -1 && (query === -1 || amp < query)) url = `${url.slice(0, amp)}?${url.slice(amp + 1)}`;
    const pathEnd = url.indexOf('?') === -1 ? url.length : url.indexOf('?');
    req.url = url.slice(0, pathEnd).replace(/\/{2,}/g, '/') + url.slice(pathEnd);
  }
  next();
}
