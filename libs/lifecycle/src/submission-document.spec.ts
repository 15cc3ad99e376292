import { SubmissionParamsSchema } from '@hopper/messages';
import { newSubmissionDocument } from './submission-document';

const now = new Date('2030-01-01T00:00:00.000Z');
const files = [{ name: 'a.txt', sha256: 'a'.repeat(64), size: 3 }];
const params = (ttl: number) => SubmissionParamsSchema.parse({ classification: 'TLP:AMBER', submitter: 'ann', ttl });

describe('newSubmissionDocument', () => {
  it('starts a submission: submitted, no outcome, the params classification, living ttl days', () => {
    expect(newSubmissionDocument({ sid: 's1', params: params(2), metadata: { k: 'v' }, files, now })).toEqual({
      sid: 's1',
      classification: 'TLP:AMBER',
      params: params(2),
      metadata: { k: 'v' },
      files,
      file_count: 1,
      state: 'submitted',
      times: { submitted: now, completed: null },
      scan_key: null,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: new Date('2030-01-03T00:00:00.000Z'),
    });
  });

  it('keeps a ttl of 0 for ever, carries the ingester scan key, and the Threat Grid request only when given', () => {
    const threatgrid = { organization: 'o', tags: [], private: false, vm: 'win10', playbook: null, network_exit: null, classify: false, submission_id: 7, archive: null };
    const ingested = newSubmissionDocument({ sid: 's2', params: params(0), metadata: {}, files, now, scanKey: 'key' });
    expect(ingested).toMatchObject({ expiry_ts: null, scan_key: 'key' });
    expect(ingested).not.toHaveProperty('threatgrid');
    expect(newSubmissionDocument({ sid: 's3', params: params(0), metadata: {}, files, now, threatgrid })).toMatchObject({ threatgrid });
  });
});
