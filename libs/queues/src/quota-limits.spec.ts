import {
  concurrentQuotaMessage,
  dailyQuotaMessage,
  effectiveQuotaLimits,
  endOfUtcDay,
  remainingDaily,
  utcDay,
} from './quota-limits';

const defaults = { concurrent_submissions: 5, concurrent_async_submissions: 7, daily_submissions: 100 };

describe('effectiveQuotaLimits', () => {
  it('takes the defaults when the user has none', () => {
    const none = { submission_quota: null, submission_async_quota: null, submission_daily_quota: null };
    expect(effectiveQuotaLimits(none, defaults, 'submit')).toEqual({ concurrent: 5, daily: 100 });
    expect(effectiveQuotaLimits(none, defaults, 'async')).toEqual({ concurrent: 7, daily: 100 });
  });
  it("lets the user's own quotas win, 0 (unlimited) included", () => {
    const own = { submission_quota: 2, submission_async_quota: 0, submission_daily_quota: 0 };
    expect(effectiveQuotaLimits(own, defaults, 'submit')).toEqual({ concurrent: 2, daily: 0 });
    expect(effectiveQuotaLimits(own, defaults, 'async')).toEqual({ concurrent: 0, daily: 0 });
  });
  it('takes the async default for a record written before the field existed', () => {
    expect(effectiveQuotaLimits({ submission_quota: 1, submission_daily_quota: null }, defaults, 'async')).toEqual({ concurrent: 7, daily: 100 });
  });
});

// assemblyline_ui/helper/user.py; assemblyline_client's Connection.request stops retrying a 503 whose
// api_error_message contains both 'quota' and 'daily'.
describe('Assemblyline texts', () => {
  it('daily: mentions daily and quota, so the Python client does not retry', () => {
    expect(dailyQuotaMessage(3)).toBe("You've reached your daily maximum submission quota of 3");
  });
  it('concurrent: never mentions daily, so the client retries', () => {
    expect(concurrentQuotaMessage(5, 'submit')).toBe("You've exceeded your maximum concurrent submission quota of 5");
    expect(concurrentQuotaMessage(5, 'async')).toBe("You've exceeded your maximum async concurrent submission quota of 5");
    expect(concurrentQuotaMessage(5, 'submit')).not.toMatch(/daily/i);
    expect(concurrentQuotaMessage(5, 'async')).not.toMatch(/daily/i);
  });
});

describe('UTC days', () => {
  it('names the day and finds its end in UTC, whatever the local zone', () => {
    const at = new Date('2024-02-29T23:59:59.999Z');
    expect(utcDay(at)).toBe('20240229');
    expect(endOfUtcDay(at)).toBe(Date.parse('2024-03-01T00:00:00Z'));
    expect(endOfUtcDay(new Date('2024-12-31T00:00:00Z'))).toBe(Date.parse('2025-01-01T00:00:00Z'));
  });
});

describe('remainingDaily', () => {
  it('is null when unlimited, never negative otherwise', () => {
    expect(remainingDaily(0, 10)).toBeNull();
    expect(remainingDaily(3, 1)).toBe(2);
    expect(remainingDaily(3, 7)).toBe(0);
  });
});
