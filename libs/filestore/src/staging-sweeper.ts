import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE } from './filestore.tokens';
import type { Filestore } from './filestore';
import { isAbandoned } from './staging-owner';

/**
 * Removes what requests that died left in the filestore's staging area (issue 18: a process killed mid-upload
 * leaves its partial file there, and nothing else ever names it): at start-up, the files of this host's dead
 * processes; then, every quarter of `filestore.staging_max_age_seconds`, those too and any file untouched for
 * that long. Every process that stages (the API and the workers) sweeps; removing twice is harmless.
 */
@Injectable()
export class StagingSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(StagingSweeper.name);
  private readonly maxAgeMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {
    this.maxAgeMs = config.filestore.staging_max_age_seconds * 1000;
  }

  onApplicationBootstrap(): void {
    void this.sweep();
    this.timer = setInterval(() => void this.sweep(), Math.max(1000, this.maxAgeMs / 4));
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass (never two at once); answers how many files went. Failures are logged, never thrown. */
  sweep(): Promise<number> {
    this.running ??= this.filestore
      .sweepStaging((entry) => isAbandoned(entry, Date.now(), this.maxAgeMs))
      .then((removed) => {
        if (removed) this.logger.log({ removed }, 'abandoned staged uploads removed');
        return removed;
      })
      .catch((error: unknown) => {
        this.logger.warn({ err: String(error) }, 'staging sweep failed (the next one tries again)');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
