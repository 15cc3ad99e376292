import { failedJobView } from './queue-report';

describe('failedJobView', () => {
  it('names the submission or ingest the job was about, with its reason and when it failed', () => {
    const finishedOn = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(failedJobView({ id: 'j1', name: 'dispatch', failedReason: 'boom', attemptsMade: 3, finishedOn, data: { sid: 'abc', scan_key: null } })).toEqual({
      id: 'j1',
      name: 'dispatch',
      failed_reason: 'boom',
      attempts_made: 3,
      finished_at: '2026-01-02T03:04:05.000Z',
      subject: 'abc',
    });
    expect(failedJobView({ id: 'j2', name: 'ingest', attemptsMade: 1, data: { ingest_id: 'i9' } }).subject).toBe('i9');
  });

  it('stays readable for a job whose data names nothing', () => {
    expect(failedJobView({ id: 'j3', name: 'ingest', attemptsMade: 1, data: null })).toMatchObject({ subject: null, failed_reason: '', finished_at: null });
  });
});
