import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './ports';

const run = promisify(execFile);
const SERVICES = resolve(__dirname, '..', '..', 'scripts', 'services.sh');

/**
 * A MongoDB-wire server of the test's own (scripts/services.sh with its own directory and port: FerretDB on
 * a PostgreSQL database named after that port, or mongod), so a test can stop and start it without touching
 * the shared services other tests use.
 */
export interface PrivateMongo {
  /** The URL of `database` on it. */
  url(database: string): string;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startPrivateMongo(): Promise<PrivateMongo> {
  const port = await freePort();
  const env = { ...process.env, HOPPER_SVC_DIR: mkdtempSync(join(tmpdir(), 'hopper-private-mongo-')), HOPPER_SVC_MONGO_PORT: String(port) };
  const services = (command: 'up' | 'down') => run('bash', [SERVICES, command, 'mongo'], { env, timeout: 120_000 });
  await services('up');
  return {
    url: (database) => `mongodb://127.0.0.1:${port}/${database}`,
    stop: async () => void (await services('down')),
    start: async () => void (await services('up')),
  };
}
