import type { RedisConnection } from '@hopper/queues';
import { hopperScripts, RedisKeys, ScriptedRedis } from '@hopper/queues';


/**
 * Threat Grid's duplicate-submission window: a sha256 one organization submitted within the last
 * `dedupe_window_minutes` is not submitted again; the caller answers with the first sample instead.
 * Claiming is one Lua call, so two API processes given the same file at once cannot both win.
 */
export class DedupeWindow {
  private readonly redis: ScriptedRedis;
  private readonly keys: RedisKeys;

  /** `prefix` is `redis.prefix` with its hash tag (`{hopper}`), so the keys live in that tag's cluster slot. */
  constructor(redis: RedisConnection, prefix: string) {
    this.redis = hopperScripts(redis);
    this.keys = new RedisKeys(prefix);
  }

  /** Hex digests are case-insensitive; the key is not, so it takes the lower-case form. */
  keyFor(organization: string, sha256: string): string {
    return this.keys.tgDedupe(organization, sha256);
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
