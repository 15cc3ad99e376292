import { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FileGuard, IngestTask, PendingFiles, SubmissionQuotas } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { isolatedConfig, uniqueId } from './support/test-env';

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const EMPTY_SHA256 = sha256('');
/** Bytes nobody else uploads, so the filestore and the files collection say something about this test only. */
const uniqueContent = (label: string) => Buffer.from(`${label} ${uniqueId('content')}\n`);

const HIGHER_CLASSIFICATION = "You cannot start a submission with higher classification then you're allowed to see";
const SHA256_NOT_FOUND = 'SHA256 does not exist in our datastore';
const MISSING_FILE = 'Missing file to scan. No binary, sha256 or url provided.';

/** Hopper's classification.yml with enforcement on, so access checks (clearance, hidden files) are live. */
function enforcedClassificationFile(): string {
  const text = readFileSync(join(__dirname, '../config/classification.yml'), 'utf8');
  expect(text).toMatch(/^enforce: false$/m);
  const path = join(mkdtempSync(join(tmpdir(), 'hopper-classification-')), 'classification.yml');
  writeFileSync(path, text.replace(/^enforce: false$/m, 'enforce: true'));
  return path;
}

interface Part {
  name: string;
  filename?: string;
  body: string | Buffer;
}

/** A multipart body as the Python client writes it: no Content-Type on the parts. */
function multipart(parts: Part[]): { contentType: string; body: Buffer } {
  const boundary = `hopper${randomBytes(12).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filename === undefined ? '' : `; filename="${part.filename}"`;
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`));
    chunks.push(Buffer.from(part.body), Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat(chunks) };
}

/** The Assemblyline envelope of an error, whole. */
function expectError(response: request.Response, status: number, message: string | RegExp): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      api_response: null,
      api_error_message: typeof message === 'string' ? message : expect.stringMatching(message),
      api_server_version: expect.stringMatching(/^hopper-/),
      api_status_code: status,
    },
  });
}

/** The ingest_id of a successful answer (and its whole envelope checked). */
function ingestIdOf(response: request.Response): string {
  expect({ status: response.status, body: response.body }).toEqual({
    status: 200,
    body: {
      api_response: { ingest_id: expect.stringMatching(/^[0-9A-Za-z]{10,}$/) },
      api_error_message: '',
      api_server_version: expect.stringMatching(/^hopper-/),
      api_status_code: 200,
    },
  });
  return response.body.api_response.ingest_id;
}

/** One API application on an isolated configuration, with direct handles on what ingest writes. */
class Harness {
  app!: INestApplication;
  files!: FilesRepository;
  filestore!: Filestore;
  quotas!: SubmissionQuotas;
  /** The ingest queue as the ingester sees it: by name and prefix, on a connection of its own. */
  queue!: Queue;
  private redis!: IORedis;

  constructor(readonly config: HopperConfig) {}

  async start(): Promise<this> {
    this.app = await startApi(this.config);
    this.files = this.app.get(FilesRepository);
    this.filestore = this.app.get(FILESTORE);
    this.quotas = this.app.get(SubmissionQuotas);
    this.redis = new IORedis(this.config.redis.url, { maxRetriesPerRequest: null });
    this.queue = new Queue('ingest', { connection: this.redis, prefix: this.config.redis.prefix });
    return this;
  }

  async stop(): Promise<void> {
    if (!this.app) return;
    await this.queue.obliterate({ force: true }).catch(() => undefined);
    await this.queue.close();
    // Every key of the deployment starts with its prefix (RedisKeys), hash tag included.
    const keys = await this.redis.keys(`${this.config.redis.prefix}:*`);
    if (keys.length) await this.redis.del(...keys);
    await this.redis.quit();
    await this.files.model.db.dropDatabase();
    await this.app.close();
    rmSync(this.config.filestore.local.path, { recursive: true, force: true });
    if (basename(dirname(this.config.classification)).startsWith('hopper-classification-')) {
      rmSync(dirname(this.config.classification), { recursive: true, force: true });
    }
  }

  get server() {
    return this.app.getHttpServer();
  }

  post(who: TestUser | null, path = '/api/v4/ingest/'): request.Test {
    const test = request(this.server).post(path);
    return who ? test.set(who.headers) : test;
  }

  json(who: TestUser | null, body: unknown): request.Test {
    return this.post(who).send(body as object);
  }

  /** A JSON-typed body sent byte for byte (supertest would JSON-serialise a Buffer or re-encode nothing else). */
  raw(who: TestUser | null, body: string | Buffer, contentType = 'application/json'): request.Test {
    return this.post(who)
      .set('content-type', contentType)
      .serialize((data: unknown) => data as string)
      .send(body as unknown as string);
  }

  multipart(who: TestUser | null, parts: Part[], path?: string): request.Test {
    const { contentType, body } = multipart(parts);
    return this.post(who, path).set('content-type', contentType).send(body);
  }

  /** `json` part then `bin` part, as the Python client sends a file. */
  file(who: TestUser | null, content: Buffer, json: unknown, filename = 'bin'): request.Test {
    return this.multipart(who, [
      { name: 'json', body: JSON.stringify(json) },
      { name: 'bin', filename, body: content },
    ]);
  }

  async task(ingestId: string): Promise<IngestTask> {
    const job = await this.queue.getJob(ingestId);
    expect(job?.id).toBe(ingestId);
    return job!.data as IngestTask;
  }

  queued(): Promise<number> {
    return this.queue.count();
  }

  stagingEntries(): string[] {
    const staging = join(this.config.filestore.local.path, '.staging');
    return existsSync(staging) ? readdirSync(staging) : [];
  }

  /**
   * Runs a test that may leave staged bytes behind (a product bug), then removes what it left, so that its
   * failure does not show up again in every later test's "nothing kept" check.
   */
  async isolatingStaging(body: () => Promise<void>): Promise<void> {
    const before = new Set(this.stagingEntries());
    try {
      await body();
    } finally {
      for (const entry of this.stagingEntries()) {
        if (!before.has(entry)) rmSync(join(this.config.filestore.local.path, '.staging', entry), { force: true });
      }
    }
  }

  /** Nothing of `content` was kept: no staged bytes, no blob, no files document, no new queue entry. */
  async expectNothingKept(content: Buffer, queuedBefore: number): Promise<void> {
    expect(this.stagingEntries()).toEqual([]);
    expect(await this.filestore.exists(sha256(content))).toBe(false);
    expect(await this.files.findBySha256(sha256(content))).toBeNull();
    expect(await this.queued()).toBe(queuedBefore);
  }

