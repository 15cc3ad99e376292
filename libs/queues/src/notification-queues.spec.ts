import { MAX_NOTIFICATION_QUEUE_NAME, notificationQueueNameError, shouldNotify } from './notification-queues';

describe('shouldNotify (Assemblyline: Ingester.send_notification)', () => {
  it('notifies when there is no threshold or no score', () => {
    expect(shouldNotify(null, 500)).toBe(true);
    expect(shouldNotify(undefined, 0)).toBe(true);
    expect(shouldNotify(500, null)).toBe(true);
  });
  it('notifies when the score meets the threshold, not below it', () => {
    expect(shouldNotify(500, 500)).toBe(true);
    expect(shouldNotify(500, 1000)).toBe(true);
    expect(shouldNotify(500, 499)).toBe(false);
    expect(shouldNotify(0, -10)).toBe(false);
  });
});

describe('notificationQueueNameError', () => {
  it.each(['q', 'my-queue', 'a.b_c:d', 'with space', 'é🙂', '{tag}', '%41', 'x'.repeat(MAX_NOTIFICATION_QUEUE_NAME)])(
    'accepts %p',
    (name) => expect(notificationQueueNameError(name)).toBeNull(),
  );
  it.each(['', 'a/b', 'tab\there', 'nl\n', 'nul\u0000', 'del\u007f', 'x'.repeat(MAX_NOTIFICATION_QUEUE_NAME + 1)])(
    'refuses %p',
    (name) => expect(notificationQueueNameError(name)).toMatch(/notification queue name/),
  );
});
