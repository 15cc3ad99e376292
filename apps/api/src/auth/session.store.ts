import { randomBytes } from 'node:crypto';
import type { RedisConnection } from '@hopper/queues';
import type { RedisKeys } from '@hopper/queues';

export interface Session {
  uname: string;
  /** Roles the login method limits the session to; null = the user's roles. */
  roles_limit: string[] | null;
  xsrf: string;
}

/** Login sessions in Redis, expiring on their own after `durationSeconds`. */
export class SessionStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly keys: RedisKeys,
    readonly durationSeconds: number,
  ) {}

  private key(id: string): string {
    return this.keys.session(id);
  }

  async create(uname: string, roles_limit: string[] | null): Promise<{ id: string; session: Session }> {
    const id = randomBytes(32).toString('base64url');
    const session: Session = { uname, roles_limit, xsrf: randomBytes(24).toString('base64url') };
    await this.redis.set(this.key(id), JSON.stringify(session), 'EX', this.durationSeconds);
    return { id, session };
  }

  async get(id: string): Promise<Session | null> {
    const raw = await this.redis.get(this.key(id));
    return raw ? (JSON.parse(raw) as Session) : null;
  }

  async destroy(id: string): Promise<void> {
    await this.redis.del(this.key(id));
  }
}
