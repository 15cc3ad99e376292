import type { Request } from 'express';
import type { FormBodyRequest } from '../../http/form-body';
import { queryValue } from '../../http/query-value';

/**
 * A Threat Grid `api_key` is one opaque string, so Hopper's carries the user: `<uname>:<key name>:<secret>`,
 * i.e. the user name, a colon, and the user's Assemblyline-style `name:secret` key.
 */
export function splitThreatGridKey(apiKey: string): { uname: string; apikey: string } | null {
  const at = apiKey.indexOf(':');
  if (at <= 0) return null;
  return { uname: apiKey.slice(0, at), apikey: apiKey.slice(at + 1) };
}

/** The `api_key` of a request: query string, urlencoded body (also on GET), or `Authorization: Bearer`. */
export function apiKeyOf(request: Request & FormBodyRequest): string | undefined {
  const fromQuery = queryValue((request.query as Record<string, unknown>).api_key);
  if (fromQuery) return fromQuery;
  const fromForm = request.formBody?.get('api_key')?.[0];
  if (fromForm) return fromForm;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.header('authorization') ?? '');
  return bearer?.[1];
}
