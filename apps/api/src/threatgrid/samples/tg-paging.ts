import { queryInteger } from '../../http/query-value';
import { TgError } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';

export const MAX_LIMIT = 1000;
export const MAX_OFFSET = 100_000;

/** Threat Grid's `offset` and `limit`; 400 naming the parameter when out of range. */
export function tgPaging(fields: TgFields, options: { defaultLimit: number }): { offset: number; limit: number } {
  const offset = queryInteger('offset', fields.first('offset'), { fallback: 0, min: 0, max: MAX_OFFSET });
  if ('error' in offset) throw new TgError(offset.error, 400);
  const limit = queryInteger('limit', fields.first('limit'), { fallback: options.defaultLimit, min: 1, max: MAX_LIMIT });
  if ('error' in limit) throw new TgError(limit.error, 400);
  return { offset: offset.value, limit: limit.value };
}
