import { BadRequestException } from '@nestjs/common';
import { queryInteger } from './query-value';

/** Most rows one list call answers (Assemblyline's searches refuse deep pages too; Hopper says where). */
export const MAX_ROWS = 1000;
/** Furthest offset a list accepts: deeper pages cost a scan of everything before them. */
export const MAX_OFFSET = 100_000;

export interface Paging {
  offset: number;
  rows: number;
}

/** A page as Assemblyline's list and search routes answer it. */
export interface Page<T> {
  items: T[];
  offset: number;
  rows: number;
  total: number;
}

/** `offset` and `rows` of a list route (Assemblyline's names), `defaultRows` when rows is not given; 400 when out of range. */
export function parsePaging(query: { offset?: unknown; rows?: unknown }, defaultRows: number): Paging {
  const offset = queryInteger('offset', query.offset, { fallback: 0, min: 0, max: MAX_OFFSET });
  if ('error' in offset) throw new BadRequestException(offset.error);
  const rows = queryInteger('rows', query.rows, { fallback: defaultRows, min: 0, max: MAX_ROWS });
  if ('error' in rows) throw new BadRequestException(rows.error);
  return { offset: offset.value, rows: rows.value };
}
