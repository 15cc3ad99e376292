import { Schema } from 'mongoose';

/** A file a service produced, as its result lists it. */
export interface ResultFileRef {
  name: string;
  sha256: string;
  description: string;
  type: string;
  size: number;
}

/** One service's result on one file (Assemblyline's Result), keyed by its result key. */
export interface ResultRecord {
  /** `<sha256>.<service>.v<version>.c<inputs digest>`: equal keys are interchangeable (the results cache). */
  _id: string;
  sha256: string;
  /** The file's type and size when analysed. */
  type: string;
  size: number;
  classification: string;
  created: Date;
  expiry_ts: Date | null;
  /** The submission whose dispatch produced it (a re-run of that submission reuses it even with ignore_cache). */
  sid: string;
  response: {
    service_name: string;
    service_version: string;
    service_category: string;
    extracted: ResultFileRef[];
    supplementary: ResultFileRef[];
    milestones: { service_started: Date; service_completed: Date };
  };
  result: { score: number; sections: Record<string, unknown>[] };
  /** Every tag of the result, the sections' included, once each. */
  tags: { type: string; value: string }[];
}

export const RESULT_COLLECTION = 'results';

const fileRef = { _id: false, name: String, sha256: String, description: String, type: String, size: Number };

export const resultRecordSchema = new Schema<ResultRecord>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true },
    type: { type: String, required: true },
    size: { type: Number, required: true },
    classification: { type: String, required: true },
    created: { type: Date, required: true },
    expiry_ts: { type: Date, default: null },
    sid: { type: String, required: true },
    response: {
      service_name: { type: String, required: true },
      service_version: { type: String, required: true },
      service_category: { type: String, required: true },
      extracted: [fileRef],
      supplementary: [fileRef],
      milestones: { service_started: Date, service_completed: Date },
    },
    result: { score: { type: Number, required: true }, sections: { type: [Schema.Types.Mixed], default: [] } },
    tags: [{ _id: false, type: { type: String }, value: String }],
  },
  { collection: RESULT_COLLECTION, versionKey: false, minimize: false },
);

resultRecordSchema.index({ sha256: 1 });
resultRecordSchema.index({ expiry_ts: 1 });
