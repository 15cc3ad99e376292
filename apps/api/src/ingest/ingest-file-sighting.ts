import type { IngestFileSighting } from '@hopper/queues';
import type { IntakeFile } from '../intake/intake-file';
import { expiryFromTtl } from '../intake/record-intake-file';

/**
 * The sighting an ingest task hands the ingester (`file_sighting`): the file's measures, its type when the API
 * knows it (a file with a document, a corrupted CaRT) and otherwise none, for the ingester to identify the
 * stored blob; the classification and life the ingest gives it, and when.
 */
export function ingestFileSighting(file: IntakeFile, classification: string, ttlDays: number, now: Date): IngestFileSighting {
  const { sha256, md5, sha1, size, entropy } = file.digests;
  const identity = file.type === undefined ? {} : { type: file.type, magic: file.magic, mime: file.mime };
  return {
    file: { sha256, md5, sha1, size, entropy, ...identity, classification },
    seen_at: now.toISOString(),
    expiry: expiryFromTtl(ttlDays, now)?.toISOString() ?? null,
  };
}
