import type { ThreatGridConfig, ThreatGridRateLimit } from '@hopper/config';

/** One rolling window a submission is counted in: at most `samples` in any `minutes`. */
export interface RateWindow {
  scope: 'user' | 'organization';
  /** The user name or the organization name. */
  id: string;
  samples: number;
  minutes: number;
}

// Percent limits multiply by floats (33.3 %), whose products can land a hair under an integer; this keeps
// an exact result from being floored to the integer below it.
const EPSILON = 1e-9;

const floorAtLeastOne = (value: number): number => Math.max(1, Math.floor(value + EPSILON));

/** Organization limits are samples-only by schema; a stray percent one is skipped rather than trusted. */
function sampleLimits(limits: ThreatGridRateLimit[] | undefined): Array<{ samples: number; minutes: number }> {
  return (limits ?? []).flatMap((limit) => (limit.samples === undefined ? [] : [{ samples: limit.samples, minutes: limit.minutes }]));
}

/**
 * A user's `percent` limit in samples: that share of the organization's limit over the same window length,
 * or, when the organization has none that long, of its first limit scaled to the user's window length.
 * null when the organization has no limit at all (a share of "unlimited" is no limit).
 */
function percentInSamples(percent: number, minutes: number, orgLimits: Array<{ samples: number; minutes: number }>): number | null {
  if (!orgLimits.length) return null;
  const sameLength = orgLimits.find((limit) => limit.minutes === minutes);
  const orgSamples = sameLength
    ? sameLength.samples
    : floorAtLeastOne((orgLimits[0].samples * minutes) / orgLimits[0].minutes);
  return floorAtLeastOne((orgSamples * percent) / 100);
}

/**
 * Every window a submission by `uname` in `organization` must fit in: the user's own windows first, then the
 * organization's. An unknown user or organization contributes no windows. Only the two maps are read, so a
 * whole `ThreatGridConfig` or just those parts will do.
 */
export function rateWindowsFor(
  config: Pick<ThreatGridConfig, 'organizations' | 'users'>,
  uname: string,
  organization: string,
): RateWindow[] {
  const orgLimits = sampleLimits(config.organizations[organization]?.submission_rate_limit);
  const windows: RateWindow[] = [];
  for (const limit of config.users[uname]?.submission_rate_limit ?? []) {
    const samples = limit.samples ?? percentInSamples(limit.percent ?? 0, limit.minutes, orgLimits);
    if (samples !== null) windows.push({ scope: 'user', id: uname, samples, minutes: limit.minutes });
  }
  for (const limit of orgLimits) {
    windows.push({ scope: 'organization', id: organization, samples: limit.samples, minutes: limit.minutes });
  }
  return windows;
}
