import { rateDecision, WindowCounts } from './rate-decision';
import type { RateWindow } from './rate-windows';

const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;
const user: RateWindow = { scope: 'user', id: 'alice', samples: 2, minutes: 60 };
const org: RateWindow = { scope: 'organization', id: 'acme', samples: 5, minutes: 1440 };
const counts = (used: number, oldestMs: number | null, nextFitMs: number | null = null, requestFitMs: number | null = null): WindowCounts => ({
  used,
  oldestMs,
  nextFitMs,
  requestFitMs,
});

describe('rateDecision', () => {
  it('answers allowed with no limit when there are no windows', () => {
    expect(rateDecision([], [], true, 3, NOW)).toEqual({
      allowed: true,
      windows: [],
      limit: null,
      remaining: null,
      resetSeconds: 0,
      retryAfterSeconds: null,
    });
  });

  it('binds on the window with the fewest available and resets when its oldest entry leaves', () => {
    // user: 1 of 2 used, entry 10 minutes old; org: 1 of 5 used, entry 30 minutes old.
    const decision = rateDecision([user, org], [counts(1, NOW - 10 * MIN), counts(1, NOW - 30 * MIN)], true, 1, NOW);
    expect(decision).toEqual({
      allowed: true,
      windows: [
        { ...user, used: 1, available: 1, waitSeconds: 0 },
        { ...org, used: 1, available: 4, waitSeconds: 0 },
      ],
      limit: 2,
      remaining: 1,
      resetSeconds: 50 * 60,
      retryAfterSeconds: null,
    });
  });

  it('between windows equally full, binds on the one that stays full longer', () => {
    const short: RateWindow = { scope: 'user', id: 'alice', samples: 1, minutes: 10 };
    const long: RateWindow = { scope: 'organization', id: 'acme', samples: 1, minutes: 60 };
    const decision = rateDecision([short, long], [counts(1, NOW, NOW), counts(1, NOW, NOW)], true, 1, NOW);
    expect(decision.windows.map((w) => w.waitSeconds)).toEqual([600, 3600]);
    expect([decision.limit, decision.remaining, decision.resetSeconds]).toEqual([1, 0, 3600]);
  });

  it('rounds waits up to whole seconds', () => {
    const decision = rateDecision([user], [counts(2, NOW - 1500, NOW - 1500)], true, 1, NOW);
    expect(decision.windows[0].waitSeconds).toBe(3599);
    expect(decision.resetSeconds).toBe(3599);
    const later = rateDecision([user], [counts(2, NOW - 1, NOW - 1)], true, 1, NOW);
    expect(later.windows[0].waitSeconds).toBe(3600);
  });

  it('on a refusal, waits for the slowest full window to fit the whole request', () => {
    const decision = rateDecision(
      [user, org],
      [counts(2, NOW - 50 * MIN, NOW - 50 * MIN, NOW - 20 * MIN), counts(5, NOW - 1000 * MIN, NOW - 1000 * MIN, NOW - 900 * MIN)],
      false,
      2,
      NOW,
    );
    expect(decision.allowed).toBe(false);
    expect(decision.retryAfterSeconds).toBe(540 * 60);
    // Both full: the organization binds, being full for 440 minutes more against 10.
    expect([decision.limit, decision.remaining, decision.resetSeconds]).toEqual([5, 0, 440 * 60]);
  });

  it('answers no retry time for a request larger than a window can ever hold', () => {
    const decision = rateDecision([user, org], [counts(0, null), counts(0, null)], false, 3, NOW);
    expect(decision.retryAfterSeconds).toBeNull();
    expect(decision.resetSeconds).toBe(0);
  });

  it('counts a window used beyond its limit (a lowered limit) as none available', () => {
    const decision = rateDecision([user], [counts(4, NOW - 30 * MIN, NOW - 10 * MIN, NOW - 5 * MIN)], false, 1, NOW);
    expect(decision.windows[0]).toEqual({ ...user, used: 4, available: 0, waitSeconds: 50 * 60 });
    expect(decision.retryAfterSeconds).toBe(55 * 60);
  });
});
