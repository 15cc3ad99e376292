import type { ClassificationEngine } from '@hopper/classification';
import type { FileFacts, FileRecord } from '@hopper/datastore';
import type { PendingFile } from '@hopper/queues';
import type { KnownFile, LookedUpFile } from './intake-file';

/**
 * The file as its document and its pending sightings (`PendingFiles`: accepted by the API, not yet recorded
 * by the ingester) describe it, so a lookup right after an ingest answers what the document will: the
 * document, or before the ingester has written it the record it will write from the sightings, classified as
 * high as the highest of them all. Null when there is neither. Before the ingester has written it, the file
 * may not be identified yet (an upload's ingest leaves that to the ingester): the record then has no `type`,
 * and what needs one identifies the stored blob (FileIntake.identified, VisibleFiles).
 */
export function withPendingSightings(document: FileRecord, pending: readonly PendingFile[], engine: ClassificationEngine, now?: Date): FileRecord;
export function withPendingSightings(document: FileRecord | null, pending: readonly PendingFile[], engine: ClassificationEngine, now?: Date): KnownFile | null;
export function withPendingSightings(document: FileFacts | null, pending: readonly PendingFile[], engine: ClassificationEngine, now?: Date): LookedUpFile | null;
export function withPendingSightings(
  document: FileFacts | null,
  pending: readonly PendingFile[],
  engine: ClassificationEngine,
  now: Date = new Date(),
): LookedUpFile | null {
  if (pending.length === 0) return document;
  const base = document ?? recordFromSightings(pending, now);
  const classification = pending.reduce((highest, sighting) => engine.max(highest, sighting.classification), base.classification);
  return { ...base, classification };
}

/**
 * The document the ingester writes from these sightings (FilesRepository.recordSeenMany): the measures they
 * share, seen over their span, kept as long as the longest-lived asks (null, kept forever, wins). `seen.count`
 * counts the pending records, one per classification: two sightings at one classification are one record
 * until the ingester has counted both. A record without times (an older API's) counts as seen `now`. The
 * measures are those of a sighting that knew the type, if one did.
 */
function recordFromSightings(pending: readonly PendingFile[], now: Date): KnownFile {
  const { seen_at: _seenAt, expiry: _expiry, ...measures } = pending.find((sighting) => sighting.type !== undefined) ?? pending[0];
  const seen = pending.map((sighting) => (sighting.seen_at ? new Date(sighting.seen_at).getTime() : now.getTime()));
  const expiries = pending.map((sighting) => (sighting.expiry ? new Date(sighting.expiry).getTime() : null));
  const expiry = expiries.includes(null) ? null : new Date(Math.max(...(expiries as number[])));
  return {
    ...measures,
    _id: measures.sha256,
    seen: { count: pending.length, first: new Date(Math.min(...seen)), last: new Date(Math.max(...seen)) },
    expiry_ts: expiry,
  };
}
