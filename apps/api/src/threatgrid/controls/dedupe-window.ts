import IORedis from 'ioredis';

/**
 * Claim a sha256 for an organization. KEYS: the claim (string `<sample id>|<ms>`). ARGV: sample id, now ms,
 * window ms. A claim is fresh while now - ms < window, judged from the stored ms (the injected clock), not
 * from the key's TTL, which only cleans up. A fresh claim by another sample answers that sample's id and
 * changes nothing; a fresh claim by the same sample answers nil and changes nothing (a retried request);
 * otherwise the claim becomes this sample's and the answer is nil.
 */
const CLAIM = `
local held = redis.call('GET', KEYS[1])
if held then
  local cut = string.find(held, '|[^|]*$')
  if cut then
    local holder = string.sub(held, 1, cut - 1)
    local at = tonumber(string.sub(held, cut + 1))
    if at and tonumber(ARGV[2]) - at < tonumber(ARGV[3]) then
      if holder == ARGV[1] then return false end
      return holder
    end
  end
end
redis.call('SET', KEYS[1], ARGV[1] .. '|' .. ARGV[2], 'PX', ARGV[3])
return false
`;

/** Drops the claim if `ARGV[1]` still holds it. KEYS: the claim. Answers 1 if dropped. */
const RELEASE = `
local held = redis.call('GET', KEYS[1])
if held then
  local cut = string.find(held, '|[^|]*$')
  if cut and string.sub(held, 1, cut - 1) == ARGV[1] then
    return redis.call('DEL', KEYS[1])
  end
end
return 0
`;

type DedupeRedis = IORedis & {
  hopperTgDedupeClaim(key: string, sampleId: string, nowMs: number, windowMs: number): Promise<string | null>;
  hopperTgDedupeRelease(key: string, sampleId: string): Promise<number>;
};

/**
 * Threat Grid's duplicate-submission window: a sha256 one organization submitted within the last
 * `dedupe_window_minutes` is not submitted again; the caller answers with the first sample instead.
 * Claiming is one Lua call, so two API processes given the same file at once cannot both win.
 */
export class DedupeWindow {
  private readonly redis: DedupeRedis;

  /** `prefix` is `redis.prefix` with its hash tag (`{hopper}`), so the keys live in that tag's cluster slot. */
  constructor(
    redis: IORedis,
    private readonly prefix: string,
  ) {
    if (!(redis as unknown as Partial<DedupeRedis>).hopperTgDedupeClaim) {
      redis.defineCommand('hopperTgDedupeClaim', { numberOfKeys: 1, lua: CLAIM });
      redis.defineCommand('hopperTgDedupeRelease', { numberOfKeys: 1, lua: RELEASE });
    }
    this.redis = redis as unknown as DedupeRedis;
  }

  /** Hex digests are case-insensitive; the key is not, so it takes the lower-case form. */
  keyFor(organization: string, sha256: string): string {
    return `hopper:${this.prefix}:tg:dedupe:${organization}:${sha256.toLowerCase()}`;
  }

  /**
   * null when `sampleId` now holds the sha256 for the organization (or already did: a retry); else the id of
   * the sample that claimed it within the window, and nothing changes.
   */
  async claim(organization: string, sha256: string, sampleId: string, now: Date, windowMinutes: number): Promise<string | null> {
    // PX takes whole milliseconds.
    const windowMs = Math.round(windowMinutes * 60_000);
    if (!(windowMs >= 1)) throw new RangeError(`windowMinutes must be above 0, not ${windowMinutes}`);
    const holder = await this.redis.hopperTgDedupeClaim(this.keyFor(organization, sha256), sampleId, now.getTime(), windowMs);
    return holder ?? null;
  }

  /** Gives the sha256 back if `sampleId` still holds it (its submission was refused after claiming). */
  async release(organization: string, sha256: string, sampleId: string): Promise<boolean> {
    return (await this.redis.hopperTgDedupeRelease(this.keyFor(organization, sha256), sampleId)) === 1;
  }
}
