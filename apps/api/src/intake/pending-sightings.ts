import type { ClassificationEngine } from '@hopper/classification';
import type { FileRecord, KnownFile } from '@hopper/datastore';
import type { PendingFile } from '@hopper/queues';

/**
 * The file as its document and its pending sightings (`PendingFiles`: accepted by the API, not yet recorded
 * by the ingester) describe it, so a lookup right after an ingest answers what the document will: the
 * document, or before the ingester has written it the record it will write from the sightings, classified as
 * high as the highest of them all. Null when there is neither.
 */
export function withPendingSightings<Known extends KnownFile>(
  document: Known | null,
  pending: readonly PendingFile[],
  engine: ClassificationEngine,
  now: Date = new Date(),
): Known | FileRecord | null {
  if (pending.length === 0) return document;
  const base = document ?? recordFromSightings(pending, now);
  const classification = pending.reduce((highest, sighting) => engine.max(highest, sighting.classification), base.classification);
  return { ...base, classification };
}

/**
 * The document the ingester writes from these sightings (FilesRepository.recordSeenMany): the measures they
 * share, seen over their span, kept as long as the longest-lived asks (null, kept forever, wins). `seen.count`
 * counts the pending records, one per classification: two sightings at one classification are one record
 * until the ingester has counted both. A record without times (an older API's) counts as seen `now`.
 */
function recordFromSightings(pending: readonly PendingFile[], now: Date): FileRecord {
  const { seen_at: _seenAt, expiry: _expiry, ...measures } = pending[0];
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
