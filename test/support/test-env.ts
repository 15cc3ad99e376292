import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { deepMerge, HopperConfig, loadConfig, parseConfig } from '@hopper/config';

/** Variables `scripts/services.sh env` exports; `npm test` sets them. */
const REQUIRED = ['HOPPER_REDIS_URL', 'HOPPER_MONGO_URL', 'HOPPER_S3_ENDPOINT', 'HOPPER_S3_ACCESS_KEY', 'HOPPER_S3_SECRET_KEY'];

export function serviceEnv(): NodeJS.ProcessEnv {
  const missing = REQUIRED.filter((name) => !process.env[name]);
  if (missing.length) {
    throw new Error(
      `integration tests need the local services (missing ${missing.join(', ')}): run them with \`npm test\`, ` +
        'or `scripts/services.sh up && eval "$(scripts/services.sh env)"` first',
    );
  }
  return process.env;
}

export function uniqueId(label: string): string {
  return `${label}_${randomBytes(4).toString('hex')}`;
}

/** The MongoDB URL of the services with its database replaced, so each test file has its own. */
export function mongoUrlFor(database: string): string {
  const url = new URL(serviceEnv().HOPPER_MONGO_URL!);
  url.pathname = `/${database}`;
  return url.toString();
}

/**
 * A full, validated configuration pointing at the local services, isolated from other test files:
 * its own database, queue prefix and filestore directory. `overrides` are merged over it.
 */
export function isolatedConfig(label: string, overrides: Record<string, unknown> = {}): HopperConfig {
  const id = uniqueId(label);
  const env = serviceEnv();
  const base = loadConfig({
    env: {
      HOPPER_REDIS_URL: env.HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongoUrlFor(`hopper_test_${id}`),
      HOPPER_QUEUE_PREFIX: `{test-${id}}`,
      HOPPER_FILESTORE_DIR: mkdtempSync(join(tmpdir(), 'hopper-files-')),
      HOPPER_ADMIN_CREDENTIALS_FILE: join(mkdtempSync(join(tmpdir(), 'hopper-admin-')), 'admin-credentials'),
      HOPPER_S3_ENDPOINT: env.HOPPER_S3_ENDPOINT,
      HOPPER_S3_ACCESS_KEY: env.HOPPER_S3_ACCESS_KEY,
      HOPPER_S3_SECRET_KEY: env.HOPPER_S3_SECRET_KEY,
      HOPPER_S3_BUCKET: `test-${id.replace(/_/g, '-').toLowerCase()}`,
      // Quiet by default; HOPPER_TEST_LOG_LEVEL=info writes every request line (to check what a run logs).
      HOPPER_LOG_LEVEL: env.HOPPER_TEST_LOG_LEVEL ?? 'warn',
    },
  });
  // Validated again, so the overrides get the schema's defaults and checks like any configuration.
  return parseConfig(deepMerge(base as unknown as Record<string, unknown>, overrides));
}

/** Removes every Redis key of the test's prefix (queues, quotas, records…): the end of an isolated test file. */
export async function removeTestKeys(config: HopperConfig): Promise<void> {
  const redis = new IORedis(config.redis.url);
  try {
    const keys = await redis.keys(`${config.redis.prefix}*`);
    if (keys.length) await redis.del(...keys);
  } finally {
    await redis.quit();
  }
}
