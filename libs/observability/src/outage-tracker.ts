import type { Dependency } from './dependency-outage';

/** Since when each dependency has been unreachable, and how many checks in a row failed. Pure: the clock is passed in. */
export class OutageTracker {
  private readonly downSince = new Map<Dependency, number>();
  private readonly failures = new Map<Dependency, number>();

  /** Records one check; answers the change it makes (`down`: was up, `up`: is back), or null. */
  record(dependency: Dependency, up: boolean, now: number): 'down' | 'up' | null {
    if (up) {
      this.failures.delete(dependency);
      return this.downSince.delete(dependency) ? 'up' : null;
    }
    this.failures.set(dependency, (this.failures.get(dependency) ?? 0) + 1);
    if (this.downSince.has(dependency)) return null;
    this.downSince.set(dependency, now);
    return 'down';
  }

  /** Failed checks in a row (0 when the last one passed). */
  failuresInARow(dependency: Dependency): number {
    return this.failures.get(dependency) ?? 0;
  }

  isDown(dependency: Dependency): boolean {
    return this.downSince.has(dependency);
  }

  /** Seconds each unreachable dependency has been so. */
  outages(now: number): Partial<Record<Dependency, number>> {
    return Object.fromEntries([...this.downSince].map(([dependency, since]) => [dependency, Math.floor((now - since) / 1000)]));
  }

  /** The dependencies unreachable for longer than `afterMs`. */
  overdue(now: number, afterMs: number): Dependency[] {
    return [...this.downSince].filter(([, since]) => now - since > afterMs).map(([dependency]) => dependency);
  }
}
