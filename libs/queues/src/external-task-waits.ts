import type { Queue } from 'bullmq';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import type { RedisConnection } from './redis-connection';
import { repliesOf } from './redis-replies';
import { RedisKeys } from './redis-keys';

/**
 * Who settled an external-service task first: the API taking a posted answer (`answering` while it stores it,
 * `answered` once stored), or the dispatcher recording its time-out.
 */
export type ExternalTaskSettlement = 'answering' | 'answered' | 'timeout';

/**
 * Kept this long after the latest deadline written: a dispatch never waits past its tasks' deadlines, so
 * nothing needs cleaning up (a service timeout longer than this could see its record lapse early).
 */
const KEEP_AFTER_DEADLINE_MS = 2 * 24 * 3600 * 1000;

/** How long the API may take to store an answer it settled (one result and its files) before another may settle. */
export const ANSWERING_LEASE_MS = 5 * 60 * 1000;

/**
 * The Redis side of a dispatch waiting for external services, so that no process polls the database and no
 * worker slot is held while a service works:
 * - the dispatcher records each task's deadline once (`deadline`: the first one stays, so a resumed or
 *   re-run dispatch waits for the deadline the task was queued with, which the API enforces too);
 * - a task is settled once (`settle`): by the API when it takes a posted answer, or by the dispatcher when the
 *   deadline passed with no answer. The loser is refused, so a second answer, or an answer racing the time-out,
 *   cannot give the file a second outcome;
 * - the API marks the answer stored (`answered`) and wakes the waiting dispatch job (`wake`: BullMQ `promote`
 *   of the delayed job, job id = sid); the dispatcher, having moved its job to delayed, checks
 *   `answeredAmong` once in case the answer came before the job was delayed (a promote of an active job does
 *   nothing).
 * Keys: `RedisKeys.externalTaskDeadlines(sid)` and `externalTaskOutcomes(sid)`, one round trip per call.
 */
export class ExternalTaskWaits {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptedRedis;

  constructor(
    private readonly redis: RedisConnection,
    prefix: string,
    private readonly dispatchQueue: Queue,
  ) {
    this.keys = new RedisKeys(prefix);
    this.scripts = hopperScripts(redis);
  }

  /** The task's deadline (epoch ms): `proposed` if none was recorded yet, else the recorded one. */
  async deadline(sid: string, taskId: string, proposed: number): Promise<number> {
    const key = this.keys.externalTaskDeadlines(sid);
    const replies = repliesOf(await this.redis.multi().hsetnx(key, taskId, String(proposed)).hget(key, taskId).pexpireat(key, proposed + KEEP_AFTER_DEADLINE_MS).exec());
    return Number(replies[1]);
  }

  /** The task's recorded deadline (epoch ms), or null before it was first queued. */
  async recordedDeadline(sid: string, taskId: string): Promise<number | null> {
    const recorded = await this.redis.hget(this.keys.externalTaskDeadlines(sid), taskId);
    return recorded === null ? null : Number(recorded);
  }

  /** Whether this submission's dispatch has queued external tasks before (it is resuming after a wait). */
  async hasWaited(sid: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.externalTaskDeadlines(sid))) === 1;
  }

  /**
   * Settles the task as `by` if no one has: answers null when it did, else who settled it first. The API's
   * `answering` is a lease of `answeringLeaseMs` (script `external-task-settle`): if the API dies before it
   * stored the answer, the lease lapses and the service's retry (or the time-out) settles the task instead.
   */
  async settle(sid: string, taskId: string, by: 'answering' | 'timeout', deadline: number, answeringLeaseMs = ANSWERING_LEASE_MS): Promise<ExternalTaskSettlement | null> {
    const now = Date.now();
    const settlement = by === 'answering' ? `answering:${now + answeringLeaseMs}` : by;
    const found = await this.scripts.hopperExternalTaskSettle(this.keys.externalTaskOutcomes(sid), taskId, settlement, now, deadline + KEEP_AFTER_DEADLINE_MS);
    return found === null ? null : (found as ExternalTaskSettlement);
  }

  /** The answer the API settled the task with is stored: a dispatch that was not woken sees it (`answeredAmong`). */
  async answered(sid: string, taskId: string): Promise<void> {
    await this.redis.hset(this.keys.externalTaskOutcomes(sid), taskId, 'answered');
  }

  /** Takes back an answer's settlement whose storing failed, so the service may post it again. */
  async unsettle(sid: string, taskId: string): Promise<void> {
    await this.redis.hdel(this.keys.externalTaskOutcomes(sid), taskId);
  }

  /** Whether an answer is stored for any of `taskIds`. */
  async answeredAmong(sid: string, taskIds: readonly string[]): Promise<boolean> {
    if (taskIds.length === 0) return false;
    const settled = await this.redis.hmget(this.keys.externalTaskOutcomes(sid), ...taskIds);
    return settled.includes('answered');
  }

  /**
   * Moves the submission's dispatch job from delayed to waiting. Does nothing when it is not delayed: it is
   * running (and will see the answer) or has ended.
   */
  async wake(sid: string): Promise<boolean> {
    const job = await this.dispatchQueue.getJob(sid);
    if (!job) return false;
    try {
      await job.promote();
      return true;
    } catch {
      return false; // not delayed
    }
  }
}
