// What the Threat Grid e2e tests share: the client's api_key, a sandbox service's manifest, and playing that
// sandbox (taking its task off its queue, as the service would).
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { ExternalServiceTask, externalServiceQueue } from '@hopper/services';
import type { TestUser } from './api-app';
import { eventually } from './ingester-harness';

/** The Threat Grid api_key of a test user: `<uname>:<key name>:<secret>`. */
export const tgKey = (user: TestUser): string => `${user.uname}:${user.apikey}`;

/**
 * An external sandbox that takes only PDFs (so other samples complete with the built-in services alone),
 * declares the Threat Grid options as parameters and posts supplementary files.
 */
export function sandboxManifest(name: string): Record<string, unknown> {
  return {
    name,
    version: '1.0.0',
    category: 'Dynamic Analysis',
    stage: 'CORE',
    accepts: 'document/pdf',
    timeout_seconds: 120,
    produces_supplementary: true,
    parameters: [
      { name: 'vm', type: 'str', default: '' },
      { name: 'playbook', type: 'str', default: '' },
      { name: 'network_exit', type: 'str', default: '' },
    ],
  };
}

/** Takes the next task off `service`'s queue, as the service would, and answers it (waiting with `wait`). */
export async function takeServiceTask(
  config: HopperConfig,
  connection: IORedis,
  service: string,
  wait: <T>(read: () => Promise<T>, done: (value: T) => boolean) => Promise<T> = eventually,
): Promise<ExternalServiceTask> {
  let task: ExternalServiceTask | null = null;
  const worker = new Worker<ExternalServiceTask>(
    externalServiceQueue(service),
    async (job: Job<ExternalServiceTask>) => {
      task = job.data;
    },
    { connection, prefix: config.redis.prefix },
  );
  try {
    await wait(async () => task, (value) => value !== null);
  } finally {
    await worker.close();
  }
  return task as unknown as ExternalServiceTask;
}
