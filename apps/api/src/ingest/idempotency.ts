import { BadRequestException, ConflictException } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import type { RedisKeys } from '@hopper/queues';

/** How long a first answer is replayed for the same key. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;
/** How long a request may hold a key before another with the same key may try again (a crashed request). */
const IN_FLIGHT_SECONDS = 15 * 60;
const IN_FLIGHT = '';
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type IdempotencyClaim<T> = { replay: T } | { claimed: true; key: string | null };

/**
 * `Idempotency-Key` (Hopper's extra): the first request with a key does the work and its answer is kept for
 * 24 h; a repeat within that time gets the same answer without ingesting again. Keys are per user. While the
 * first is still running, a repeat gets a 409 (retry later) rather than a second ingest.
 */
export class IdempotencyStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
  ) {}

  /** Claims `header` for this request, or answers the replay. A null header claims nothing. */
  async claim<T>(uname: string, header: string | undefined): Promise<IdempotencyClaim<T>> {
    if (header === undefined) return { claimed: true, key: null };
    if (!KEY_PATTERN.test(header)) {
      throw new BadRequestException('Idempotency-Key must be 1 to 255 printable ASCII characters without spaces');
    }
    const key = this.keys.idempotency(uname, header);
    // One round trip: take the key if free, and read what is there.
    const [[, taken], [, stored]] = (await this.redis.multi().set(key, IN_FLIGHT, 'EX', IN_FLIGHT_SECONDS, 'NX').get(key).exec()) as [
      [unknown, string | null],
      [unknown, string | null],
    ];
    if (taken === 'OK') return { claimed: true, key };
    if (stored === null || stored === IN_FLIGHT) {
      throw new ConflictException('A request with this Idempotency-Key is still in progress; retry later');
    }
    return { replay: JSON.parse(stored) as T };
  }

  /** Keeps the answer of a claimed key for replay. */
  async complete<T>(key: string | null, answer: T): Promise<void> {
    if (key !== null) await this.redis.set(key, JSON.stringify(answer), 'EX', IDEMPOTENCY_TTL_SECONDS);
  }

  /** Frees a claimed key whose request failed, so the client's retry does the work. */
  async release(key: string | null): Promise<void> {
    if (key !== null) await this.redis.del(key);
  }
}
