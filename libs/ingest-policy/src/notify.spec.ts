import { shouldNotify as queuesShouldNotify } from '@hopper/queues';
import { DEFAULT_ALERT_THRESHOLD, raisesAlert, sendsNotification, shouldNotify } from './notify';

describe('shouldNotify', () => {
  it('is the notification-queue rule of @hopper/queues, not a copy', () => {
    expect(shouldNotify).toBe(queuesShouldNotify);
  });
});

describe('sendsNotification', () => {
  it('sends nothing when the ingest named no queue', () => {
    expect(sendsNotification({ queue: null, threshold: null }, 100)).toBe(false);
    expect(sendsNotification({ queue: '', threshold: null }, null)).toBe(false);
  });

  it('otherwise follows the threshold: below it is skipped, no score (failure, drop) is always sent', () => {
    expect(sendsNotification({ queue: 'q', threshold: null }, 0)).toBe(true);
    expect(sendsNotification({ queue: 'q', threshold: 500 }, 499)).toBe(false);
    expect(sendsNotification({ queue: 'q', threshold: 500 }, 500)).toBe(true);
    expect(sendsNotification({ queue: 'q', threshold: 500 }, null)).toBe(true);
  });
});

describe('raisesAlert', () => {
  it('alerts when asked to and the score reaches the threshold (500 by default)', () => {
    expect(DEFAULT_ALERT_THRESHOLD).toBe(500);
    expect(raisesAlert(true, 500)).toBe(true);
    expect(raisesAlert(true, 499)).toBe(false);
    expect(raisesAlert(false, 2000)).toBe(false);
  });

  it('never alerts without a score', () => {
    expect(raisesAlert(true, null)).toBe(false);
  });

  it('takes a configured threshold', () => {
    expect(raisesAlert(true, 300, 300)).toBe(true);
    expect(raisesAlert(true, 299, 300)).toBe(false);
  });
});
