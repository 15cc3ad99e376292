import { Schema } from 'mongoose';
import { ACCESS_CONTROL_SCHEMA_FIELDS, AccessControlParts } from '@hopper/classification';

/** One stored file, keyed by its sha256 (the filestore key). */
export interface FileRecord extends Partial<AccessControlParts> {
  _id: string;
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  type: string;
  magic?: string;
  mime?: string;
  entropy?: number;
  classification: string;
  seen: { count: number; first: Date; last: Date };
  /** When the expiry job may delete the record (null: never). */
  expiry_ts: Date | null;
}

/**
 * What a lookup by sha256 needs of a stored file: its measures, its identity and its classification (a
 * `FileRecord` is one; so is the Redis record the writers of `files` keep of it, see FileRecordMirror).
 */
export type FileFacts = Pick<FileRecord, 'sha256' | 'md5' | 'sha1' | 'size' | 'type' | 'magic' | 'mime' | 'entropy' | 'classification'>;

/** The FileFacts of a larger record (a document), copied out. */
export function fileFactsOf(record: FileFacts): FileFacts {
  const { sha256, md5, sha1, size, type, magic, mime, entropy, classification } = record;
  return { sha256, md5, sha1, size, type, magic, mime, entropy, classification };
}

export const FILE_COLLECTION = 'files';

export const fileRecordSchema = new Schema<FileRecord>(
  {
    _id: { type: String, required: true },
    sha256: { type: String, required: true },
    md5: { type: String, required: true },
    sha1: { type: String, required: true },
    size: { type: Number, required: true, min: 0 },
    type: { type: String, required: true },
    magic: String,
    mime: String,
    entropy: Number,
    classification: { type: String, required: true },
    seen: {
      count: { type: Number, required: true },
      first: { type: Date, required: true },
      last: { type: Date, required: true },
    },
    expiry_ts: { type: Date, default: null },
    // Stored beside the classification so file lists and searches filter by clearance in the query. Not
    // required: a FilesRepository built without AccessPartsOf (tools, tests of the repository) records none.
    ...ACCESS_CONTROL_SCHEMA_FIELDS,
    __access_lvl__: { type: Number },
  },
  { collection: FILE_COLLECTION, versionKey: false },
);

// The expiry job scans by expiry_ts; the MongoDB-wire server in development has no TTL indexes,
// so expiry is a job, not an index option.
fileRecordSchema.index({ expiry_ts: 1 });
fileRecordSchema.index({ md5: 1 });
fileRecordSchema.index({ sha1: 1 });
