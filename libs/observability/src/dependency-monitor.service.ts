import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Connection } from 'mongoose';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { freshMongoAnswers, MONGO_CONNECTION, reopenMongo } from '@hopper/datastore';
import type { Dependency } from './dependency-outage';
import { OutageTracker } from './outage-tracker';
import { ReadinessService } from './readiness.service';

/** What /healthz answers: healthy unless a dependency has been unreachable past `health.unhealthy_after_seconds`. */
export interface HealthState {
  healthy: boolean;
  /** Seconds each unreachable dependency has been so. */
  down: Partial<Record<Dependency, number>>;
  /** Workers of this process paused until MongoDB is back. */
  paused: number;
}

/** A BullMQ worker, as far as pausing goes. */
export interface PausableWorker {
  pause(doNotWaitActive?: boolean): Promise<void>;
  resume(): void;
  isRunning(): boolean;
  isPaused(): boolean;
  /** Set once the worker is closing (shutdown): it is never resumed then. */
  closing: Promise<void> | undefined;
}

const DEPENDENCIES: readonly Dependency[] = ['mongodb', 'redis'];

/**
 * Watches MongoDB and Redis from inside every process (issue 18, item 6), every `health.probe_interval_seconds`:
 * - /healthz fails once one has been unreachable for longer than `health.unhealthy_after_seconds`, so an
 *   orchestrator restarts a process that does not recover by itself;
 * - a MongoDB client that keeps failing while a new one reaches the server is replaced in place;
 * - workers registered with `pauseWhileMongoDown` stop taking jobs while MongoDB is unreachable (each would
 *   only fail and burn an attempt) and resume at the first check that passes.
 */
@Injectable()
export class DependencyMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DependencyMonitor.name);
  private readonly tracker = new OutageTracker();
  private readonly pausable = new Set<PausableWorker>();
  /** The workers this monitor paused, the only ones it resumes (shutdown pauses them too). */
  private readonly pausedHere = new Set<PausableWorker>();
  private timer?: NodeJS.Timeout;
  private probing?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
    private readonly readiness: ReadinessService,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.probe(), this.config.health.probe_interval_seconds * 1000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.probing;
  }

  health(now = Date.now()): HealthState {
    const overdue = this.tracker.overdue(now, this.config.health.unhealthy_after_seconds * 1000);
    return { healthy: overdue.length === 0, down: this.tracker.outages(now), paused: this.pausedHere.size };
  }

  /** Pauses `worker` while MongoDB is unreachable (at once if it is now), resumes it when it is back. */
  pauseWhileMongoDown(worker: PausableWorker): void {
    this.pausable.add(worker);
    if (this.tracker.isDown('mongodb')) void this.pause(worker);
  }

  /** One round of checks (never two at once). */
  probe(): Promise<void> {
    this.probing ??= this.checkOnce()
      .catch((error: unknown) => this.logger.error({ err: String(error) }, 'dependency check failed'))
      .finally(() => (this.probing = undefined));
    return this.probing;
  }

  private async checkOnce(): Promise<void> {
    const { checks } = await this.readiness.check(DEPENDENCIES);
    if (this.stopped) return;
    const now = Date.now();
    for (const dependency of DEPENDENCIES) {
      const change = this.tracker.record(dependency, checks[dependency] === 'up', now);
      if (change === 'down') this.logger.warn({ dependency, reason: checks[dependency] }, `${dependency} unreachable`);
      if (change === 'up') this.logger.warn({ dependency }, `${dependency} reachable again`);
      if (dependency === 'mongodb' && change) await this.pauseOrResume(change === 'down');
    }
    const failures = this.tracker.failuresInARow('mongodb');
    if (failures > 0 && failures % this.config.health.mongo_reconnect_after_failures === 0) await this.replaceStuckMongoClient();
  }

  private async pauseOrResume(down: boolean): Promise<void> {
    if (!this.pausable.size) return;
    this.logger.warn({ workers: this.pausable.size }, down ? 'jobs paused: mongodb unreachable' : 'jobs resumed: mongodb reachable again');
    await Promise.all([...this.pausable].map((worker) => (down ? this.pause(worker) : this.resume(worker))));
  }

  private async pause(worker: PausableWorker): Promise<void> {
    if (!worker.isRunning() || worker.isPaused() || worker.closing) return;
    this.pausedHere.add(worker);
    // Not waiting for the jobs in hand: they fail as an outage and are put back (see postponeOnOutage).
    await worker.pause(true).catch(() => undefined);
  }

  private resume(worker: PausableWorker): void {
    if (!this.pausedHere.delete(worker) || this.stopped || worker.closing) return;
    worker.resume();
  }

  /** The client keeps failing: if a new one reaches the server, ours is stuck, and is replaced. */
  private async replaceStuckMongoClient(): Promise<void> {
    if (!(await freshMongoAnswers(this.config.mongo.url))) return; // the server is down: nothing to mend here
    this.logger.warn({ failures: this.tracker.failuresInARow('mongodb') }, 'mongodb client stuck while the server answers: replacing it');
    await reopenMongo(this.mongo, this.config.mongo.url);
  }
}
