import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import IORedis from 'ioredis';
import { SubmissionQuotas } from '@hopper/queues';
import { addApiUser, Running, startBuilt } from './support/built-processes';
import { freePort, waitForStatus } from './support/ports';
import { mongoUrlFor, serviceEnv, uniqueId } from './support/test-env';

/*
 * Issue 18, items 3 and 4: the API is killed with SIGKILL during uploads. Submit takes its quota slot before
 * it reads the body, so each slow submit holds a slot of the submit pool when the process dies; every upload,
 * ingest and submit, has its partial file in the filestore's staging folder. Afterwards, with a new API
 * started, both quota pools of the user are back to zero within the request time-out (the slots were only
 * leases of api.request_timeout_seconds, never confirmed), and the staging folder holds nothing of the dead
 * process (the new one sweeps the files of this host's dead pids at start-up).
 */

const REQUEST_TIMEOUT_SECONDS = 5;
const UPLOADS_PER_ROUTE = 3;

/** A multipart upload that sends its json part and the start of its file, then trickles bytes until stopped. */
function slowUpload(url: string, headers: Record<string, string>, json: Record<string, unknown>): () => void {
  const boundary = `hopper${randomBytes(8).toString('hex')}`;
  const upload = request(url, { method: 'POST', headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` } });
  upload.on('error', () => undefined); // the server dies under it: expected
  upload.on('response', (response) => response.resume());
  upload.write(
    `--${boundary}\r\nContent-Disposition: form-data; name="json"\r\n\r\n${JSON.stringify(json)}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="bin"; filename="slow.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  upload.write(randomBytes(64 * 1024));
  const trickle = setInterval(() => upload.write(randomBytes(4 * 1024)), 100);
  return () => {
    clearInterval(trickle);
    upload.destroy();
  };
}

async function quotasOf(api: string, uname: string, headers: Record<string, string>): Promise<Record<string, number>> {
  const response = await fetch(`${api}/api/v4/user/quotas/${uname}/`, { headers });
  expect(response.status).toBe(200);
  return ((await response.json()) as { api_response: Record<string, number> }).api_response;
}

async function until<T>(read: () => Promise<T> | T, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the API killed with SIGKILL during uploads', () => {
  const processes: Running[] = [];
  const stops: Array<() => void> = [];
  let redis: IORedis | undefined;

  afterAll(async () => {
    for (const stop of stops) stop();
    for (const running of processes) running.child.kill('SIGKILL');
    await redis?.quit();
  });

  it('leaves no quota slot taken past the request time-out and nothing of its own in the staging folder', async () => {
    const id = uniqueId('apikill');
    const mongoUrl = mongoUrlFor(`hopper_test_${id}`);
    const filestore = mkdtempSync(join(tmpdir(), 'hopper-files-'));
    const configFile = join(mkdtempSync(join(tmpdir(), 'hopper-config-')), 'hopper.yml');
    writeFileSync(configFile, `api:\n  request_timeout_seconds: ${REQUEST_TIMEOUT_SECONDS}\nui:\n  enforce_quota: true\n`);
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOPPER_CONFIG: configFile,
      HOPPER_REDIS_URL: serviceEnv().HOPPER_REDIS_URL,
      HOPPER_MONGO_URL: mongoUrl,
      HOPPER_QUEUE_PREFIX: `{test-${id}}`,
      HOPPER_FILESTORE_DIR: filestore,
      HOPPER_ADMIN_CREDENTIALS_FILE: join(mkdtempSync(join(tmpdir(), 'hopper-admin-')), 'admin-credentials'),
      HOPPER_LOG_LEVEL: 'warn',
    };
    const startApi = async () => {
      const port = await freePort();
      const running = startBuilt('api', { ...env, HOPPER_API_PORT: String(port), HOPPER_API_HOST: '127.0.0.1' });
      processes.push(running);
      const api = `http://127.0.0.1:${port}`;
      await waitForStatus(`${api}/readyz`, 200, 60_000).catch((error: Error) => {
        throw new Error(`${error.message}\n${running.output()}`);
      });
      return { api, running };
    };
    const staged = () => {
      try {
        return readdirSync(join(filestore, '.staging'));
      } catch {
        return [];
      }
    };

    const first = await startApi();
    const user = await addApiUser(mongoUrl);
    for (let n = 0; n < UPLOADS_PER_ROUTE; n++) {
      stops.push(slowUpload(`${first.api}/api/v4/submit/`, user.headers, { name: `submit-${n}.bin` }));
      stops.push(slowUpload(`${first.api}/api/v4/ingest/`, user.headers, { name: `ingest-${n}.bin`, notification_queue: 'killed' }));
    }
    // Every upload is under way: its partial file staged, each submit holding its slot.
    const uploading = await until(
      async () => ({ files: staged().length, quotas: await quotasOf(first.api, user.uname, user.headers) }),
      ({ files, quotas }) => files === 2 * UPLOADS_PER_ROUTE && quotas.submission_count === UPLOADS_PER_ROUTE,
      REQUEST_TIMEOUT_SECONDS * 1000,
    );
    expect(uploading.files).toBe(2 * UPLOADS_PER_ROUTE);
    expect(uploading.quotas).toMatchObject({ submission_count: UPLOADS_PER_ROUTE, submission_daily_count: UPLOADS_PER_ROUTE });

    first.running.child.kill('SIGKILL');
    const killedAt = Date.now();
    await new Promise((resolve) => first.running.child.once('exit', resolve));
    const partial = staged();
    expect(partial).toHaveLength(2 * UPLOADS_PER_ROUTE);
    for (const stop of stops) stop();

    // With no API running, the leases lapse within the request time-out of when they were taken (before
    // the kill): read as the quota route reads them, a usage read drops what lapsed.
    redis = new IORedis(serviceEnv().HOPPER_REDIS_URL!, { maxRetriesPerRequest: null });
    const quotas = new SubmissionQuotas(redis, { prefix: env.HOPPER_QUEUE_PREFIX!, enforce: true, leaseSeconds: REQUEST_TIMEOUT_SECONDS });
    const usage = () => Promise.all([quotas.usage(user.uname, 'submit'), quotas.usage(user.uname, 'async')]);
    const lapsed = await until(usage, ([submit, async]) => submit.concurrent + async.concurrent === 0, killedAt + REQUEST_TIMEOUT_SECONDS * 1000 - Date.now());
    const zeroAfterMs = Date.now() - killedAt;
    expect(lapsed).toEqual([{ concurrent: 0, daily: 0 }, { concurrent: 0, daily: 0 }]);

    const second = await startApi();
    // The start-up sweep removes what the dead process left.
    expect(await until(() => staged().filter((name) => partial.includes(name)), (left) => left.length === 0, 10_000)).toEqual([]);
    expect(await quotasOf(second.api, user.uname, user.headers)).toMatchObject({ submission_count: 0, submission_async_count: 0, submission_daily_count: 0 });
    process.stdout.write(`quota slots back to zero ${(zeroAfterMs / 1000).toFixed(1)} s after the kill; staging swept\n`);
  }, 90_000);
});
