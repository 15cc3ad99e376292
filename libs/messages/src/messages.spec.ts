import { DispatchTaskSchema, IngestTaskSchema, InvalidMessage, parseMessage, SubmissionCompletionSchema, SubmissionParamsSchema, UnreadableIngestSchema } from './index';

const task = () => ({
  ingest_id: 'ing1',
  ingest_time: '2030-01-01T00:00:00.000Z',
  submission: {
    sid: 'ing1',
    time: '2030-01-01T00:00:00.000Z',
    files: [{ name: 'a.txt', sha256: 'a'.repeat(64), size: 3 }],
    metadata: { source: 'mail' },
    params: { classification: 'TLP:C', submitter: 'ann', priority: 150 },
    notification: { queue: 'q1', threshold: null },
    scan_key: null,
  },
  retries: 0,
  failure: '',
  extended_scan: 'submitted',
  quota_held: true,
});

describe('SubmissionParamsSchema', () => {
  it('fills every field an older message lacks with its default, and drops fields it does not know', () => {
    const params = SubmissionParamsSchema.parse({ classification: 'TLP:C', submitter: 'ann', surplus: 1 });
    expect(params).toMatchObject({ deep_scan: false, priority: 1000, services: { selected: [], excluded: [], rescan: [], resubmit: [] }, service_spec: {}, ttl: 0, psid: null });
    expect(params).not.toHaveProperty('surplus');
  });

  it('refuses a field of the wrong type and params without a classification', () => {
    expect(SubmissionParamsSchema.safeParse({ classification: 'TLP:C', submitter: 'ann', priority: 'high' }).success).toBe(false);
    expect(SubmissionParamsSchema.safeParse({ classification: 'TLP:C', submitter: 7 }).success).toBe(false);
    expect(SubmissionParamsSchema.safeParse({ submitter: 'ann' }).success).toBe(false);
  });
});

describe('parseMessage', () => {
  it('answers the typed ingest task', () => {
    expect(parseMessage(IngestTaskSchema, task(), 'ingest task').submission.params.never_drop).toBe(false);
  });

  it('throws InvalidMessage naming what and the path of each problem', () => {
    const broken = task();
    (broken.submission.params as Record<string, unknown>).deep_scan = 'yes';
    broken.submission.files = [];
    const error = (() => {
      try {
        parseMessage(IngestTaskSchema, broken, 'ingest task');
      } catch (caught) {
        return caught;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(InvalidMessage);
    expect((error as Error).message).toMatch(/^Invalid ingest task: /);
    expect((error as Error).message).toContain('submission.files');
    expect((error as Error).message).toContain('submission.params.deep_scan');
  });
});

describe('UnreadableIngestSchema', () => {
  it('keeps what an invalid task still tells: its id, queue and submitter', () => {
    const broken = { ...task(), retries: 'x', submission: { ...task().submission, params: { submitter: 'ann', priority: 'x' } } };
    expect(IngestTaskSchema.safeParse(broken).success).toBe(false);
    expect(UnreadableIngestSchema.parse(broken)).toMatchObject({ ingest_id: 'ing1', quota_held: true, submission: { notification: { queue: 'q1' }, params: { submitter: 'ann' } } });
  });

  it('reads no queue or submitter where they are not strings, and nothing without an ingest_id', () => {
    expect(UnreadableIngestSchema.parse({ ingest_id: 'x', submission: 5 })).toMatchObject({ quota_held: false, submission: { notification: { queue: null }, params: { submitter: null } } });
    expect(UnreadableIngestSchema.safeParse({ submission: {} }).success).toBe(false);
  });
});

describe('DispatchTaskSchema and SubmissionCompletionSchema', () => {
  it('brings back the handed submission with its dates as Dates', () => {
    const parsed = DispatchTaskSchema.parse({
      sid: 's1',
      scan_key: null,
      submission: {
        sid: 's1', classification: 'TLP:C', params: { classification: 'TLP:C', submitter: 'ann' }, metadata: {}, files: [], file_count: 0,
        state: 'submitted', times: { submitted: '2030-01-01T00:00:00.000Z', completed: null }, scan_key: null, max_score: 0, error_count: 0,
        errors: [], results: [], failure: null, expiry_ts: '2030-02-01T00:00:00.000Z',
      },
    });
    expect(parsed.submission?.times.submitted).toEqual(new Date('2030-01-01T00:00:00.000Z'));
    expect(parsed.submission?.expiry_ts).toEqual(new Date('2030-02-01T00:00:00.000Z'));
  });

  it('refuses a completion whose state is not an end', () => {
    expect(SubmissionCompletionSchema.safeParse({ sid: 's', scan_key: null, state: 'submitted', max_score: 0, errors: [], failure: null, completed_at: 'x' }).success).toBe(false);
  });
});
