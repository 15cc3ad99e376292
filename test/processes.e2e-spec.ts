import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { freePort, waitForStatus } from './support/ports';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

// These tests run the built processes (`npm test` builds first), exactly as operators start them.
const root = resolve(__dirname, '..');
const entry = (app: string) => join(root, 'dist', 'apps', app, 'src', 'main.js');

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(app: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [entry(app)], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  return { child, output: () => output, exited };
}

function isolatedEnv(): NodeJS.ProcessEnv {
  const id = uniqueId('proc');
  const env = serviceEnv();
  return {
    PATH: process.env.PATH,
    HOPPER_REDIS_URL: env.HOPPER_REDIS_URL,
    HOPPER_MONGO_URL: mongoUrlFor(`hopper_test_${id}`),
    HOPPER_QUEUE_PREFIX: `{test-${id}}`,
    HOPPER_FILESTORE_DIR: mkdtempSync(join(tmpdir(), 'hopper-files-')),
    HOPPER_LOG_LEVEL: 'info',
  };
}

describe('the three processes', () => {
  it('start on their own, report ready, and stop cleanly on SIGTERM within 10 s', async () => {
    const env = isolatedEnv();
    const [apiPort, ingesterPort, dispatcherPort] = [await freePort(), await freePort(), await freePort()];
    const processes = {
      api: start('api', { ...env, HOPPER_API_PORT: String(apiPort), HOPPER_API_HOST: '127.0.0.1' }),
      ingester: start('ingester', { ...env, HOPPER_INGESTER_METRICS_PORT: String(ingesterPort) }),
      dispatcher: start('dispatcher', { ...env, HOPPER_DISPATCHER_METRICS_PORT: String(dispatcherPort) }),
    };
    try {
      const ready = { status: 'ready', checks: { redis: 'up', mongodb: 'up', filestore: 'up' } };
      expect(await waitForStatus(`http://127.0.0.1:${apiPort}/readyz`, 200)).toEqual(ready);
      expect(await waitForStatus(`http://127.0.0.1:${ingesterPort}/readyz`, 200)).toEqual(ready);
      expect(await waitForStatus(`http://127.0.0.1:${dispatcherPort}/readyz`, 200)).toEqual(ready);
      const metrics = await fetch(`http://127.0.0.1:${dispatcherPort}/metrics`);
      expect(await metrics.text()).toContain('hopper_queue_jobs{queue="dispatch",state="waiting"}');

      // A process that ignored SIGTERM would never exit, and the test's own timeout would fail it.
      for (const running of Object.values(processes)) running.child.kill('SIGTERM');
      const exits = await Promise.all(Object.values(processes).map((running) => running.exited));
      for (const exit of exits) {
        // Nest re-raises the signal after its shutdown hooks ran; a crash would exit with code 1.
        expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      }
      for (const [name, running] of Object.entries(processes)) {
        expect({ name, errors: running.output().split('\n').filter((line) => /"level":(50|60)/.test(line)) }).toEqual({ name, errors: [] });
      }
    } finally {
      for (const running of Object.values(processes)) running.child.kill('SIGKILL');
    }
  }, 60_000);

  it.each(['api', 'ingester', 'dispatcher'])('%s refuses to start on a bad configuration, naming the key', async (app) => {
    const dir = mkdtempSync(join(tmpdir(), 'hopper-badconfig-'));
    const file = join(dir, 'bad.yml');
    writeFileSync(file, 'submission:\n  max_file_size: -1\n');
    const running = start(app, { ...isolatedEnv(), HOPPER_CONFIG: file });
    const exit = await running.exited;
    expect(exit.code).toBe(1);
    expect(running.output()).toContain('submission.max_file_size: must be a positive integer');
  }, 30_000);
});
