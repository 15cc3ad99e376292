import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import { Connection } from 'mongoose';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { MONGO_CONNECTION, pingMongo } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { createProbeConnection } from '@hopper/queues';

export type PartName = 'redis' | 'mongodb' | 'filestore';

export interface Readiness {
  ready: boolean;
  /** `up`, or `down: <reason>`, per part. */
  checks: Record<PartName, string>;
}

const CHECK_TIMEOUT_MS = 3000;

/** Answers whether every part the process depends on is reachable right now. */
@Injectable()
export class ReadinessService implements OnApplicationShutdown {
  // Its own connection: the shared one queues commands while Redis is down instead of failing.
  private readonly redisProbe: RedisConnection;

  constructor(
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    @Inject(MONGO_CONNECTION) private readonly mongo: Connection,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {
    this.redisProbe = createProbeConnection(config.redis);
    this.redisProbe.on('error', () => undefined); // reported through check(), not as unhandled events
  }

  /** Every part, or only `parts` (the dependency monitor asks for MongoDB and Redis alone). */
  async check(parts: readonly PartName[] = ['redis', 'mongodb', 'filestore']): Promise<Readiness> {
    const probes: Record<PartName, () => Promise<unknown>> = {
      redis: () => this.redisProbe.ping(),
      mongodb: () => pingMongo(this.mongo),
      filestore: () => this.filestore.ping(),
    };
    const entries = await Promise.all(parts.map(async (name) => [name, await outcome(probes[name])] as const));
    const checks = Object.fromEntries(entries) as Record<PartName, string>;
    return { ready: entries.every(([, state]) => state === 'up'), checks };
  }

  onApplicationShutdown(): void {
    this.redisProbe.disconnect();
  }
}

async function outcome(probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'up';
  } catch (error) {
    return `down: ${(error as Error).message}`;
  } finally {
    clearTimeout(timer);
  }
}
