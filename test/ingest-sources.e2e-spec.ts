import { INestApplication } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { createCartEncoder } from '@hopper/identify';
import { IngestTask, QUEUES, QueueName, Queues } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { RouteServer } from './support/route-server';
import { isolatedConfig, uniqueId } from './support/test-env';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures/cart', name));
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

async function cartOf(content: Buffer, header: Record<string, unknown>): Promise<Buffer> {
  const encoder = createCartEncoder({ header });
  const parts: Buffer[] = [];
  await pipeline(Readable.from([content]), encoder.stream, new Writable({ write: (chunk, _e, done) => (parts.push(chunk), done()) }));
  return Buffer.concat(parts);
}

/** Files, URLs and file sources as the ingest route takes them in, against the real services. */
describe('POST /api/v4/ingest/: where the file comes from', () => {
  let app: INestApplication;
  let config: HopperConfig;
  let files: FilesRepository;
  let filestore: Filestore;
  let queues: Queues;
  let user: TestUser;
  let amber: TestUser;
  let green: TestUser;
  let web: RouteServer;

  beforeAll(async () => {
    web = await new RouteServer()
      .on('/sample.js', (_req, res) => res.writeHead(200).end('var a = "hopper url sample";\n'))
      .on('/empty', (_req, res) => res.writeHead(200).end())
      .on('/big', (_req, res) => res.writeHead(200).end(Buffer.alloc(400_001, 7)))
      .on('/lookup/known', (_req, res) => res.writeHead(200).end('content from the file source\n'))
      .start();
    config = isolatedConfig('ingest-sources', {
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      submission: {
        max_file_size: 400_000,
        file_sources: [
          { name: 'lab', url: web.url('/lookup/{INPUT}'), hash_types: ['md5', 'sha1', 'sha256', 'tlsh', 'ssdeep', 'url'], hash_patterns: { url: '^[a-z]+$' }, classification: 'TLP:GREEN' },
        ],
      },
      file_sources: { allow_networks: ['127.0.0.1/32'], allowed_ports: [web.port] },
    });
    app = await startApi(config);
    files = app.get(FilesRepository);
    filestore = app.get(FILESTORE);
    queues = app.get(QUEUES);
    user = await addUserWithKey(app);
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
    green = await addUserWithKey(app, { classification: 'TLP:GREEN' });
  });

  afterAll(async () => {
    await files.model.db.dropDatabase();
    await app.close();
    await web.stop();
  });

  const ingestJson = (who: TestUser, body: Record<string, unknown>) =>
    request(app.getHttpServer()).post('/api/v4/ingest/').set(who.headers).send(body);
  const ingestFile = (who: TestUser, content: Buffer, json: Record<string, unknown>, filename = 'bin') =>
    request(app.getHttpServer()).post('/api/v4/ingest/').set(who.headers).field('json', JSON.stringify(json)).attach('bin', content, filename);

  async function task(ingestId: string): Promise<IngestTask> {
    const job = await queues.get(QueueName.Ingest)!.getJob(ingestId);
    expect(job).toBeDefined();
    return job!.data as IngestTask;
  }

  describe('CaRT', () => {
    it('decodes a CaRT made by the reference implementation: stores the original, named and classified by its header', async () => {
      const decoded = 'random.cart';
      const response = await ingestFile(amber, fixture(decoded), { name: 'upload.cart' }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      const original = '75fd946e04ea7fbe6ca8006561223c5470554e29a047403082c6421861a740ad';
      expect(queued.submission.files).toEqual([{ name: 'random.bin', sha256: original, size: 307200 }]);
      expect(queued.submission.params.classification).toBe('TLP:AMBER');
      expect(await filestore.exists(original)).toBe(true);
      expect(await filestore.exists(sha256(fixture(decoded)))).toBe(false);
      // The sighting the ingester records in `files`: classified by the header.
      expect(queued.file_sighting?.file).toMatchObject({ sha256: original, classification: 'TLP:AMBER' });
    });

    it('keeps the rest of the CaRT header as metadata', async () => {
      const response = await ingestFile(green, fixture('nested-unicode.cart'), { metadata: {} }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      expect(queued.submission.files[0].name).toBe('résumé док 報告 🦠.txt');
      expect(queued.submission.metadata).toMatchObject({ 'source.feed': 'mail', 'source.depth.ok': 'true', 'source.tags': '["a","ü"]' });
      expect(queued.submission.params.classification).toBe('TLP:GREEN');
    });

    it('refuses a CaRT classified above the submitter, and keeps nothing', async () => {
      const content = Buffer.from(`amber only ${uniqueId('x')}`);
      const cart = await cartOf(content, { name: 'secret.txt', classification: 'TLP:AMBER' });
      const before = await queues.get(QueueName.Ingest)!.count();
      const response = await ingestFile(user, cart, { name: 'secret.cart' }).expect(400);
      expect(response.body.api_error_message).toBe("You cannot start a submission with higher classification then you're allowed to see");
      expect(await filestore.exists(sha256(content))).toBe(false);
      expect(await files.findBySha256(sha256(content))).toBeNull();
      expect(await queues.get(QueueName.Ingest)!.count()).toBe(before);
    });

    it("answers Assemblyline's message when the CaRT's classification cannot be merged", async () => {
      const cart = await cartOf(Buffer.from('x'), { name: 'bad.txt', classification: 'NOT A LEVEL' });
      const response = await ingestFile(user, cart, { metadata: {} }).expect(400);
      expect(response.body.api_error_message).toMatch(
        /^The classification found inside the cart file cannot be merged with the classification the file was submitted as: /,
      );
    });

    it('ingests a CaRT that does not decode as sent, typed corrupted/cart, as Assemblyline does', async () => {
      const broken = fixture('corrupt-body.cart');
      const response = await ingestFile(user, broken, { name: 'broken.cart' }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      expect(queued.submission.files[0]).toEqual({ name: 'broken.cart', sha256: sha256(broken), size: broken.length });
      expect(queued.file_sighting?.file).toMatchObject({ sha256: sha256(broken), type: 'corrupted/cart' });
    });
  });

  describe('URL', () => {
    it('downloads through the safe downloader and records submitted_url', async () => {
      const response = await ingestJson(user, { url: web.url('/sample.js') }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      const body = Buffer.from('var a = "hopper url sample";\n');
      expect(queued.submission.files).toEqual([{ name: 'sample.js', sha256: sha256(body), size: body.length }]);
      expect(queued.submission.metadata.submitted_url).toBe(web.url('/sample.js'));
      expect(await filestore.exists(sha256(body))).toBe(true);
    });

    it.each([
      ['a URL that is not http(s)', 'ftp://127.0.0.1/x', "URL scheme 'ftp' is not allowed (http and https only). The URL will not be downloaded."],
      ['a private address outside the allowlist', 'http://10.255.255.1:{PORT}/x', "Host '10.255.255.1' resolves to a reserved IP address. The URL will not be downloaded."],
      ['a port that is not allowed', 'http://93.184.216.34:6379/x', 'Port 6379 is not allowed for URL downloads (allowed: {PORT}). The URL will not be downloaded.'],
      ['a file over max_file_size', '/big', 'File too big to be scanned.'],
      ['an empty file', '/empty', 'File empty. Ingestion failed'],
    ])('refuses %s with a message naming the rule (Assemblyline\'s where it has one)', async (_case, target, expected) => {
      // {PORT}: the test server's, the one allowed port.
      const url = target.startsWith('/') ? web.url(target) : target.replace('{PORT}', String(web.port));
      const message = expected.replace('{PORT}', String(web.port));
      const response = await ingestJson(user, { url, name: 'x' }).expect(400);
      expect(response.body.api_error_message).toBe(message);
    });
  });

  describe('sha256', () => {
    it('takes a blob the filestore holds without a document: measures it for the ingester to record', async () => {
      const content = Buffer.from(`orphan blob ${uniqueId('x')}`);
      await filestore.put(sha256(content), Readable.from([content]));
      const response = await ingestJson(user, { sha256: sha256(content).toUpperCase() }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      expect(queued.submission.files).toEqual([{ name: sha256(content).toUpperCase(), sha256: sha256(content), size: content.length }]);
      expect(queued.file_sighting?.file).toMatchObject({ sha256: sha256(content), size: content.length, type: 'text/plain' });
    });

    it("raises the submission to the known file's classification, and hides the file from those not cleared for it", async () => {
      const content = Buffer.from(`green file ${uniqueId('x')}`);
      await ingestFile(amber, content, { name: 'g.txt', params: { classification: 'TLP:GREEN' } }).expect(200);
      const response = await ingestJson(green, { sha256: sha256(content) }).expect(200);
      expect((await task(response.body.api_response.ingest_id)).submission.params.classification).toBe('TLP:GREEN');
      const hidden = await ingestJson(user, { sha256: sha256(content) }).expect(404);
      expect(hidden.body.api_error_message).toBe('SHA256 does not exist in our datastore');
    });
  });

  describe('file source', () => {
    it("fetches the input through the named source, which adds its classification and metadata", async () => {
      const response = await ingestJson(green, { lab: 'known' }).expect(200);
      const queued = await task(response.body.api_response.ingest_id);
      const body = Buffer.from('content from the file source\n');
      expect(queued.submission.files).toEqual([{ name: 'known', sha256: sha256(body), size: body.length }]);
      expect(queued.submission.params.classification).toBe('TLP:GREEN');
      expect(queued.submission.metadata.original_source).toBe('lab');
    });

    it('answers 404 naming the sources tried when none has the file', async () => {
      const response = await ingestJson(green, { lab: 'missing' }).expect(404);
      expect(response.body.api_error_message).toBe('"missing" was not found in any of the file sources: lab.');
    });

    it('does not use a source classified above the submitter', async () => {
      const response = await ingestJson(user, { lab: 'known' }).expect(404);
      expect(response.body.api_error_message).toBe('No file source is available to resolve "known".');
    });
  });
});
