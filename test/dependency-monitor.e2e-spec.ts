import { INestApplicationContext } from '@nestjs/common';
import { Connection } from 'mongoose';
import { HopperConfig } from '@hopper/config';
import { MONGO_CONNECTION, SubmissionsRepository } from '@hopper/datastore';
import { DependencyMonitor, HealthState } from '@hopper/observability';
import { eventually, startIngester } from './support/ingester-harness';
import { isolatedConfig } from './support/test-env';

/*
 * Issue 18, item 6: a process whose MongoDB client stays broken while the server answers recovers by itself.
 * The ingester's client is closed under it (what a driver stuck on a destroyed socket amounts to: every
 * operation fails, the server is fine); its dependency monitor sees MongoDB unreachable, pauses the
 * ingester's workers, and after `health.mongo_reconnect_after_failures` failed checks, finding that a new
 * client reaches the server, replaces its own; the repositories work again and the workers resume. Past
 * `health.unhealthy_after_seconds` of it, /healthz would have said so.
 */
describe('a process whose MongoDB client stays broken', () => {
  let config: HopperConfig;
  let ingester: INestApplicationContext;

  beforeAll(async () => {
    config = isolatedConfig('monitor', { health: { probe_interval_seconds: 1, mongo_reconnect_after_failures: 3, unhealthy_after_seconds: 1 } });
    ingester = await startIngester(config);
  });

  afterAll(async () => {
    // Bounded: if the client was never mended, the drop would wait for good.
    await Promise.race([ingester.get(SubmissionsRepository).model.db.dropDatabase(), new Promise((resolve) => setTimeout(resolve, 5_000))]);
    await ingester.close();
  });

  it('pauses its workers, reports unhealthy past the limit, replaces the client, and resumes', async () => {
    const connection = ingester.get<Connection>(MONGO_CONNECTION);
    const submissions = ingester.get(SubmissionsRepository);
    const monitor = ingester.get(DependencyMonitor);
    expect(await submissions.findBySid('none')).toBeNull();
    expect(monitor.health()).toEqual({ healthy: true, down: {}, paused: 0 });

    await connection.getClient().close(true);
    await expect(submissions.findBySid('none')).rejects.toThrow();

    const states: HealthState[] = [];
    await eventually(
      async () => {
        states.push(monitor.health());
        return submissions.findBySid('none').then(
          () => true,
          () => false,
        );
      },
      (works) => works,
      200,
    );
    // While it was broken: its two workers (ingest, complete) paused, and unhealthy past the second allowed.
    expect(states.some((state) => state.paused === 2)).toBe(true);
    expect(states.some((state) => !state.healthy && (state.down.mongodb ?? 0) >= 1)).toBe(true);
    expect(await eventually(async () => monitor.health(), (state) => state.healthy && !state.down.mongodb, 200)).toEqual({ healthy: true, down: {}, paused: 0 });
  }, 30_000);
});
