// Read-your-writes for files: the ingest route leaves the `files` document to the ingester (issue 17), so right
// after an ingest is answered the file is known only by its pending sightings in Redis. The file routes answer
// from them, with the clearance rule the document will have. The ingester is NOT running while the files are
// read, so no document can exist yet; it is started at the end to show the document gives the same answers.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { PendingFiles } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { sightingsRecorded, startIngester } from './support/ingester-harness';
import { isolatedConfig, removeTestKeys, uniqueId } from './support/test-env';
import { binaryBody } from './support/binary-body';
import { pe32 } from './support/typed-samples';

const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const FILE_DOES_NOT_EXIST = 'This file does not exists.';
const FILE_NOT_FOUND = 'The file was not found in the system.';

describe('file routes right after an ingest (read-your-writes, before the ingester has written the document)', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let ingester: INestApplicationContext | undefined;
  let files: FilesRepository;
  let clear: TestUser;
  let amber: TestUser;

  const get = (who: TestUser, path: string) => request(app.getHttpServer()).get(path).set(who.headers);
  const download = (who: TestUser, sha256: string) => get(who, `/api/v4/file/download/${sha256}/`).query({ encoding: 'raw' }).buffer(true).parse(binaryBody);
  const refusal = (response: request.Response) => {
    const body = Buffer.isBuffer(response.body) ? JSON.parse(response.body.toString('utf8')) : response.body;
    return { status: response.status, message: body.api_error_message };
  };
  const content = (label: string) => Buffer.concat([Buffer.from(`${label} ${uniqueId('pending')}\n`), randomBytes(3000)]);

  /** Ingests and answers the sha256 once the ingest is answered; nothing records the document meanwhile. */
  async function ingest(who: TestUser, bytes: Buffer, classification?: string): Promise<string> {
    await request(app.getHttpServer())
      .post('/api/v4/ingest/')
      .set(who.headers)
      .field('json', JSON.stringify({ name: 'sample.bin', ...(classification ? { params: { classification } } : {}) }))
      .attach('bin', bytes, 'sample.bin')
      .expect(200);
    return sha256Of(bytes);
  }

  beforeAll(async () => {
    config = isolatedConfig('files-pending', {
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      // Nothing completes these ingests: quota slots would never come back.
      ui: { enforce_quota: false },
    });
    app = await startApi(config);
    files = app.get(FilesRepository);
    clear = await addUserWithKey(app, { classification: 'TLP:CLEAR' });
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
  });

  afterAll(async () => {
    await ingester?.close();
    await files.model.db.dropDatabase();
    await app.close();
    await removeTestKeys(config);
  });

  const plain = { bytes: Buffer.alloc(0), sha256: '', info: null as Record<string, unknown> | null };
  const secret = { bytes: Buffer.alloc(0), sha256: '' };
  const raised = { bytes: Buffer.alloc(0), sha256: '' };

  it('answers info and the raw download of a file the moment its ingest is answered, with no document yet', async () => {
    plain.bytes = content('plain');
    plain.sha256 = await ingest(clear, plain.bytes);
    expect(await files.findBySha256(plain.sha256)).toBeNull();
    const [sighting] = await app.get(PendingFiles).lookUp(plain.sha256);
    // The API did not identify the upload (the ingester will): the route types it from the stored head.
    expect(sighting).not.toHaveProperty('type');

    const info = await get(clear, `/api/v4/file/info/${plain.sha256}/`).expect(200);
    expect(info.body.api_response).toMatchObject({
      sha256: plain.sha256,
      md5: createHash('md5').update(plain.bytes).digest('hex'),
      sha1: createHash('sha1').update(plain.bytes).digest('hex'),
      size: plain.bytes.length,
      classification: 'TLP:CLEAR',
      type: 'unknown',
      magic: 'data',
      mime: 'application/octet-stream',
      seen: { count: 1, first: expect.any(String), last: expect.any(String) },
    });
    plain.info = info.body.api_response;

    const raw = await download(clear, plain.sha256).expect(200);
    expect(Buffer.compare(raw.body as Buffer, plain.bytes)).toBe(0);
    const strings = await get(clear, `/api/v4/file/strings/${plain.sha256}/`).expect(200);
    expect(strings.body.api_response.content).toContain('plain pending_');
  });

  it('hides a file ingested as TLP:AMBER from a TLP:CLEAR user exactly as an unknown one, and shows it to a TLP:AMBER user', async () => {
    secret.bytes = content('secret');
    secret.sha256 = await ingest(amber, secret.bytes, 'TLP:AMBER');
    expect(await files.findBySha256(secret.sha256)).toBeNull();

    expect(refusal(await get(clear, `/api/v4/file/info/${secret.sha256}/`))).toEqual({ status: 404, message: FILE_DOES_NOT_EXIST });
    expect(refusal(await download(clear, secret.sha256))).toEqual({ status: 404, message: FILE_NOT_FOUND });
    expect(refusal(await get(clear, `/api/v4/file/info/${'0'.repeat(64)}/`))).toEqual({ status: 404, message: FILE_DOES_NOT_EXIST });

    expect((await get(amber, `/api/v4/file/info/${secret.sha256}/`).expect(200)).body.api_response.classification).toBe('TLP:AMBER');
    expect(Buffer.compare((await download(amber, secret.sha256).expect(200)).body as Buffer, secret.bytes)).toBe(0);
  });

  it('classifies a file as the highest of its pending sightings: seen as TLP:CLEAR then TLP:AMBER, TLP:CLEAR users lose it', async () => {
    raised.bytes = content('raised');
    raised.sha256 = await ingest(clear, raised.bytes);
    await get(clear, `/api/v4/file/info/${raised.sha256}/`).expect(200);
    await ingest(amber, raised.bytes, 'TLP:AMBER');
    expect(await files.findBySha256(raised.sha256)).toBeNull();
    expect(refusal(await get(clear, `/api/v4/file/info/${raised.sha256}/`))).toEqual({ status: 404, message: FILE_DOES_NOT_EXIST });
    expect(refusal(await download(clear, raised.sha256))).toEqual({ status: 404, message: FILE_NOT_FOUND });
    expect((await get(amber, `/api/v4/file/info/${raised.sha256}/`).expect(200)).body.api_response.classification).toBe('TLP:AMBER');
  });

  it('types a file submitted by sha256 before the ingester has identified it, as the ingester would: info and the document submit writes', async () => {
    const bytes = pe32(uniqueId('submitted'));
    const sha256 = await ingest(clear, bytes);
    expect((await get(clear, `/api/v4/file/info/${sha256}/`).expect(200)).body.api_response.type).toBe('executable/windows/pe32');
    await request(app.getHttpServer()).post('/api/v4/submit/').set(clear.headers).send({ sha256, name: 'early.exe' }).expect(200);
    expect(await files.findBySha256(sha256)).toMatchObject({ type: 'executable/windows/pe32', magic: expect.stringContaining('PE32'), mime: expect.any(String) });
  });

  it('gives the same answers once the ingester has written the documents', async () => {
    ingester = await startIngester(config);
    for (const sha256 of [plain.sha256, secret.sha256, raised.sha256]) await sightingsRecorded(app, sha256);
    expect(await files.findBySha256(plain.sha256)).not.toBeNull();

    expect((await get(clear, `/api/v4/file/info/${plain.sha256}/`).expect(200)).body.api_response).toEqual(plain.info);
    expect(refusal(await get(clear, `/api/v4/file/info/${secret.sha256}/`))).toEqual({ status: 404, message: FILE_DOES_NOT_EXIST });
    expect(refusal(await get(clear, `/api/v4/file/info/${raised.sha256}/`))).toEqual({ status: 404, message: FILE_DOES_NOT_EXIST });
    expect((await get(amber, `/api/v4/file/info/${raised.sha256}/`).expect(200)).body.api_response.classification).toBe('TLP:AMBER');
  });
});
