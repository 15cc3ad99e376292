import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { createApi } from '../apps/api/src/create-api';
import { freePort, waitForStatus } from './support/ports';
import { isolatedConfig } from './support/test-env';

describe('API health, metrics and OpenAPI', () => {
  let app: INestApplication;

  beforeAll(async () => {
    app = await createApi(isolatedConfig('api'));
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  it('answers /healthz while the process lives', async () => {
    const response = await request(app.getHttpServer()).get('/healthz').expect(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 naming every part it checked', async () => {
    const response = await request(app.getHttpServer()).get('/readyz').expect(200);
    expect(response.body).toEqual({ status: 'ready', checks: { redis: 'up', mongodb: 'up', filestore: 'up' } });
  });

  it('serves Prometheus metrics with the depth of every queue', async () => {
    const response = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.text).toMatch(/^hopper_queue_jobs\{queue="ingest",state="waiting"\} 0$/m);
    expect(response.text).toMatch(/^hopper_queue_jobs\{queue="dispatch",state="active"\} 0$/m);
    expect(response.text).toMatch(/^hopper_process_cpu_user_seconds_total /m);
  });

  it('serves the OpenAPI page and document', async () => {
    const page = await request(app.getHttpServer()).get('/api/docs').expect(200);
    expect(page.text).toContain('swagger-ui');
    const document = await request(app.getHttpServer()).get('/api/docs/openapi.json').expect(200);
    expect(document.body.info.title).toBe('Hopper');
  });
});

async function listeningUrl(app: INestApplication): Promise<string> {
  if (!app.getHttpServer().listening) await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

describe('API readiness when MongoDB stops', () => {
  const servicesScript = resolve(__dirname, '..', 'scripts', 'services.sh');
  let app: INestApplication;
  let mongoEnv: NodeJS.ProcessEnv;

  beforeAll(async () => {
    // A MongoDB-wire server of this test's own, so stopping it disturbs no other test.
    mongoEnv = {
      ...process.env,
      HOPPER_SVC_DIR: mkdtempSync(join(tmpdir(), 'hopper-svc-')),
      HOPPER_SVC_MONGO_PORT: String(await freePort()),
    };
    execFileSync(servicesScript, ['up', 'mongo'], { env: mongoEnv, stdio: 'pipe' });
    app = await createApi(
      isolatedConfig('readyz', { mongo: { url: `mongodb://127.0.0.1:${mongoEnv.HOPPER_SVC_MONGO_PORT}/hopper_readyz` } }),
    );
    await app.init();
  });

  afterAll(async () => {
    await app.close();
    execFileSync(servicesScript, ['down', 'mongo'], { env: mongoEnv, stdio: 'pipe' });
  });

  it('answers 503 naming MongoDB once its server is gone, and 200 again when it is back', async () => {
    await request(app.getHttpServer()).get('/readyz').expect(200);
    execFileSync(servicesScript, ['down', 'mongo'], { env: mongoEnv, stdio: 'pipe' });

    const response = await request(app.getHttpServer()).get('/readyz').expect(503);
    expect(response.body.status).toBe('unavailable');
    expect(response.body.message).toBe('not ready: mongodb down');
    expect(response.body.checks.mongodb).toMatch(/^down: /);
    expect(response.body.checks.redis).toBe('up');
    expect(response.body.checks.filestore).toBe('up');

    execFileSync(servicesScript, ['up', 'mongo'], { env: mongoEnv, stdio: 'pipe' });
    await waitForStatus(`${await listeningUrl(app)}/readyz`, 200);
  });
});
