import { hopperScripts, ScriptedRedis } from './lua-scripts';
import type { RedisConnection } from './redis-connection';
import { RedisKeys } from './redis-keys';

/** Where a running submission is (Threat Grid's wait → prep → run → proc; wait and the end come from its document). */
export const PROGRESS_STAGES = ['prep', 'run', 'proc'] as const;
export type ProgressStage = (typeof PROGRESS_STAGES)[number];

export interface SubmissionProgressState {
  /** The last stage the dispatcher marked; null before it took the submission (or after the record lapsed). */
  stage: ProgressStage | null;
  /** The interactive view of a dynamic-analysis run, as its external service posted it. */
  glovebox_url: string | null;
}

/** Two days: longer than any submission runs, short enough that nothing needs cleaning up. */
export const PROGRESS_TTL_SECONDS = 2 * 24 * 3600;

/**
 * A running submission's progress, for clients that show more than "submitted": one Redis hash per sid
 * (`stage`, `glovebox_url`), refreshed to a two-day life on every write. Each call is one round trip.
 * Advisory only: the submission's document says whether it has ended, so readers look there first and a
 * stage left behind after the end is harmless.
 */
export class SubmissionProgress {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptedRedis;

  constructor(
    private readonly redis: RedisConnection,
    /** `redis.prefix` of the configuration (the hash tag keeps a deployment's keys in one cluster slot). */
    prefix: string,
  ) {
    this.scripts = hopperScripts(redis);
    this.keys = new RedisKeys(prefix);
  }

  key(sid: string): string {
    return this.keys.progress(sid);
  }

  mark(sid: string, stage: ProgressStage): Promise<void> {
    return this.write(sid, 'stage', stage);
  }

  setGloveboxUrl(sid: string, url: string): Promise<void> {
    return this.write(sid, 'glovebox_url', url);
  }

  async read(sid: string): Promise<SubmissionProgressState> {
    return stateOf(await this.redis.hmget(this.key(sid), 'stage', 'glovebox_url'));
  }

  /** The progress of many submissions in one pipelined round trip; every sid asked is in the map. */
  async readMany(sids: readonly string[]): Promise<Map<string, SubmissionProgressState>> {
    const unique = [...new Set(sids)];
    const progress = new Map<string, SubmissionProgressState>();
    if (unique.length === 0) return progress;
    const pipeline = this.redis.pipeline();
    for (const sid of unique) pipeline.hmget(this.key(sid), 'stage', 'glovebox_url');
    const replies = (await pipeline.exec()) ?? [];
    unique.forEach((sid, index) => {
      const [error, fields] = replies[index] ?? [null, null];
      if (error) throw error;
      progress.set(sid, stateOf(fields as (string | null)[] | null));
    });
    return progress;
  }

  /** One field and the hash's life, in one script (one round trip, never a hash without its expiry). */
  private async write(sid: string, field: string, value: string): Promise<void> {
    await this.scripts.hopperHashFieldSet(this.key(sid), field, value, PROGRESS_TTL_SECONDS);
  }
}

function stateOf(fields: (string | null)[] | null): SubmissionProgressState {
  if (!fields) return { stage: null, glovebox_url: null };
  const [stage, gloveboxUrl] = fields;
  return {
    stage: PROGRESS_STAGES.includes(stage as ProgressStage) ? (stage as ProgressStage) : null,
    glovebox_url: gloveboxUrl ?? null,
  };
}
