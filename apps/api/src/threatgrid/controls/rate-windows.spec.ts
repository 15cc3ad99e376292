import type { ThreatGridConfig, ThreatGridRateLimit } from '@hopper/config';
import { rateWindowsFor } from './rate-windows';

type Controls = Pick<ThreatGridConfig, 'organizations' | 'users'>;

const org = (submission_rate_limit: ThreatGridRateLimit[]) => ({ id: 1, submission_rate_limit, allowed_types: null, extract_archives: false });
const user = (submission_rate_limit: ThreatGridRateLimit[]) => ({ submission_rate_limit, allowed_types: null });

const config = (orgLimits: ThreatGridRateLimit[], userLimits: ThreatGridRateLimit[]): Controls => ({
  organizations: { acme: org(orgLimits) },
  users: { alice: user(userLimits) },
});

describe('rateWindowsFor', () => {
  it('gives the user windows first, then the organization windows, in configuration order', () => {
    const controls = config(
      [
        { samples: 1000, minutes: 1440 },
        { samples: 100, minutes: 60 },
      ],
      [{ samples: 2, minutes: 60 }],
    );
    expect(rateWindowsFor(controls, 'alice', 'acme')).toEqual([
      { scope: 'user', id: 'alice', samples: 2, minutes: 60 },
      { scope: 'organization', id: 'acme', samples: 1000, minutes: 1440 },
      { scope: 'organization', id: 'acme', samples: 100, minutes: 60 },
    ]);
  });

  it('gives only the organization windows to a user without limits or without an entry', () => {
    const controls = config([{ samples: 5, minutes: 1440 }], []);
    const orgOnly = [{ scope: 'organization', id: 'acme', samples: 5, minutes: 1440 }];
    expect(rateWindowsFor(controls, 'alice', 'acme')).toEqual(orgOnly);
    expect(rateWindowsFor(controls, 'nobody', 'acme')).toEqual(orgOnly);
  });

  it('gives no windows for an unknown organization and a user without limits', () => {
    expect(rateWindowsFor(config([{ samples: 5, minutes: 1440 }], []), 'alice', 'elsewhere')).toEqual([]);
  });

  it('turns a percent into that share of the organization limit of the same length, floored', () => {
    const controls = config(
      [
        { samples: 1000, minutes: 1440 },
        { samples: 99, minutes: 60 },
      ],
      [
        { percent: 10, minutes: 60 },
        { percent: 25, minutes: 1440 },
      ],
    );
    expect(rateWindowsFor(controls, 'alice', 'acme').filter((w) => w.scope === 'user')).toEqual([
      { scope: 'user', id: 'alice', samples: 9, minutes: 60 },
      { scope: 'user', id: 'alice', samples: 250, minutes: 1440 },
    ]);
  });

  it('scales the first organization limit to the user window when no organization limit has its length', () => {
    // 1000 per day scaled to 60 minutes is floor(41.67) = 41; 50 % of that is floor(20.5) = 20.
    const controls = config(
      [
        { samples: 1000, minutes: 1440 },
        { samples: 10, minutes: 1 },
      ],
      [{ percent: 50, minutes: 60 }],
    );
    expect(rateWindowsFor(controls, 'alice', 'acme')[0]).toEqual({ scope: 'user', id: 'alice', samples: 20, minutes: 60 });
  });

  it('never turns a percent into fewer than one sample', () => {
    const controls = config([{ samples: 10, minutes: 1440 }], [
      { percent: 1, minutes: 1440 },
      // 10 per day scaled to 1 minute is floor(0.007): at least 1; 1 % of that still 1.
      { percent: 1, minutes: 1 },
    ]);
    expect(rateWindowsFor(controls, 'alice', 'acme').filter((w) => w.scope === 'user').map((w) => w.samples)).toEqual([1, 1]);
  });

  it('keeps an exact fractional percent from being floored one below (float products)', () => {
    // 10000 * 0.57 / 100 is 57 exactly, but in floating point it can come out as 56.999…
    const controls = config([{ samples: 10000, minutes: 60 }], [{ percent: 0.57, minutes: 60 }]);
    expect(rateWindowsFor(controls, 'alice', 'acme')[0].samples).toBe(57);
  });

  it('treats a percent as no limit when the organization has no limits (or is unknown)', () => {
    const controls = config([], [
      { percent: 50, minutes: 60 },
      { samples: 3, minutes: 10 },
    ]);
    expect(rateWindowsFor(controls, 'alice', 'acme')).toEqual([{ scope: 'user', id: 'alice', samples: 3, minutes: 10 }]);
    expect(rateWindowsFor(controls, 'alice', 'elsewhere')).toEqual([{ scope: 'user', id: 'alice', samples: 3, minutes: 10 }]);
  });
});
