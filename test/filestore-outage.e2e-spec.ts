// A filestore outage answers 503 + Retry-After in each API family's envelope, to uploads and downloads alike.
// Two APIs share one database and one Redis: `healthy` keeps its files in a local directory and takes the sample
// the downloads ask for; `down` has an S3 filestore whose endpoint is a loopback port nothing listens on (a real
// refused connection, no mock), as an API sees MinIO or S3 while it is down.
import { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { deepMerge, HopperConfig, parseConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { closedPort } from './support/ports';
import { tgKey } from './support/threatgrid-client';
import { isolatedConfig, removeTestKeys, uniqueId } from './support/test-env';

const OUTAGE = 'The filestore is unavailable; retry in 5 seconds';
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Reads any answer as bytes (downloads are application/octet-stream; a refusal's JSON is parsed from them). */
function bytes(res: { on(event: string, listener: (chunk: Buffer) => void): unknown }, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** The answer's status, Retry-After and JSON body (read as bytes whatever its Content-Type). */
const answered = (response: request.Response) => ({
  status: response.status,
  retryAfter: response.headers['retry-after'],
  body: JSON.parse((response.body as Buffer).toString('utf8')),
});

describe('a filestore outage (S3 on a port nothing listens on) answers 503 with Retry-After', () => {
  let config: HopperConfig;
  let healthy: INestApplication;
  let down: INestApplication;
  let user: TestUser;
  const sample = { content: Buffer.alloc(0), sha256: '', id: '' };

  const alEnvelope = { api_response: null, api_error_message: OUTAGE, api_server_version: expect.stringMatching(/^hopper-/), api_status_code: 503 };
  const tgEnvelope = { api_version: 2, id: expect.any(Number), error: { message: OUTAGE, code: 503, errors: [{ code: 503, message: OUTAGE }] } };

  beforeAll(async () => {
    // Nothing completes these submissions: quota slots would never come back.
    config = isolatedConfig('filestore-outage', { ui: { enforce_quota: false } });
    healthy = await startApi(config);
    const downPort = await closedPort();
    down = await startApi(
      parseConfig(deepMerge(config as unknown as Record<string, unknown>, { filestore: { backend: 's3', s3: { endpoint: `http://127.0.0.1:${downPort}` } } })),
    );
    user = await addUserWithKey(healthy);
    // A sample submitted while the filestore was up: its file document and submission exist, its bytes are in the store.
    sample.content = Buffer.concat([Buffer.from(`sample ${uniqueId('outage')}\n`), randomBytes(4096)]);
    sample.sha256 = sha256Of(sample.content);
    const submitted = await request(healthy.getHttpServer()).post('/api/v2/samples').field('api_key', tgKey(user)).attach('sample', sample.content, 'sample.bin');
    expect(submitted.status).toBe(200);
    sample.id = submitted.body.data.id;
  });

  afterAll(async () => {
    await down?.close();
    await healthy?.get(SubmissionsRepository).model.db.dropDatabase();
    await healthy?.close();
    await removeTestKeys(config);
  });

  describe('Assemblyline routes', () => {
    it('an upload to POST /api/v4/ingest/ (2 MiB, drained to its end) answers 503 + Retry-After in the Assemblyline envelope', async () => {
      const response = await request(down.getHttpServer())
        .post('/api/v4/ingest/')
        .set(user.headers)
        .field('json', JSON.stringify({ name: 'upload.bin', metadata: {} }))
        .attach('bin', randomBytes(2 * 1024 * 1024), 'upload.bin')
        .buffer(true)
        .parse(bytes);
      expect(answered(response)).toEqual({ status: 503, retryAfter: '5', body: alEnvelope });
    });

    it('an ingest by sha256 (the filestore is asked whether it holds the file) answers 503 + Retry-After', async () => {
      const response = await request(down.getHttpServer()).post('/api/v4/ingest/').set(user.headers).send({ sha256: sample.sha256, name: 'again.bin' }).buffer(true).parse(bytes);
      expect(answered(response)).toEqual({ status: 503, retryAfter: '5', body: alEnvelope });
    });

    it('GET /api/v4/file/download/<sha256>/ answers 503 + Retry-After while the healthy API serves the same file', async () => {
      const path = `/api/v4/file/download/${sample.sha256}/?encoding=raw`;
      const served = await request(healthy.getHttpServer()).get(path).set(user.headers).buffer(true).parse(bytes);
      expect(served.status).toBe(200);
      expect(Buffer.compare(served.body as Buffer, sample.content)).toBe(0);
      const refused = await request(down.getHttpServer()).get(path).set(user.headers).buffer(true).parse(bytes);
      expect(answered(refused)).toEqual({ status: 503, retryAfter: '5', body: alEnvelope });
    });
  });

  describe('Threat Grid routes', () => {
    it('an upload to POST /api/v2/samples answers 503 + Retry-After in the Threat Grid envelope', async () => {
      const response = await request(down.getHttpServer())
        .post('/api/v2/samples')
        .field('api_key', tgKey(user))
        .attach('sample', randomBytes(2 * 1024 * 1024), 'upload.bin')
        .buffer(true)
        .parse(bytes);
      expect(answered(response)).toEqual({ status: 503, retryAfter: '5', body: tgEnvelope });
    });

    it('GET /api/v2/samples/<id>/sample.zip answers 503 + Retry-After while the healthy API serves it', async () => {
      const path = `/api/v2/samples/${sample.id}/sample.zip`;
      const served = await request(healthy.getHttpServer()).get(path).query({ api_key: tgKey(user) }).buffer(true).parse(bytes);
      expect(served.status).toBe(200);
      const refused = await request(down.getHttpServer()).get(path).query({ api_key: tgKey(user) }).buffer(true).parse(bytes);
      expect(answered(refused)).toEqual({ status: 503, retryAfter: '5', body: tgEnvelope });
    });
  });
});