  /** Sends `send()`, expects the refusal, then that nothing of `content` was kept. */
  async refusedUpload(content: Buffer, send: () => request.Test, status: number, message: string | RegExp): Promise<request.Response> {
    const before = await this.queued();
    const response = await send();
    expectError(response, status, message);
    await this.expectNothingKept(content, before);
    return response;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// POST /api/v4/ingest/ (quotas off)
// ---------------------------------------------------------------------------------------------------------------

const MAX_FILE = 4096;
const MAX_JSON = 4096;
const MAX_METADATA = 64;

describe('POST /api/v4/ingest/', () => {
  let h: Harness;
  let user: TestUser;
  let amber: TestUser;
  let submitter: TestUser;
  let viewer: TestUser;
  /** A file every TLP:CLEAR user may see, ingested once in beforeAll. */
  let known: Buffer;

  beforeAll(async () => {
    h = await new Harness(
      isolatedConfig('ingest', {
        classification: enforcedClassificationFile(),
        api: { max_json_body: MAX_JSON },
        ui: { enforce_quota: false, allow_url_submissions: false },
        submission: {
          max_file_size: MAX_FILE,
          max_metadata_length: MAX_METADATA,
          metadata: {
            ingest: {
              // Applies to every ingest type; filled in when missing.
              _default: { source: { validator_type: 'keyword', required: true, default: 'unknown' } },
              INGEST: {},
              CHECKED: { case_id: { validator_type: 'integer', required: true } },
            },
          },
        },
      }),
    ).start();
    expect(h.config.filestore.backend).toBe('local');
    user = await addUserWithKey(h.app);
    amber = await addUserWithKey(h.app, { classification: 'TLP:AMBER' });
    submitter = await addUserWithKey(h.app, { type: ['submitter'] });
    viewer = await addUserWithKey(h.app, { type: ['viewer'] });
    known = uniqueContent('known');
    ingestIdOf(await h.file(user, known, { name: 'known.txt' }));
  });

  afterAll(async () => {
    await h?.stop();
  });

  describe("seed 000's refusals, in its order and with its messages", () => {
    it('refuses a body that is neither multipart nor JSON: "Invalid content type"', async () => {
      expectError(await h.raw(user, 'hello', 'text/plain'), 400, 'Invalid content type');
      expectError(await h.post(user), 400, 'Invalid content type');
    });

    it('refuses a multipart body without a json part: "Missing data block", and discards the upload', async () => {
      const content = uniqueContent('no-json');
      await h.refusedUpload(content, () => h.multipart(user, [{ name: 'bin', filename: 'a.exe', body: content }]), 400, 'Missing data block');
    });

    it('refuses an empty data block: "Missing data block" (JSON {}, an empty json part, JSON null, no body)', async () => {
      expectError(await h.json(user, {}), 400, 'Missing data block');
      expectError(await h.raw(user, 'null'), 400, 'Missing data block');
      expectError(await h.raw(user, ''), 400, 'Missing data block');
      const content = uniqueContent('empty-json');
      await h.refusedUpload(content, () => h.file(user, content, {}), 400, 'Missing data block');
    });

    it.each([
      ['a string', '"5"'],
      ['a float', '1.5'],
      ['an integer beyond 2^53', '1152921504606846976'],
      ['a list', '[5]'],
    ])('refuses a notification_threshold that is %s: "notification_threshold should be and int"', async (_label, value) => {
      // Checked before the name: a block with no name at all still gets the threshold error.
      const response = await h.raw(user, `{"notification_queue":"nq1","notification_threshold":${value}}`);
      expectError(response, 400, 'notification_threshold should be and int');
    });

    it('lets a falsy notification_threshold through as no threshold (then the missing name is the error)', async () => {
      expectError(await h.json(user, { notification_threshold: 0 }), 400, 'Filename missing');
      expectError(await h.json(user, { notification_threshold: null }), 400, 'Filename missing');
    });

    it('refuses a data block that names no file: "Filename missing"', async () => {
      expectError(await h.json(user, { metadata: {} }), 400, 'Filename missing');
      expectError(await h.json(user, { params: { deep_scan: true } }), 400, 'Filename missing');
      expectError(await h.json(user, { name: '' }), 400, 'Filename missing');
      // os.path.basename of a URL ending in "/" is empty: no name, and this comes before the URL checks.
      expectError(await h.json(user, { url: 'http://example.com/dir/' }), 400, 'Filename missing');
    });

    it('takes the json part\'s name over the bin filename even when it is empty or null: "Filename missing"', async () => {
      // Seed: name = data.get("name", binary.filename): a name key that is present wins, whatever its value.
      const content = uniqueContent('empty-json-name');
      await h.refusedUpload(content, () => h.file(user, content, { name: '' }, 'on-disk.exe'), 400, 'Filename missing');
      await h.refusedUpload(content, () => h.file(user, content, { name: null }, 'on-disk.exe'), 400, 'Filename missing');
    });

    // busboy reads a part without a filename as a field; Werkzeug keeps it as a falsy FileStorage.
    it('treats a bin part with an empty filename as Assemblyline does (Werkzeug: a file, but falsy)', async () => {
      // No json name: the name check comes first. With one: `if not binary` holds, so no file was provided.
      const content = uniqueContent('no-filename');
      await h.refusedUpload(content, () => h.file(user, content, { metadata: {} }, ''), 400, 'Filename missing');
      await h.refusedUpload(content, () => h.file(user, content, { name: 'named.exe' }, ''), 400, MISSING_FILE);
    });

    it('refuses a name with nothing left after the safe basename: "Invalid filename"', async () => {
      const sha = sha256(known);
      expectError(await h.json(user, { name: 'dir/', sha256: sha }), 400, 'Invalid filename');
      expectError(await h.json(user, { name: 'C:\\temp\\', sha256: sha }), 400, 'Invalid filename');
      expectError(await h.json(user, { name: '\u0001\u0002\u007f', sha256: sha }), 400, 'Invalid filename');
      expectError(await h.json(user, { name: 42, sha256: sha }), 400, 'Invalid filename');
      const content = uniqueContent('bad-name');
      await h.refusedUpload(content, () => h.file(user, content, { name: 'some/dir/' }), 400, 'Invalid filename');
    });

    it('answers 404 "SHA256 does not exist in our datastore" for an unknown or malformed sha256', async () => {
      expectError(await h.json(user, { sha256: sha256(uniqueId('never stored')) }), 404, SHA256_NOT_FOUND);
      expectError(await h.json(user, { sha256: 'not-a-sha256' }), 404, SHA256_NOT_FOUND);
      expectError(await h.json(user, { sha256: '../../etc/passwd', name: 'x' }), 404, SHA256_NOT_FOUND);
    });

    it('answers the same 404 for a stored file classified above the user, and ingests it for a cleared user', async () => {
      const secret = uniqueContent('amber-only');
      const first = ingestIdOf(await h.file(amber, secret, { name: 'secret.txt', params: { classification: 'TLP:AMBER' } }));
      expect((await h.task(first)).submission.params.classification).toBe('TLP:AMBER');
      // Not yet in `files` (the ingester records it): the pending sighting classifies it meanwhile.
      expect((await h.task(first)).file_sighting?.file.classification).toBe('TLP:AMBER');

      const before = await h.queued();
      expectError(await h.json(user, { sha256: sha256(secret) }), 404, SHA256_NOT_FOUND);
      expect(await h.queued()).toBe(before);

      // The cleared user may: the file's classification is the submission's minimum.
      const again = ingestIdOf(await h.json(amber, { sha256: sha256(secret) }));
      const task = await h.task(again);
      expect(task.submission.params.classification).toBe('TLP:AMBER');
      expect(task.submission.files).toEqual([{ name: sha256(secret), sha256: sha256(secret), size: secret.length }]);
    });

    it('takes no file guard for a sha256 ingest (nothing to commit): a deletion in progress does not hold it up', async () => {
      // The ingester checks the blob under the guard when it records the sighting; the request has nothing to
      // protect, so it neither waits for the deletion lock nor takes a sighting lease of its own.
      const guard = h.app.get(FileGuard);
      const token = uniqueId('deletion');
      expect(await guard.lockForDeletion([sha256(known)], token)).toEqual([sha256(known)]);
      try {
        const ingestId = ingestIdOf(await h.json(user, { sha256: sha256(known), name: 'again.txt' }));
        expect((await h.task(ingestId)).submission.files).toEqual([{ name: 'again.txt', sha256: sha256(known), size: known.length }]);
      } finally {
        await guard.unlockDeletion([sha256(known)], token);
      }
    });

    it('refuses URL submissions when ui.allow_url_submissions is false', async () => {
      expectError(await h.json(user, { url: 'http://example.com/sample.exe' }), 400, 'URL submissions are disabled in this system');
    });

    it('refuses a data block without binary, sha256 or url: "Missing file to scan..."', async () => {
      expectError(await h.json(user, { name: 'x.exe', notification_queue: 'nq1' }), 400, MISSING_FILE);
      expectError(await h.multipart(user, [{ name: 'json', body: '{"name":"x.exe","metadata":{}}' }]), 400, MISSING_FILE);
    });

    it('refuses an empty upload: "File empty. Ingestion failed", and keeps nothing', async () => {
      const before = await h.queued();
      expectError(await h.file(user, Buffer.alloc(0), { name: 'empty.txt' }), 400, 'File empty. Ingestion failed');
      await h.expectNothingKept(Buffer.alloc(0), before);
      expect(await h.filestore.exists(EMPTY_SHA256)).toBe(false);
    });

    it('refuses a generate_alert that is not a boolean', async () => {
      expectError(await h.json(user, { sha256: sha256(known), generate_alert: 'yes' }), 400, 'generate_alert should be a boolean');
      expectError(await h.json(user, { sha256: sha256(known), generate_alert: 1 }), 400, 'generate_alert should be a boolean');
      const content = uniqueContent('alert');
      await h.refusedUpload(content, () => h.file(user, content, { name: 'a.txt', generate_alert: 'true' }), 400, 'generate_alert should be a boolean');
    });

    it('refuses a file over submission.max_file_size with 413 "File too large (X > Y)", naming the real size', async () => {
      const over = Buffer.alloc(MAX_FILE + 1, 'a');
      await h.refusedUpload(over, () => h.file(user, over, { name: 'big.bin' }), 413, `File too large (${MAX_FILE + 1} > ${MAX_FILE}). Ingestion failed`);
      const far = Buffer.alloc(MAX_FILE * 5, 'b');
      await h.refusedUpload(far, () => h.file(user, far, { name: 'bigger.bin' }), 413, `File too large (${MAX_FILE * 5} > ${MAX_FILE}). Ingestion failed`);
      const exact = uniqueContent('exact');
      const atLimit = Buffer.concat([exact, Buffer.alloc(MAX_FILE - exact.length, 'c')]);
      const id = ingestIdOf(await h.file(user, atLimit, { name: 'limit.bin' }));
      expect((await h.task(id)).submission.files[0].size).toBe(MAX_FILE);
    });

    // The json part comes first, so the reader can lift the cap to api.max_upload_bytes for ignore_size.
    it('accepts a file over submission.max_file_size when params.ignore_size is true (seed: "and not ignore_size")', async () => {
      const over = Buffer.concat([uniqueContent('ignore-size'), Buffer.alloc(MAX_FILE, 'i')]);
      const id = ingestIdOf(await h.file(user, over, { name: 'big-ok.bin', params: { ignore_size: true } }));
      const task = await h.task(id);
      expect(task.submission.files[0]).toEqual({ name: 'big-ok.bin', sha256: sha256(over), size: over.length });
      expect(task.submission.params.ignore_size).toBe(true);
    });

    // A blob without a files document is measured like an upload, so the size limit applies to it too.
    it('applies the size limit to a sha256 whose blob is in the filestore without a document (seed: fileinfo computed, then checked)', async () => {
      const big = Buffer.concat([uniqueContent('blob-too-big'), Buffer.alloc(MAX_FILE, 'z')]);
      await h.filestore.put(sha256(big), Readable.from([big]));
      const before = await h.queued();
      expectError(await h.json(user, { sha256: sha256(big) }), 413, `File too large (${big.length} > ${MAX_FILE}). Ingestion failed`);
      expect(await h.files.findBySha256(sha256(big))).toBeNull();
      expect(await h.queued()).toBe(before);
      expect(h.stagingEntries()).toEqual([]);
    });

    it('requires a profile from a user without submission_customize, listing them all', async () => {
      const content = uniqueContent('profile');
      await h.refusedUpload(
        content,
        () => h.file(submitter, content, { name: 'p.txt' }),
        400,
        "You must specify a submission profile. One of: ['static', 'static_with_dynamic', 'static_with_internet']",
      );
      expectError(await h.json(submitter, { sha256: sha256(known), submission_profile: 'nope' }), 400, "Submission profile 'nope' does not exist");
    });

    it("applies a named profile for such a user: its services, the ingest's safe values", async () => {
      const id = ingestIdOf(await h.json(submitter, { sha256: sha256(known), submission_profile: 'static' }));
      const { params } = (await h.task(id)).submission;
      expect(params.services).toMatchObject({
        selected: expect.arrayContaining(['Static Analysis', 'Extraction']),
        excluded: expect.arrayContaining(['Dynamic Analysis', 'Internet Connected']),
      });
      expect(params).toMatchObject({ submitter: submitter.uname, deep_scan: false, priority: 150, type: 'INGEST' });
    });

    it('refuses metadata that breaks the configured scheme (required field of the type, integer check, not an object)', async () => {
      const sha = sha256(known);
      expectError(
        await h.json(user, { sha256: sha, type: 'CHECKED', metadata: { other: 'x' } }),
        400,
        "Required metadata is missing from submission: ['case_id']",
      );
      expectError(
        await h.json(user, { sha256: sha, type: 'CHECKED', metadata: { case_id: 'abc' } }),
        400,
        /^Validation of 'case_id' of type integer failed: /,
      );
      expectError(await h.json(user, { sha256: sha, metadata: 'a=b' }), 400, 'Metadata must be an object of key/value pairs');
      const id = ingestIdOf(await h.json(user, { sha256: sha, type: 'CHECKED', metadata: { case_id: 12 } }));
      expect((await h.task(id)).submission.metadata).toMatchObject({ case_id: '12', source: 'unknown', type: 'CHECKED' });
    });

    it('refuses a metadata value longer than submission.max_metadata_length, naming the flattened key', async () => {
      const long = 'x'.repeat(MAX_METADATA + 1);
      const content = uniqueContent('long-meta');
      await h.refusedUpload(
        content,
        () => h.file(user, content, { name: 'm.txt', metadata: { deep: { note: long } } }),
        400,
        `Metadata field 'deep.note' is too long (${MAX_METADATA + 1} > ${MAX_METADATA} characters)`,
      );
      const id = ingestIdOf(await h.json(user, { sha256: sha256(known), metadata: { note: 'x'.repeat(MAX_METADATA) } }));
      expect((await h.task(id)).submission.metadata.note).toHaveLength(MAX_METADATA);
    });

    it("refuses a classification above the user's clearance, and keeps nothing", async () => {
      const content = uniqueContent('too-high');
      await h.refusedUpload(content, () => h.file(user, content, { name: 'h.txt', params: { classification: 'TLP:AMBER' } }), 400, HIGHER_CLASSIFICATION);
      await h.refusedUpload(content, () => h.file(user, content, { name: 'h.txt', params: { classification: 'TLP:A+S' } }), 400, HIGHER_CLASSIFICATION);
      expectError(await h.json(user, { sha256: sha256(known), params: { classification: 'TLP:GREEN' } }), 400, HIGHER_CLASSIFICATION);
    });

    it('refuses a malformed top-level type, and validates metadata against a type set in params', async () => {
      const sha = sha256(known);
      expectError(await h.json(user, { sha256: sha, type: 'no spaces allowed' }), 400, 'type should be 1 to 64 letters, digits, dots, dashes or underscores');
      expectError(await h.json(user, { sha256: sha, params: { type: 'CHECKED' } }), 400, "Required metadata is missing from submission: ['case_id']");
    });

    it('refuses unknown submission parameters', async () => {
      expectError(await h.json(user, { sha256: sha256(known), params: { no_such_param: 1 } }), 400, 'Unknown submission parameters: "no_such_param"');
      expectError(await h.json(user, { sha256: sha256(known), params: ['deep_scan'] }), 400, 'params should be an object');
    });
  });

  describe('bodies that cannot be read', () => {
    const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { a: nested(depth - 1) });

    it('refuses invalid JSON with a 400 in the envelope', async () => {
      expectError(await h.raw(user, '{"name":'), 400, /^The JSON body is not valid JSON: /);
      expectError(await h.raw(user, "{'name': 'x'}"), 400, /^The JSON body is not valid JSON: /);
      expectError(await h.raw(user, '{"notification_threshold": NaN}'), 400, /^The JSON body is not valid JSON: /);
    });

    it('refuses a JSON body that is not UTF-8 (instead of replacing the bytes)', async () => {
      const body = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff, 0xfe]), Buffer.from('.exe","sha256":"x"}')]);
      expectError(await h.raw(user, body), 400, 'The JSON body is not valid UTF-8');
      const overlong = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')]);
      expectError(await h.raw(user, overlong), 400, 'The JSON body is not valid UTF-8');
    });

