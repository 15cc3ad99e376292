import type { ResultRecord, ServiceErrorRecord } from '@hopper/datastore';

const iso = (date: Date | string | null | undefined): string | null => (date ? new Date(date).toISOString() : null);

/** A result as Assemblyline's Result answers it (its key under `key`, as the client's `result` lookups need). */
export function resultView(record: ResultRecord) {
  const { _id, created, expiry_ts, response, sid: _sid, ...rest } = record;
  return {
    key: _id,
    ...rest,
    created: iso(created),
    expiry_ts: iso(expiry_ts),
    drop_file: false,
    response: {
      ...response,
      milestones: { service_started: iso(response.milestones.service_started), service_completed: iso(response.milestones.service_completed) },
    },
  };
}

/** A service error as Assemblyline's Error answers it. */
export function errorView(record: ServiceErrorRecord) {
  const { _id, created, expiry_ts, sid: _sid, ...rest } = record;
  return { key: _id, ...rest, created: iso(created), expiry_ts: iso(expiry_ts) };
}
