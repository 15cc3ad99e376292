import { Schema } from 'mongoose';
import { ACCESS_CONTROL_SCHEMA_FIELDS, AccessControlParts } from '@hopper/classification';

/** An alert raised for an ingested submission that scored at or above the alert threshold (one per sid). */
export interface AlertRecord extends Partial<AccessControlParts> {
  _id: string;
  alert_id: string;
  sid: string;
  ts: Date;
  score: number;
  classification: string;
  submitter: string;
  file: { name: string; sha256: string; size: number | null };
  /** Flattened metadata (dotted keys), as the repository reads it; stored with its keys encoded (metadata-codec). */
  metadata: Record<string, string>;
  /** Every ingest of that submission that asked for an alert. */
  ingest_ids: string[];
  /** When the expiry sweeper deletes it (`core.alerter.alert_ttl` days after it was raised; null: never). */
  expiry_ts?: Date | null;
}

export const ALERT_COLLECTION = 'alerts';

export const alertRecordSchema = new Schema<AlertRecord>(
  {
    _id: { type: String, required: true },
    alert_id: { type: String, required: true },
    sid: { type: String, required: true },
    ts: { type: Date, required: true },
    score: { type: Number, required: true },
    classification: { type: String, required: true },
    submitter: { type: String, required: true },
    file: { name: String, sha256: String, size: Number },
    metadata: { type: Schema.Types.Mixed, default: {} },
    ingest_ids: { type: [String], default: [] },
    expiry_ts: { type: Date, default: null },
    // Stored beside the classification so the alert list filters by clearance in the query.
    ...ACCESS_CONTROL_SCHEMA_FIELDS,
  },
  { collection: ALERT_COLLECTION, versionKey: false, minimize: false },
);

alertRecordSchema.index({ ts: -1 });
alertRecordSchema.index({ expiry_ts: 1 });