    it('refuses a JSON body that is not an object', async () => {
      expectError(await h.raw(user, `[{"sha256":"${sha256(known)}"}]`), 400, 'The JSON body must be a JSON object');
      expectError(await h.raw(user, '"sha256"'), 400, 'The JSON body must be a JSON object');
    });

    it('refuses a JSON body nested deeper than 32 levels, and reads one of exactly 32', async () => {
      const unknownSha = sha256(uniqueId('deep'));
      // root (1) + metadata (2) + 30 more = 32 levels: read, then refused for the unknown sha256.
      expectError(await h.json(user, { sha256: unknownSha, metadata: nested(31) }), 404, SHA256_NOT_FOUND);
      expectError(await h.json(user, { sha256: unknownSha, metadata: nested(32) }), 400, 'The JSON body is nested deeper than 32 levels');
      expectError(await h.json(user, { sha256: unknownSha, params: nested(200) }), 400, 'The JSON body is nested deeper than 32 levels');
    });

    it('refuses a JSON body over api.max_json_body with 413', async () => {
      const big = { sha256: sha256(known), metadata: { pad: 'p'.repeat(MAX_JSON) } };
      expectError(await h.json(user, big), 413, `The JSON body is larger than ${MAX_JSON} bytes`);
    });

    /** Runs `body` against the API on a real port (for requests supertest cannot make: chunked, aborted). */
    async function onPort<T>(body: (port: number) => Promise<T>): Promise<T> {
      const server: Server = createServer(h.app.getHttpAdapter().getInstance());
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        return await body((server.address() as AddressInfo).port);
      } finally {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    }

