import { resultRecord } from './result-records';

const DAY = 24 * 3600 * 1000;
const started = new Date('2026-01-01T00:00:00Z');
const file = { sha256: 'a'.repeat(64), type: 'text/plain', size: 3, name: 'a.txt' } as never;
const manifest = { name: 'S', version: '1', category: 'Static' } as never;
const submission = (expiry: Date | null) => ({ sid: 'sid', classification: 'TLP:C', expiry_ts: expiry });
const empty = { body: { sections: [], tags: [] } as never, extracted: [], supplementary: [] };
const section = { body: { sections: [{ title_text: 'x', tags: [], heuristic: null }], tags: [] } as never, extracted: [], supplementary: [] };

// Assemblyline's dispatcher: an empty result lives submission.emptyresult_dtl days, any other the submission's life.
describe('resultRecord expiry (submission.emptyresult_dtl)', () => {
  it('caps an empty result at emptyresult_dtl days from its run', () => {
    const record = resultRecord(submission(new Date(started.getTime() + 30 * DAY)), file, manifest, 'k', empty, started, 5);
    expect(record.expiry_ts).toEqual(new Date(started.getTime() + 5 * DAY));
    // A submission kept forever does not keep its empty results forever.
    expect(resultRecord(submission(null), file, manifest, 'k', empty, started, 5).expiry_ts).toEqual(new Date(started.getTime() + 5 * DAY));
  });

  it('never extends an empty result past its submission, and leaves other results and a 0 setting alone', () => {
    expect(resultRecord(submission(new Date(started.getTime() + DAY)), file, manifest, 'k', empty, started, 5).expiry_ts).toEqual(new Date(started.getTime() + DAY));
    const long = new Date(started.getTime() + 30 * DAY);
    expect(resultRecord(submission(long), file, manifest, 'k', section, started, 5).expiry_ts).toEqual(long);
    expect(resultRecord(submission(long), file, manifest, 'k', empty, started, 0).expiry_ts).toEqual(long);
  });
});
