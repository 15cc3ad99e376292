import type { SubmissionRecord } from '@hopper/datastore';
import { SubmissionParamsSchema } from '@hopper/messages';
import { submissionView } from './submission-view';

const record: SubmissionRecord = {
  _id: 'SID1',
  sid: 'SID1',
  classification: 'TLP:CLEAR',
  params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice', priority: 1000 }),
  metadata: { source: 'mail' },
  files: [{ name: 'a.txt', sha256: 'a'.repeat(64), size: 3 }],
  file_count: 1,
  state: 'completed',
  times: { submitted: new Date('2026-01-02T03:04:05.000Z'), completed: new Date('2026-01-02T03:05:00.000Z') },
  scan_key: null,
  max_score: 500,
  error_count: 1,
  errors: ['a.Extract.v1.e0'],
  results: ['a.Extract.v1.c0'],
  failure: null,
  file_tree: null,
  expiry_ts: new Date('2026-02-01T03:04:05.000Z'),
} as SubmissionRecord;

describe('submissionView', () => {
  it("renders Assemblyline's Submission: its fields and names, dates as ISO 8601, Hopper's own fields left out", () => {
    expect(submissionView(record)).toEqual({
      archive_ts: null,
      archived: false,
      classification: 'TLP:CLEAR',
      error_count: 1,
      errors: ['a.Extract.v1.e0'],
      expiry_ts: '2026-02-01T03:04:05.000Z',
      file_count: 1,
      files: [{ name: 'a.txt', sha256: 'a'.repeat(64), size: 3 }],
      from_archive: false,
      max_score: 500,
      metadata: { source: 'mail' },
      params: SubmissionParamsSchema.parse({ classification: 'TLP:CLEAR', submitter: 'alice', priority: 1000 }),
      results: ['a.Extract.v1.c0'],
      sid: 'SID1',
      state: 'completed',
      times: { submitted: '2026-01-02T03:04:05.000Z', completed: '2026-01-02T03:05:00.000Z' },
      to_be_deleted: false,
      tracing_events: [],
      verdict: { malicious: [], non_malicious: [] },
      scan_key: null,
    });
  });

  it('answers null for a running submission\'s completion time and for no expiry', () => {
    const running = submissionView({ ...record, state: 'submitted', times: { submitted: record.times.submitted, completed: null }, expiry_ts: null });
    expect(running.times.completed).toBeNull();
    expect(running.expiry_ts).toBeNull();
  });
});
