import { Schema } from 'mongoose';
import { ACCESS_CONTROL_SCHEMA_FIELDS, AccessControlParts } from '@hopper/classification';
import type { SubmissionParams } from '@hopper/messages';

export type SubmissionState = 'submitted' | 'completed' | 'failed';

/** A file of a submission, as Assemblyline lists it. */
export interface SubmissionFile {
  name: string;
  sha256: string;
  size: number | null;
}

/** A node of the submission's file tree (Assemblyline's shape): children by sha256. */
export interface FileTreeNode {
  /** Every name the file was seen under in this submission. */
  name: string[];
  sha256: string;
  type: string;
  size: number;
  /** Sum of the file's result scores. */
  score: number;
  children: Record<string, FileTreeNode>;
  /** True when children were left out (depth or count limits, or already shown elsewhere in the tree). */
  truncated: boolean;
}

/** What a submission made through the Threat Grid-compatible API keeps of its request. */
export interface ThreatGridSampleInfo {
  /** The submitter's organization (a key of threatgrid.organizations): private samples stay inside it. */
  organization: string;
  tags: string[];
  private: boolean;
  vm: string;
  playbook: string | null;
  network_exit: string | null;
  classify: boolean;
  /** Threat Grid's integer submission_id. */
  submission_id: number;
  /** The archive this sample was extracted from at intake, if any. */
  archive: { name: string; sha256: string } | null;
}

/** One submission (Assemblyline's `Submission` model, the fields Hopper keeps), keyed by its sid. */
export interface SubmissionRecord extends Partial<AccessControlParts> {
  _id: string;
  sid: string;
  classification: string;
  /** Parsed with libs/messages' schema whenever the repository reads a submission back. */
  params: SubmissionParams;
  /** Flattened metadata (dotted keys), as the repository reads it; stored with its keys encoded (metadata-codec). */
  metadata: Record<string, string>;
  files: SubmissionFile[];
  file_count: number;
  state: SubmissionState;
  times: { submitted: Date; completed: Date | null };
  /** The ingester's scan key (null for a submission made through submit). */
  scan_key: string | null;
  max_score: number;
  error_count: number;
  /** Error keys or messages of the results that failed. */
  errors: string[];
  /** Result keys. */
  results: string[];
  /** Why it ended without completing (state failed). */
  failure: string | null;
  /** The files analysed, as a tree from the submitted files (set when the submission completes). */
  file_tree: Record<string, FileTreeNode> | null;
  expiry_ts: Date | null;
  /** Set for samples submitted through the Threat Grid-compatible API. */
  threatgrid?: ThreatGridSampleInfo | null;
}

export const SUBMISSION_COLLECTION = 'submissions';

export const submissionRecordSchema = new Schema<SubmissionRecord>(
  {
    _id: { type: String, required: true },
    sid: { type: String, required: true },
    classification: { type: String, required: true },
    params: { type: Schema.Types.Mixed, required: true },
    metadata: { type: Schema.Types.Mixed, default: {} },
    files: [{ _id: false, name: String, sha256: String, size: Number }],
    file_count: { type: Number, required: true },
    state: { type: String, enum: ['submitted', 'completed', 'failed'], required: true },
    times: { submitted: { type: Date, required: true }, completed: { type: Date, default: null } },
    scan_key: { type: String, default: null },
    max_score: { type: Number, default: 0 },
    error_count: { type: Number, default: 0 },
    errors: { type: [String], default: [] },
    results: { type: [String], default: [] },
    failure: { type: String, default: null },
    file_tree: { type: Schema.Types.Mixed, default: null },
    expiry_ts: { type: Date, default: null },
    threatgrid: { type: Schema.Types.Mixed, default: null },
    // Stored beside the classification so submission lists filter by clearance in the query.
    ...ACCESS_CONTROL_SCHEMA_FIELDS,
    __access_lvl__: { type: Number },
  },
  // `errors` is Assemblyline's field name; the document is never used as a mongoose validation target for it.
  { collection: SUBMISSION_COLLECTION, versionKey: false, minimize: false, suppressReservedKeysWarning: true },
);

submissionRecordSchema.index({ 'params.submitter': 1, 'times.submitted': -1 });
submissionRecordSchema.index({ 'times.submitted': -1 });
submissionRecordSchema.index({ 'threatgrid.organization': 1, 'times.submitted': -1 });
submissionRecordSchema.index({ expiry_ts: 1 });
// The ingester's time-out sweep: submissions still running, oldest first.
submissionRecordSchema.index({ state: 1, 'times.submitted': 1 });
