import { randomUUID } from 'node:crypto';
import IORedis from 'ioredis';

/**
 * KEYS[1] the file's sightings (a sorted set of holders by lease end), KEYS[2] its deletion lock.
 * ARGV: holder, now ms, lease ms. Answers 1 when the sighting may go on, 0 while a deletion holds the file.
 */
const BEGIN = `
if redis.call('EXISTS', KEYS[2]) == 1 then return 0 end
redis.call('ZADD', KEYS[1], tonumber(ARGV[2]) + tonumber(ARGV[3]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return 1
`;

/**
 * KEYS: per file, its sightings then its deletion lock. ARGV: token, now ms, lease ms. Locks every file no
 * live sighting holds and no other deletion locked; answers the indexes (1-based, of the pairs) it locked.
 */
const LOCK = `
local locked = {}
for i = 1, #KEYS, 2 do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', ARGV[2])
  if redis.call('ZCARD', KEYS[i]) == 0 and redis.call('SET', KEYS[i + 1], ARGV[1], 'NX', 'PX', ARGV[3]) then
    locked[#locked + 1] = (i + 1) / 2
  end
end
return locked
`;

/** KEYS: deletion locks. ARGV: token. Releases those still held with it. */
const UNLOCK = `
for i = 1, #KEYS do
  if redis.call('GET', KEYS[i]) == ARGV[1] then redis.call('DEL', KEYS[i]) end
end
return 1
`;

type GuardRedis = IORedis & {
  hopperFileSightingBegin(...args: (string | number)[]): Promise<number>;
  hopperFileDeletionLock(...args: (string | number)[]): Promise<number[]>;
  hopperFileDeletionUnlock(...args: (string | number)[]): Promise<number>;
};

/** A sighting waited this long for a deletion of its file to end, and it did not. */
export class FileBeingDeletedError extends Error {
  constructor(readonly sha256: string) {
    super(`File ${sha256} is being deleted; try again`);
    this.name = 'FileBeingDeletedError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps a file's sightings (its document saved or freshened, then its blob committed) and its deletion (the
 * expiry sweeper, a deleted submission) from interleaving: a deletion locks only a file no sighting is
 * holding, and a sighting waits while a deletion holds its file. In Redis, because the MongoDB-wire server
 * in development (FerretDB v1) evaluates the filter of a conditional update apart from the write, so a
 * compare-and-set on the document itself does not exclude anything there. Both holds are leases: a process
 * that died holding one blocks the file for `leaseMs` at most.
 */
export class FileGuard {
  private readonly redis: GuardRedis;

  constructor(
    redis: IORedis,
    private readonly prefix: string,
    private readonly leaseMs = 10 * 60 * 1000,
    private readonly waitMs = 15_000,
  ) {
    if (!(redis as unknown as Partial<GuardRedis>).hopperFileSightingBegin) {
      redis.defineCommand('hopperFileSightingBegin', { numberOfKeys: 2, lua: BEGIN });
      redis.defineCommand('hopperFileDeletionLock', { lua: LOCK });
      redis.defineCommand('hopperFileDeletionUnlock', { lua: UNLOCK });
    }
    this.redis = redis as unknown as GuardRedis;
  }

  private keys(sha256: string) {
    const base = `${this.prefix}:file:${sha256}`;
    return { sightings: `${base}:sightings`, deletion: `${base}:deletion` };
  }

  /**
   * Runs `sighting` (write the document, then commit the blob) while no deletion can take the file; waits
   * (up to `waitMs`) while one is under way. Two Redis round trips.
   */
  async sighting<T>(sha256: string, work: () => Promise<T>): Promise<T> {
    const { sightings, deletion } = this.keys(sha256);
    const holder = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; !(await this.redis.hopperFileSightingBegin(sightings, deletion, holder, Date.now(), this.leaseMs)); attempt++) {
      if (Date.now() >= deadline) throw new FileBeingDeletedError(sha256);
      await sleep(Math.min(5 * 2 ** attempt, 200));
    }
    try {
      return await work();
    } finally {
      await this.redis.zrem(sightings, holder).catch(() => undefined); // the lease ends it otherwise
    }
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