    it('refuses an over-size JSON body sent chunked (no Content-Length) with 413', async () => {
      await onPort(async (port) => {
        const answer = await new Promise<{ status: number; body: Record<string, unknown> }>((resolve, reject) => {
          const req = httpRequest(
            { host: '127.0.0.1', port, method: 'POST', path: '/api/v4/ingest/', headers: { ...user.headers, 'content-type': 'application/json' } },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (chunk: Buffer) => chunks.push(chunk));
              res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(Buffer.concat(chunks).toString()) }));
            },
          );
          req.on('error', reject);
          req.write(`{"sha256":"${sha256(known)}","metadata":{"pad":"`);
          for (let i = 0; i < 8; i++) req.write('q'.repeat(1024));
          req.end('"}}');
        });
        expect(answer).toEqual({
          status: 413,
          body: expect.objectContaining({ api_error_message: `The JSON body is larger than ${MAX_JSON} bytes`, api_status_code: 413 }),
        });
      });
    });

    it('refuses a multipart body without a boundary', async () => {
      expectError(await h.raw(user, 'whatever', 'multipart/form-data'), 400, /^Invalid multipart body: /);
    });

    // A truncated body must fail the staging stream too (else the request hangs and a rejection goes unhandled).
    it('answers a multipart body that ends inside the bin part with a 400, and keeps nothing', async () => {
      const content = uniqueContent('truncated');
      const { contentType, body } = multipart([
        { name: 'json', body: '{"name":"t.txt"}' },
        { name: 'bin', filename: 'bin', body: content },
      ]);
      const cut = body.subarray(0, body.indexOf(content) + 10); // no closing boundary
      await h.isolatingStaging(async () => {
        await h.refusedUpload(content, () => h.post(user).set('content-type', contentType).send(cut).timeout(5000), 400, /^Invalid multipart body: /);
      });
    });

    // pipeline(request, parser): a client that goes away must end the parse and free what was staged.
    it('keeps nothing staged when the client goes away in the middle of the bin part', async () => {
      await h.isolatingStaging(() => onPort(async (port) => {
        const { contentType, body } = multipart([
          { name: 'json', body: '{"name":"gone.txt"}' },
          { name: 'bin', filename: 'bin', body: Buffer.alloc(MAX_FILE - 100, 'g') },
        ]);
        const req = httpRequest({
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/api/v4/ingest/',
          headers: { ...user.headers, 'content-type': contentType, 'content-length': String(body.length) },
        });
        req.on('error', () => undefined);
        req.write(body.subarray(0, body.length - 500));
        // Let the upload reach staging, then drop the connection.
        for (let i = 0; i < 50 && h.stagingEntries().length === 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(h.stagingEntries()).toHaveLength(1);
        req.destroy();
        for (let i = 0; i < 100 && h.stagingEntries().length > 0; i++) await new Promise((r) => setTimeout(r, 20));
        expect(h.stagingEntries()).toEqual([]);
      }));
    });

    it.each([
      ['invalid JSON', '{"name":', /^The json part is not valid JSON: /],
      ['not UTF-8', Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xff]), Buffer.from('"}')]), 'The json part is not valid UTF-8'],
      ['a JSON array', '[{"name":"a.txt"}]', 'The json part must be a JSON object'],
      ['nested deeper than 32 levels', JSON.stringify({ name: 'a.txt', metadata: nested(40) }), 'The json part is nested deeper than 32 levels'],
      ['larger than api.max_json_body', JSON.stringify({ name: 'a.txt', metadata: { pad: 'p'.repeat(MAX_JSON) } }), `The json part is larger than ${MAX_JSON} bytes`],
    ])('refuses a multipart json part that is %s, and discards the upload', async (_label, json, message) => {
      const content = uniqueContent('bad-json-part');
      await h.refusedUpload(
        content,
        () => h.multipart(user, [{ name: 'json', body: json }, { name: 'bin', filename: 'a.txt', body: content }]),
        400,
        message,
      );
    });

    it('refuses unexpected multipart parts, and discards the upload', async () => {
      const content = uniqueContent('extra-part');
      const json = { name: 'json', body: '{"name":"a.txt"}' };
      await h.refusedUpload(
        content,
        () => h.multipart(user, [json, { name: 'bin', filename: 'a.txt', body: content }, { name: 'other', body: 'x' }]),
        400,
        'Unknown part "other": expected json and bin',
      );
      await h.refusedUpload(
        content,
        () => h.multipart(user, [json, { name: 'bin', filename: 'a.txt', body: content }, { name: 'bin', filename: 'b.txt', body: content }]),
        400,
        'Only one bin part is allowed',
      );
    });
  });

  describe('authentication and roles', () => {
    it('answers 401 "Session not found" without credentials, and reads nothing', async () => {
      const content = uniqueContent('anonymous');
      await h.refusedUpload(content, () => h.file(null, content, { name: 'a.txt' }), 401, 'Session not found');
      expectError(await h.json(null, { sha256: sha256(known) }), 401, 'Session not found');
      expectError(await h.json(null, { sha256: sha256(known) }).set({ 'x-user': user.uname, 'x-apikey': 'testkey:wrong' }), 401, 'Invalid user or APIKey');
    });

    it('answers 403 naming submission_create to a user without it', async () => {
      const content = uniqueContent('viewer');
      const message = `User '${viewer.uname}' does not have the 'submission_create' role required by this API`;
      await h.refusedUpload(content, () => h.file(viewer, content, { name: 'a.txt' }), 403, message);
      expectError(await h.json(viewer, { sha256: sha256(known) }), 403, message);
    });
  });

  describe('the Python client: login, then the session cookie and X-XSRF-TOKEN only', () => {
    async function loggedIn(credentials: Record<string, string>) {
      const agent = request.agent(h.server);
      const login = await agent.post('/api/v4/auth/login/').send(credentials);
      expect(login.status).toBe(200);
      expect(login.body.api_response).toMatchObject({ username: credentials.user, session_duration: expect.any(Number) });
      const cookies = ([] as string[]).concat(login.headers['set-cookie'] ?? []);
      const xsrf = cookies.find((cookie) => cookie.startsWith('XSRF-TOKEN='))!.split(';')[0].slice('XSRF-TOKEN='.length);
      expect(xsrf).not.toBe('');
      return { agent, xsrf };
    }

    async function ingestAsClient(agent: ReturnType<typeof request.agent>, xsrf: string, content: Buffer) {
      const { contentType, body } = multipart([
        { name: 'json', body: JSON.stringify({ name: 'real-name.exe', type: 'AL_CLIENT', metadata: {} }) },
        { name: 'bin', filename: 'bin', body: content },
      ]);
      return agent.post('/api/v4/ingest/').set('X-XSRF-TOKEN', xsrf).set('content-type', contentType).send(body);
    }

    async function expectClientTask(ingestId: string, content: Buffer) {
      const { submission } = await h.task(ingestId);
      expect(submission.files).toEqual([{ name: 'real-name.exe', sha256: sha256(content), size: content.length }]);
      expect(submission.metadata.type).toBe('AL_CLIENT');
      expect(submission.params.type).toBe('AL_CLIENT');
      expect(submission.params.description).toBe('[AL_CLIENT] Inspection of file: real-name.exe');
    }

    it('logs in by API key and ingests: the json name wins over the bin filename', async () => {
      const { agent, xsrf } = await loggedIn({ user: user.uname, apikey: user.apikey });
      const content = uniqueContent('client-apikey');
      await expectClientTask(ingestIdOf(await ingestAsClient(agent, xsrf, content)), content);
    });

    it('logs in by password and ingests', async () => {
      const withPassword = await addUserWithKey(h.app, { password: 'correct horse battery' });
      const { agent, xsrf } = await loggedIn({ user: withPassword.uname, password: 'correct horse battery' });
      const content = uniqueContent('client-password');
      const id = ingestIdOf(await ingestAsClient(agent, xsrf, content));
      await expectClientTask(id, content);
      expect((await h.task(id)).submission.params.submitter).toBe(withPassword.uname);
    });

    it('refuses a session write without the X-XSRF-TOKEN header, and keeps nothing', async () => {
      const { agent } = await loggedIn({ user: user.uname, apikey: user.apikey });
      const content = uniqueContent('no-xsrf');
      const { contentType, body } = multipart([
        { name: 'json', body: '{"name":"a.txt"}' },
        { name: 'bin', filename: 'bin', body: content },
      ]);
      await h.refusedUpload(
        content,
        () => agent.post('/api/v4/ingest/').set('content-type', contentType).send(body),
        403,
        'Invalid or missing X-XSRF-TOKEN header',
      );
    });
  });

  describe('what a successful ingest queues and stores', () => {
    it('queues the task: sid, file, flattened metadata, system params, notification', async () => {
      const content = uniqueContent('shape');
      const before = await h.queued();
      const response = await h.file(
        user,
        content,
        {
          name: '../../tmp/evil name.exe',
          metadata: { a: { b: 'c' }, n: 5, flag: true },
          params: { description: 'my own description', submitter: 'someone-else', priority: 100 },
          notification_queue: 'nq_shape',
          notification_threshold: 500,
          generate_alert: true,
        },
        'ignored.bin',
      );
      const id = ingestIdOf(response);
      expect(await h.queued()).toBe(before + 1);
      const task = await h.task(id);
      expect(task).toMatchObject({ ingest_id: id, retries: 0, failure: '', extended_scan: 'submitted', quota_held: false });
      expect(new Date(task.ingest_time).getTime()).toBeGreaterThan(Date.now() - 60_000);
      const { submission } = task;
      expect(submission.sid).toBe(id);
      expect(submission.files).toEqual([{ name: 'evil name.exe', sha256: sha256(content), size: content.length }]);
      expect(submission.notification).toEqual({ queue: 'nq_shape', threshold: 500 });
      expect(submission.metadata).toEqual({
        'a.b': 'c',
        n: '5',
        flag: 'true',
        source: 'unknown',
        ingest_id: id,
        type: 'INGEST',
        ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/),
      });
      expect(submission.params).toMatchObject({
        submitter: user.uname,
        description: 'my own description',
        priority: 100,
        generate_alert: true,
        deep_scan: false,
        ignore_cache: false,
        ignore_filtering: false,
        ignore_dynamic_recursion_prevention: false,
        classification: 'TLP:CLEAR',
        type: 'INGEST',
        max_extracted: h.config.core.ingester.default_max_extracted,
        max_supplementary: h.config.core.ingester.default_max_supplementary,
        ttl: h.config.submission.dtl,
      });
    });

    it('defaults: description from type and name, priority 150, no notification, a submitted ts kept', async () => {
      const id = ingestIdOf(await h.json(user, { sha256: sha256(known), name: 'k.txt', metadata: { ts: '2020-01-02T03:04:05Z' } }));
      const { submission } = await h.task(id);
      expect(submission.params).toMatchObject({ description: '[INGEST] Inspection of file: k.txt', priority: 150, generate_alert: false });
      expect(submission.notification).toEqual({ queue: null, threshold: null });
      expect(submission.metadata.ts).toBe('2020-01-02T03:04:05Z');
    });

    it('caps the priority at ui.ingest_max_priority', async () => {
      expect(h.config.ui.ingest_max_priority).toBe(250);
      const id = ingestIdOf(await h.json(user, { sha256: sha256(known), params: { priority: 1400 } }));
      expect((await h.task(id)).submission.params.priority).toBe(250);
    });

    it("resets the user's saved dangerous settings, keeps the others, and lets request params set them", async () => {
      const saved = await addUserWithKey(h.app, {
        submission_settings: {
          default: { deep_scan: true, ignore_cache: true, ignore_filtering: true, priority: 1000, ttl: 7, generate_alert: true, description: 'saved' },
        },
      });
      const plain = await h.task(ingestIdOf(await h.json(saved, { sha256: sha256(known), name: 'a.txt' })));
      expect(plain.submission.params).toMatchObject({
        deep_scan: false,
        ignore_cache: false,
        ignore_filtering: false,
        priority: 150,
        ttl: 7,
        generate_alert: true,
        description: 'saved',
      });
      const asked = await h.task(
        ingestIdOf(await h.json(saved, { sha256: sha256(known), params: { deep_scan: true, ignore_cache: true, priority: 200 }, generate_alert: false })),
      );
      expect(asked.submission.params).toMatchObject({ deep_scan: true, ignore_cache: true, ignore_filtering: false, priority: 200, generate_alert: false });
    });

    it('stores the blob and queues the sighting of the file for the ingester, unidentified, writing no files document on the request path', async () => {
      const content = uniqueContent('stored');
      const sha = sha256(content);
      const first = await h.task(ingestIdOf(await h.file(user, content, { name: 'stored.txt' })));
      expect(await h.filestore.exists(sha)).toBe(true);
      expect(h.stagingEntries()).toEqual([]);
      expect(first.file_sighting).toEqual({
        file: {
          sha256: sha,
          md5: createHash('md5').update(content).digest('hex'),
          sha1: createHash('sha1').update(content).digest('hex'),
          size: content.length,
          entropy: expect.any(Number),
          // No type, magic or mime: the ingester identifies the stored blob (test/ingester.e2e-spec.ts).
          classification: 'TLP:CLEAR',
        },
        seen_at: first.ingest_time,
        expiry: expect.any(String),
      });
      // The ingester writes the document (test/ingester.e2e-spec.ts); until then the sighting is pending.
      expect(await h.files.findBySha256(sha)).toBeNull();

      const second = await h.task(ingestIdOf(await h.file(amber, content, { name: 'again.txt', params: { classification: 'TLP:AMBER' } })));
      expect(second.file_sighting?.file).toMatchObject({ sha256: sha, classification: 'TLP:AMBER' });
      expect(h.stagingEntries()).toEqual([]);
    });

    it("commits an upload under the file's guard and ends the sighting with its pending record: the guard is free, the sighting pending", async () => {
      const content = uniqueContent('guarded');
      const sha = sha256(content);
      ingestIdOf(await h.file(user, content, { name: 'guarded.txt' }));
      expect(await h.app.get(PendingFiles).lookUp(sha)).toEqual([expect.objectContaining({ sha256: sha, classification: 'TLP:CLEAR' })]);
      // The sighting's lease went in the MULTI that wrote the record: a deletion may lock the file at once.
      const guard = h.app.get(FileGuard);
      const token = uniqueId('deletion');
      expect(await guard.lockForDeletion([sha], token)).toEqual([sha]);
      await guard.unlockDeletion([sha], token);
    });

    it('ingests a sha256 that is in the filestore without a document, measuring it for the ingester to record', async () => {
      const content = uniqueContent('blob-only');
      const sha = sha256(content);
      await h.filestore.put(sha, Readable.from([content]));
      const id = ingestIdOf(await h.json(user, { sha256: sha.toUpperCase(), name: 'blob.txt' }));
      expect((await h.task(id)).submission.files).toEqual([{ name: 'blob.txt', sha256: sha, size: content.length }]);
      expect((await h.task(id)).file_sighting?.file).toMatchObject({ sha256: sha, size: content.length, type: expect.stringMatching(/^text\//) });
      expect(h.stagingEntries()).toEqual([]);
    });

    it('ignores unknown query parameters', async () => {
      const content = uniqueContent('query');
      const id = ingestIdOf(await h.multipart(user, [{ name: 'json', body: '{"name":"q.txt"}' }, { name: 'bin', filename: 'bin', body: content }], '/api/v4/ingest/?self=%3Cassemblyline_client.Client%3E&x=1'));
      expect((await h.task(id)).submission.files[0]).toEqual({ name: 'q.txt', sha256: sha256(content), size: content.length });
      ingestIdOf(await h.post(user, '/api/v4/ingest/?self=x').send({ sha256: sha256(known) }));
    });
  });

  describe('Idempotency-Key', () => {
    it('answers a repeated key with the first ingest_id, queues one task, and marks the replay', async () => {
      const key = uniqueId('idem');
      const content = uniqueContent('idempotent');
      const before = await h.queued();
      const first = await h.file(user, content, { name: 'i.txt' }).set('Idempotency-Key', key);
      const id = ingestIdOf(first);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const second = await h.file(user, content, { name: 'i.txt' }).set('Idempotency-Key', key);
      expect(ingestIdOf(second)).toBe(id);
      expect(second.headers['idempotent-replayed']).toBe('true');
      const third = await h.json(user, { sha256: sha256(content) }).set('Idempotency-Key', key);
      expect(ingestIdOf(third)).toBe(id);
      expect(await h.queued()).toBe(before + 1);
      expect((await h.task(id)).file_sighting?.file.sha256).toBe(sha256(content));
    });

    it('keeps keys per user', async () => {
      const key = uniqueId('shared');
      const other = await addUserWithKey(h.app);
      const mine = ingestIdOf(await h.json(user, { sha256: sha256(known) }).set('Idempotency-Key', key));
      const theirs = await h.json(other, { sha256: sha256(known) }).set('Idempotency-Key', key);
      expect(ingestIdOf(theirs)).not.toBe(mine);
      expect(theirs.headers['idempotent-replayed']).toBeUndefined();
      expect((await h.task(ingestIdOf(theirs))).submission.params.submitter).toBe(other.uname);
    });

    it.each([
      ['with a space', 'my key'],
      ['over 255 characters', 'k'.repeat(256)],
      ['empty', ''],
      ['non-ASCII', 'clé'],
    ])('refuses a key %s with 400, before reading the upload', async (_label, key) => {
      const content = uniqueContent('bad-key');
      await h.refusedUpload(
        content,
        () => h.file(user, content, { name: 'k.txt' }).set('Idempotency-Key', key),
        400,
        'Idempotency-Key must be 1 to 255 printable ASCII characters without spaces',
      );
    });

    it('accepts a key of 255 printable characters', async () => {
      ingestIdOf(await h.json(user, { sha256: sha256(known) }).set('Idempotency-Key', `${uniqueId('long')}`.padEnd(255, '~')));
    });

    it('does not keep the answer of a refused request: the corrected retry ingests', async () => {
      const key = uniqueId('retry');
      const content = uniqueContent('retry');
      expectError(await h.json(user, { metadata: {} }).set('Idempotency-Key', key), 400, 'Filename missing');
      await h.refusedUpload(content, () => h.file(user, content, { name: 'dir/' }).set('Idempotency-Key', key), 400, 'Invalid filename');
      expectError(await h.json(user, { sha256: sha256(content) }).set('Idempotency-Key', key), 404, SHA256_NOT_FOUND);
      const retried = await h.file(user, content, { name: 'fixed.txt' }).set('Idempotency-Key', key);
      const id = ingestIdOf(retried);
      expect(retried.headers['idempotent-replayed']).toBeUndefined();
      expect((await h.task(id)).submission.files[0].name).toBe('fixed.txt');
    });

    it('lets only one of two concurrent requests with the same key ingest', async () => {
      const key = uniqueId('race');
      const content = uniqueContent('race');
      const before = await h.queued();
      const answers = await Promise.all([0, 1].map(() => h.file(user, content, { name: 'r.txt' }).set('Idempotency-Key', key).then((r) => r)));
      const ok = answers.filter((answer) => answer.status === 200);
      const ids = new Set(ok.map((answer) => answer.body.api_response.ingest_id));
      expect(ids.size).toBe(1);
      for (const answer of answers.filter((a) => a.status !== 200)) {
        expectError(answer, 409, 'A request with this Idempotency-Key is still in progress; retry later');
      }
      expect(await h.queued()).toBe(before + 1);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Quotas (ui.enforce_quota on)
// ---------------------------------------------------------------------------------------------------------------

describe('POST /api/v4/ingest/ with submission quotas enforced', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await new Harness(
      isolatedConfig('ingest-quota', {
        classification: enforcedClassificationFile(),
        // Submit's quota of 1 is not the one ingest takes (see the async quota tests in test/quotas.e2e-spec.ts).
        ui: { enforce_quota: true, default_quotas: { concurrent_submissions: 1, concurrent_async_submissions: 1, daily_submissions: 0 } },
      }),
    ).start();
    expect(h.quotas.enforced).toBe(true);
  });

  afterAll(async () => {
    await h?.stop();
  });

  it('refuses past the async quota with 503, keeping nothing; the slot is held by the ingest_id', async () => {
    const who = await addUserWithKey(h.app);
    const first = uniqueContent('concurrent-1');
    const response = await h.file(who, first, { name: 'one.txt' });
    const id = ingestIdOf(response);
    expect(response.headers['x-remaining-quota-submission']).toBeUndefined(); // no daily limit
    expect((await h.task(id)).quota_held).toBe(true);
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 1, daily: 1 });
    expect((await h.quotas.usage(who.uname, 'submit')).concurrent).toBe(0);

    const second = uniqueContent('concurrent-2');
    await h.refusedUpload(second, () => h.file(who, second, { name: 'two.txt' }), 503, "You've exceeded your maximum async concurrent submission quota of 1");
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 1, daily: 1 });

    // Once the ingester releases the first, the next one goes through.
    expect(await h.quotas.release(who.uname, id, 'async')).toBe(true);
    ingestIdOf(await h.file(who, second, { name: 'two.txt' }));
  });

  it('lets exactly the quota through when ingests race', async () => {
    const who = await addUserWithKey(h.app, { submission_async_quota: 2, submission_daily_quota: 0 });
    const contents = [0, 1, 2, 3, 4].map((i) => uniqueContent(`race-${i}`));
    const answers = await Promise.all(contents.map((content, i) => h.file(who, content, { name: `r${i}.txt` }).then((r) => r)));
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 503, 503, 503]);
    for (const answer of answers.filter((a) => a.status === 503)) {
      expectError(answer, 503, "You've exceeded your maximum async concurrent submission quota of 2");
    }
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 2, daily: 2 });
    expect(h.stagingEntries()).toEqual([]);
    const kept = await Promise.all(contents.map((content) => h.filestore.exists(sha256(content))));
    expect(kept.filter(Boolean)).toHaveLength(2);
  });

  it('refuses past the daily quota with a 503 the Python client does not retry, and sends an integer remaining count', async () => {
    const who = await addUserWithKey(h.app, { submission_async_quota: 0, submission_daily_quota: 2 });
    const one = await h.file(who, uniqueContent('daily-1'), { name: 'a.txt' });
    ingestIdOf(one);
    expect(one.headers['x-remaining-quota-submission']).toBe('1');
    const two = await h.file(who, uniqueContent('daily-2'), { name: 'b.txt' });
    ingestIdOf(two);
    expect(two.headers['x-remaining-quota-submission']).toBe('0');

    const third = uniqueContent('daily-3');
    const refused = await h.refusedUpload(third, () => h.file(who, third, { name: 'c.txt' }), 503, "You've reached your daily maximum submission quota of 2");
    expect(refused.body.api_error_message).toMatch(/daily/);
    expect(refused.body.api_error_message).toMatch(/quota/);
    expect(refused.headers['x-remaining-quota-submission']).toMatch(/^\d+$/);
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 2, daily: 2 });
  });

  it('takes no quota for a refused ingest', async () => {
    const who = await addUserWithKey(h.app, { submission_async_quota: 0, submission_daily_quota: 5 });
    const content = uniqueContent('refused');
    expectError(await h.json(who, { metadata: {} }), 400, 'Filename missing');
    await h.refusedUpload(content, () => h.file(who, content, { name: 'h.txt', params: { classification: 'TLP:AMBER' } }), 400, HIGHER_CLASSIFICATION);
    await h.refusedUpload(Buffer.alloc(0), () => h.file(who, Buffer.alloc(0), { name: 'e.txt' }), 400, 'File empty. Ingestion failed');
    await h.refusedUpload(content, () => h.file(who, content, { name: 'g.txt', generate_alert: 'no' }), 400, 'generate_alert should be a boolean');
    expectError(await h.json(who, { sha256: sha256(uniqueId('nothing')) }), 404, SHA256_NOT_FOUND);
    expectError(await h.raw(who, '{"name":'), 400, /^The JSON body is not valid JSON/);
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 0, daily: 0 });

    const ok = await h.file(who, content, { name: 'ok.txt' });
    ingestIdOf(ok);
    expect(ok.headers['x-remaining-quota-submission']).toBe('4');
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 1, daily: 1 });
  });

  it('takes no quota for an idempotent replay, and a key refused for quota can be retried', async () => {
    const who = await addUserWithKey(h.app, { submission_async_quota: 1, submission_daily_quota: 5 });
    const key = uniqueId('quota-key');
    const content = uniqueContent('quota-idem');
    const id = ingestIdOf(await h.file(who, content, { name: 'q.txt' }).set('Idempotency-Key', key));
    const replay = await h.file(who, content, { name: 'q.txt' }).set('Idempotency-Key', key);
    expect(ingestIdOf(replay)).toBe(id);
    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(await h.quotas.usage(who.uname, 'async')).toEqual({ concurrent: 1, daily: 1 });

    const other = uniqueId('quota-key');
    const more = uniqueContent('quota-more');
    await h.refusedUpload(more, () => h.file(who, more, { name: 'm.txt' }).set('Idempotency-Key', other), 503, "You've exceeded your maximum async concurrent submission quota of 1");
    await h.quotas.release(who.uname, id, 'async');
    const retried = await h.file(who, more, { name: 'm.txt' }).set('Idempotency-Key', other);
    expect(ingestIdOf(retried)).not.toBe(id);
    expect(retried.headers['idempotent-replayed']).toBeUndefined();
  });
});
