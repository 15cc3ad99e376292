import { randomUUID } from 'node:crypto';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import { RedisConnection } from './redis-connection';
import { RedisKeys } from './redis-keys';

/** A sighting waited this long for a deletion of its file to end, and it did not. */
export class FileBeingDeletedError extends Error {
  constructor(readonly sha256: string) {
    super(`File ${sha256} is being deleted; try again`);
    this.name = 'FileBeingDeletedError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One hash field, written with its hash's expiry (e.g. a pending sighting: PendingFiles.fieldOf). */
export interface HashFieldWrite {
  key: string;
  field: string;
  value: string;
  ttlSeconds: number;
}

/**
 * Keeps a file's sightings (its document saved or freshened, then its blob committed) and its deletion (the
 * expiry sweeper, a deleted submission) from interleaving: a deletion locks only a file no sighting is
 * holding, and a sighting waits while a deletion holds its file. In Redis, because the MongoDB-wire server
 * in development (FerretDB v1) evaluates the filter of a conditional update apart from the write, so a
 * compare-and-set on the document itself does not exclude anything there. Both holds are leases: a process
 * that died holding one blocks the file for `leaseMs` at most.
 */
export class FileGuard {
  private readonly redis: ScriptedRedis;
  private readonly redisKeys: RedisKeys;

  constructor(
    redis: RedisConnection,
    prefix: string,
    private readonly leaseMs = 10 * 60 * 1000,
    private readonly waitMs = 15_000,
  ) {
    this.redis = hopperScripts(redis);
    this.redisKeys = new RedisKeys(prefix);
  }

  private keys(sha256: string) {
    return { sightings: this.redisKeys.fileSightings(sha256), deletion: this.redisKeys.fileDeletion(sha256) };
  }

  /**
   * Runs `sighting` (write the document, then commit the blob) while no deletion can take the file; waits
   * (up to `waitMs`) while one is under way. Two Redis round trips. `andWrite` is written by the same script
   * that ends a sighting whose work succeeded (e.g. the record that it happened), atomically with the release
   * and at no round trip of its own; its failure is the sighting's.
   */
  async sighting<T>(sha256: string, work: () => Promise<T>, andWrite?: HashFieldWrite): Promise<T> {
    const { sightings, deletion } = this.keys(sha256);
    const holder = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; !(await this.redis.hopperFileSightingBegin(sightings, deletion, holder, Date.now(), this.leaseMs)); attempt++) {
      if (Date.now() >= deadline) throw new FileBeingDeletedError(sha256);
      await sleep(Math.min(5 * 2 ** attempt, 200));
    }
    let result: T;
    try {
      result = await work();
    } catch (error) {
      await this.redis.zrem(sightings, holder).catch(() => undefined); // the lease ends it otherwise
      throw error;
    }
    if (!andWrite) {
      await this.redis.zrem(sightings, holder).catch(() => undefined);
      return result;
    }
    await this.redis.hopperFileSightingEnd(sightings, andWrite.key, holder, andWrite.field, andWrite.value, andWrite.ttlSeconds);
    return result;
  }

  /** Of `sha256s`, those now locked for deletion with `token` (none in a sighting). One round trip. */
  async lockForDeletion(sha256s: readonly string[], token: string): Promise<string[]> {
    if (!sha256s.length) return [];
    const keys = sha256s.flatMap((sha256) => {
      const { sightings, deletion } = this.keys(sha256);
      return [sightings, deletion];
    });
    const locked = await this.redis.hopperFileDeletionLock(keys.length, ...keys, token, Date.now(), this.leaseMs);
    return locked.map((index) => sha256s[Number(index) - 1]);
  }

  async unlockDeletion(sha256s: readonly string[], token: string): Promise<void> {
    if (!sha256s.length) return;
    const keys = sha256s.map((sha256) => this.keys(sha256).deletion);
    await this.redis.hopperFileDeletionUnlock(keys.length, ...keys, token);
  }
}
