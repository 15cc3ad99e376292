import { join } from 'node:path';
import { ClassificationEngine, loadClassificationFile } from '@hopper/classification';
import type { FileRecord } from '@hopper/datastore';
import type { PendingFile } from '@hopper/queues';
import { withPendingSightings } from './pending-sightings';

const engine = new ClassificationEngine(loadClassificationFile(join(__dirname, '../../../../test/fixtures/classification/enforced.yml')));
const sha256 = 'a'.repeat(64);
const measures = { sha256, md5: 'b'.repeat(32), sha1: 'c'.repeat(40), size: 12, entropy: 2.5, type: 'text/plain', magic: 'ASCII text', mime: 'text/plain' };
const clear = engine.normalize('TLP:CLEAR');
const amber = engine.normalize('TLP:AMBER');
const sighting = (classification: string, seenAt: string, expiry: string | null): PendingFile => ({ ...measures, classification, seen_at: seenAt, expiry });
const document: FileRecord = {
  ...measures,
  _id: sha256,
  classification: clear,
  seen: { count: 4, first: new Date('2026-01-01T00:00:00Z'), last: new Date('2026-02-01T00:00:00Z') },
  expiry_ts: null,
};

describe('withPendingSightings', () => {
  it('answers the document alone when nothing is pending, and null when there is neither', () => {
    expect(withPendingSightings(document, [], engine)).toBe(document);
    expect(withPendingSightings(null, [], engine)).toBeNull();
  });

  it('raises a document to the highest pending classification, keeping the rest of it', () => {
    expect(withPendingSightings(document, [sighting(amber, '2026-03-01T00:00:00Z', null)], engine)).toEqual({ ...document, classification: amber });
  });

  it('builds the document the ingester will write from the sightings alone: measures, span, longest life, highest classification', () => {
    const record = withPendingSightings(
      null,
      [sighting(clear, '2026-03-02T00:00:00Z', '2026-04-01T00:00:00Z'), sighting(amber, '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z')],
      engine,
    );
    expect(record).toEqual({
      ...measures,
      _id: sha256,
      classification: amber,
      seen: { count: 2, first: new Date('2026-03-01T00:00:00Z'), last: new Date('2026-03-02T00:00:00Z') },
      expiry_ts: new Date('2026-05-01T00:00:00Z'),
    });
  });

  it('keeps the file forever when any sighting asks so, and counts a record without times as seen now', () => {
    const now = new Date('2026-06-01T00:00:00Z');
    const { seen_at: _seenAt, expiry: _expiry, ...older } = sighting(clear, '', null);
    const record = withPendingSightings(null, [sighting(clear, '2026-03-01T00:00:00Z', '2026-04-01T00:00:00Z'), older], engine, now);
    expect(record).toMatchObject({ seen: { count: 2, first: new Date('2026-03-01T00:00:00Z'), last: now }, expiry_ts: null });
  });
});
