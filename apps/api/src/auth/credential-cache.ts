import { createHash } from 'node:crypto';

/**
 * Remembers, for a few seconds, API keys that just verified, so a client sending many requests with the same
 * `X-USER`/`X-APIKEY` costs one user lookup per interval instead of one per request. Only successes are
 * kept; the key is a digest of the credentials, never the secret. A disabled user or a revoked key keeps
 * working on this process for at most `ttlMs` (0 turns the cache off).
 */
export class CredentialCache<T> {
  private readonly entries = new Map<string, { value: T; expires: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(uname: string, secret: string): T | null {
    if (this.ttlMs <= 0) return null;
    const key = this.key(uname, secret);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expires <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry.value;
  }

  set(uname: string, secret: string, value: T): void {
    if (this.ttlMs <= 0) return;
    // Maps iterate in insertion order: the first entry is the oldest.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(this.key(uname, secret), { value, expires: this.now() + this.ttlMs });
  }

  private key(uname: string, secret: string): string {
    return createHash('sha256').update(uname).update('\0').update(secret).digest('base64');
  }
}
