import type { FileRecord } from '@hopper/datastore';

/** A file as Assemblyline's `GET /api/v4/file/info/<sha256>/` answers it (the fields Hopper records). */
export interface FileInfo {
  sha256: string;
  md5: string;
  sha1: string;
  size: number;
  type: string;
  magic: string | null;
  mime: string | null;
  entropy: number | null;
  classification: string;
  seen: { count: number; first: Date; last: Date };
  expiry_ts: Date | null;
}

/** Picks the fields one by one, so storage-only fields (`_id`, access-control parts) never leak out. */
export function fileInfo(record: FileRecord): FileInfo {
  return {
    sha256: record.sha256,
    md5: record.md5,
    sha1: record.sha1,
    size: record.size,
    type: record.type,
    magic: record.magic ?? null,
    mime: record.mime ?? null,
    entropy: record.entropy ?? null,
    classification: record.classification,
    seen: { count: record.seen.count, first: record.seen.first, last: record.seen.last },
    expiry_ts: record.expiry_ts ?? null,
  };
}
