import type { AlertRecord } from '@hopper/datastore';

/**
 * An alert with Assemblyline's field names (`odm/models/alert.py`) for what Hopper records: the score under
 * `al`, the submission time as both `ts` and `reporting_ts`, and the workflow fields Hopper does not manage
 * (label, owner, priority, status) at Assemblyline's defaults. `submitter` and `ingest_ids` are Hopper's.
 */
export interface AlertView {
  alert_id: string;
  sid: string;
  classification: string;
  ts: Date;
  reporting_ts: Date;
  al: { score: number };
  file: { name: string; sha256: string; size: number | null };
  metadata: Record<string, string>;
  filtered: boolean;
  label: string[];
  owner: null;
  priority: null;
  status: null;
  submitter: string;
  ingest_ids: string[];
}

/** Picks the fields one by one, so storage-only fields (`_id`, access-control parts) never leak out. */
export function alertView(record: AlertRecord): AlertView {
  return {
    alert_id: record.alert_id,
    sid: record.sid,
    classification: record.classification,
    ts: record.ts,
    reporting_ts: record.ts,
    al: { score: record.score },
    file: { name: record.file.name, sha256: record.file.sha256, size: record.file.size ?? null },
    metadata: record.metadata ?? {},
    filtered: false,
    label: [],
    owner: null,
    priority: null,
    status: null,
    submitter: record.submitter,
    ingest_ids: record.ingest_ids ?? [],
  };
}
