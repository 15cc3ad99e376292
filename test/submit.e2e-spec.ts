import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { createCartEncoder } from '@hopper/identify';
import { toBullmqPriority } from '@hopper/ingest-policy';
import { DispatchTask, QueueName, SubmissionCompletion, SubmissionQuotas } from '@hopper/queues';
import { FlowUploads } from '../apps/api/src/submit/flowjs/flow-uploads';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { RouteServer } from './support/route-server';
import { isolatedConfig, uniqueId } from './support/test-env';

// ---------------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------------

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
/** Bytes nobody else submits, so the filestore and the files collection say something about this test only. */
const uniqueContent = (label: string) => Buffer.from(`${label} ${uniqueId('content')}\n`);

const HIGHER_SCAN = "You cannot start a scan with higher classification then you're allowed to see";
const NOT_ALLOWED_TO_RESUBMIT = "You are not allowed to re-submit a submission that you don't have access to";
const fileNotFound = (hash: string) => `File ${hash} cannot be found on the server therefore it cannot be resubmitted.`;
const BUNDLE_REFUSED =
  'This file is an Assemblyline bundle (archive/bundle/al): Hopper does not import Assemblyline bundles. Submit the files it holds instead.';

async function cartOf(content: Buffer, header: Record<string, unknown>): Promise<Buffer> {
  const encoder = createCartEncoder({ header });
  const parts: Buffer[] = [];
  await pipeline(Readable.from([content]), encoder.stream, new Writable({ write: (chunk, _e, done) => (parts.push(chunk), done()) }));
  return Buffer.concat(parts);
}

/** The Assemblyline envelope of an error, whole (`api_response` null unless the route sends one). */
function expectError(response: request.Response, status: number, message: string | RegExp, apiResponse: unknown = null): void {
  expect({ status: response.status, body: response.body }).toEqual({
    status,
    body: {
      api_response: apiResponse,
      api_error_message: typeof message === 'string' ? message : expect.stringMatching(message),
      api_server_version: expect.stringMatching(/^hopper-/),
      api_status_code: status,
    },
  });
}

/** The Submission of a successful answer (status and envelope checked). */
function submissionOf(response: request.Response): Record<string, any> {
  expect({ status: response.status, error: response.body.api_error_message }).toEqual({ status: 200, error: '' });
  return response.body.api_response;
}

/** One API application on an isolated configuration, with direct handles on what submit writes. */
class Harness {
  app!: INestApplication;
  files!: FilesRepository;
  submissions!: SubmissionsRepository;
  filestore!: Filestore;
  quotas!: SubmissionQuotas;
  flows!: FlowUploads;
  /** The dispatch queue as the dispatcher sees it: by name and prefix, on a connection of its own. */
  dispatch!: Queue<DispatchTask>;
  complete!: Queue<SubmissionCompletion>;
  redis!: IORedis;

  constructor(readonly config: HopperConfig) {}

  async start(): Promise<this> {
    this.app = await startApi(this.config);
    this.files = this.app.get(FilesRepository);
    this.submissions = this.app.get(SubmissionsRepository);
    this.filestore = this.app.get(FILESTORE);
    this.quotas = this.app.get(SubmissionQuotas);
    this.flows = this.app.get(FlowUploads);
    this.redis = new IORedis(this.config.redis.url, { maxRetriesPerRequest: null });
    this.dispatch = new Queue(QueueName.Dispatch, { connection: this.redis, prefix: this.config.redis.prefix });
    this.complete = new Queue(QueueName.Complete, { connection: this.redis, prefix: this.config.redis.prefix });
    return this;
  }

  async stop(): Promise<void> {
    if (!this.app) return;
    for (const queue of [this.dispatch, this.complete]) {
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
    }
    // Every key of the deployment starts with its prefix (RedisKeys), hash tag included.
    const keys = await this.redis.keys(`${this.config.redis.prefix}:*`);
    if (keys.length) await this.redis.del(...keys);
    await this.redis.quit();
    await this.files.model.db.dropDatabase();
    await this.app.close();
    rmSync(this.config.filestore.local.path, { recursive: true, force: true });
  }

  get server() {
    return this.app.getHttpServer();
  }

  json(who: TestUser, body: unknown, path = '/api/v4/submit/'): request.Test {
    return request(this.server).post(path).set(who.headers).send(body as object);
  }

  /** `json` part then `bin` part, as the Python client sends a file. */
  file(who: TestUser, content: Buffer, json: unknown, filename = 'bin'): request.Test {
    return request(this.server).post('/api/v4/submit/').set(who.headers).field('json', JSON.stringify(json)).attach('bin', content, filename);
  }

  get(who: TestUser, path: string): request.Test {
    return request(this.server).get(path).set(who.headers).set('content-type', 'application/json');
  }

  async job(sid: string) {
    const job = await this.dispatch.getJob(sid);
    expect(job?.id).toBe(sid);
    return job!;
  }

  stagingEntries(): string[] {
    const staging = join(this.config.filestore.local.path, '.staging');
    return existsSync(staging) ? readdirSync(staging) : [];
  }

  /** What a refusal must leave as it was: queued tasks, submission documents, staged bytes, the user's quota. */
  async snapshot(who: TestUser) {
    return {
      queued: await this.dispatch.count(),
      submissions: await this.submissions.model.countDocuments().exec(),
      staged: this.stagingEntries(),
      quota: await this.quotas.usage(who.uname),
    };
  }

  /** Sends `send()`, expects the refusal, then that nothing was kept: no blob or document of `content` either. */
  async refused(
    who: TestUser,
    send: () => request.Test,
    status: number,
    message: string | RegExp,
    content: Buffer | null = null,
    apiResponse: unknown = null,
  ): Promise<request.Response> {
    const before = await this.snapshot(who);
    const response = await send();
    expectError(response, status, message, apiResponse);
    expect(await this.snapshot(who)).toEqual({ ...before, staged: [] });
    if (content) {
      expect(await this.filestore.exists(sha256(content))).toBe(false);
      expect(await this.files.findBySha256(sha256(content))).toBeNull();
    }
    return response;
  }

  /** The caller's flow.js chunk `n` (1-based) of `content` cut in `size`-byte chunks. */
  chunk(who: TestUser, identifier: string, content: Buffer, size: number, n: number, extra: Record<string, string> = {}): request.Test {
    const total = Math.ceil(content.length / size);
    const bytes = content.subarray((n - 1) * size, n * size);
    let test = request(this.server).post('/api/v4/ui/flowjs/').set(who.headers);
    const fields: Record<string, string> = {
      flowChunkNumber: String(n),
      flowChunkSize: String(size),
      flowCurrentChunkSize: String(bytes.length),
      flowTotalSize: String(content.length),
      flowIdentifier: identifier,
      flowFilename: 'upload.bin',
      flowRelativePath: 'upload.bin',
      flowTotalChunks: String(total),
      ...extra,
    };
    for (const [name, value] of Object.entries(fields)) test = test.field(name, value);
    return test.attach('file', bytes, 'blob');
  }

  checkChunk(who: TestUser, identifier: string, content: Buffer, size: number, n: number): request.Test {
    return request(this.server)
      .get('/api/v4/ui/flowjs/')
      .set(who.headers)
      .query({
        flowChunkNumber: n,
        flowChunkSize: size,
        flowCurrentChunkSize: Math.min(size, content.length - (n - 1) * size),
        flowTotalSize: content.length,
        flowIdentifier: identifier,
        flowFilename: 'upload.bin',
        flowTotalChunks: Math.ceil(content.length / size),
      });
  }

  /** Uploads every chunk of `content` (in the given order, default 1..n). */
  async upload(who: TestUser, identifier: string, content: Buffer, size: number, order?: number[]): Promise<void> {
    const total = Math.ceil(content.length / size);
    for (const n of order ?? Array.from({ length: total }, (_, i) => i + 1)) {
      await this.chunk(who, identifier, content, size, n).expect(200);
    }
  }

  startUpload(who: TestUser, uiSid: string, body: Record<string, unknown>): request.Test {
    return request(this.server).post(`/api/v4/ui/start/${uiSid}/`).set(who.headers).send(body);
  }

  async chunkBlobsLeft(who: TestUser, uiSid: string, total: number): Promise<boolean[]> {
    return Promise.all(Array.from({ length: total }, (_, i) => this.filestore.exists(this.flows.chunkBlobKey(who.uname, uiSid, i + 1))));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The routes (quotas counted but unlimited, so every test can see what a request holds)
// ---------------------------------------------------------------------------------------------------------------

const MAX_FILE = 4096;
const MAX_DTL = 60;

describe('submit, resubmit and the UI upload (Assemblyline v4)', () => {
  let h: Harness;
  let web: RouteServer;
  let user: TestUser;
  let amber: TestUser;
  let submitter: TestUser;
  let viewer: TestUser;

  beforeAll(async () => {
    web = await new RouteServer().on('/files/sample.js', (_req, res) => res.writeHead(200).end('var a = "hopper submit url";\n')).start();
    h = await new Harness(
      isolatedConfig('submit', {
        classification: join(__dirname, 'fixtures/classification/enforced.yml'),
        ui: { enforce_quota: true, allow_url_submissions: true, default_quotas: { concurrent_submissions: 0, daily_submissions: 0 } },
        submission: {
          max_file_size: MAX_FILE,
          dtl: 30,
          max_dtl: MAX_DTL,
          metadata: { submit: { case_id: { validator_type: 'integer' } } },
        },
        file_sources: { allow_networks: ['127.0.0.1/32'], allowed_ports: [web.port] },
      }),
    ).start();
    expect(h.config.filestore.backend).toBe('local');
    user = await addUserWithKey(h.app);
    amber = await addUserWithKey(h.app, { classification: 'TLP:AMBER' });
    submitter = await addUserWithKey(h.app, { type: ['submitter'] });
    viewer = await addUserWithKey(h.app, { type: ['viewer'] });
  });

  afterAll(async () => {
    await h?.stop();
    await web?.stop();
  });

  describe('POST /api/v4/submit/', () => {
    it('submits an upload: the Submission answered, its document created, its dispatch task queued, a quota slot held under its sid', async () => {
      const content = uniqueContent('upload');
      const before = await h.quotas.usage(user.uname);
      const answer = submissionOf(await h.file(user, content, { name: 'sample.txt', metadata: { case_id: 42 } }));
      const sid = answer.sid as string;

      expect(answer).toEqual({
        archive_ts: null,
        archived: false,
        classification: 'TLP:CLEAR',
        error_count: 0,
        errors: [],
        expiry_ts: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        file_count: 1,
        files: [{ name: 'sample.txt', sha256: sha256(content), size: content.length }],
        from_archive: false,
        max_score: 0,
        metadata: { case_id: '42' },
        params: expect.objectContaining({
          submitter: user.uname,
          quota_item: true,
          description: 'Inspection of file: sample.txt',
          priority: 1000,
          ttl: 30,
          type: 'USER',
          classification: 'TLP:CLEAR',
        }),
        results: [],
        sid: expect.stringMatching(/^[0-9A-Za-z]{10,}$/),
        state: 'submitted',
        times: { submitted: expect.stringMatching(/Z$/), completed: null },
        to_be_deleted: false,
        // Assemblyline 4.5+ Submission field; Hopper records no tracing events.
        tracing_events: [],
        verdict: { malicious: [], non_malicious: [] },
        scan_key: null,
      });
      // ttl 30 days from submission.
      const days = (Date.parse(answer.expiry_ts) - Date.parse(answer.times.submitted)) / 86_400_000;
      expect(days).toBeCloseTo(30, 5);

      const stored = (await h.submissions.findBySid(sid)) as SubmissionRecord;
      expect(stored).toMatchObject({
        sid,
        state: 'submitted',
        scan_key: null,
        classification: 'TLP:CLEAR',
        files: [{ name: 'sample.txt', sha256: sha256(content), size: content.length }],
        file_count: 1,
        metadata: { case_id: '42' },
        params: { submitter: user.uname, quota_item: true, description: 'Inspection of file: sample.txt' },
      });
      expect(stored.times.submitted.toISOString()).toBe(answer.times.submitted);

      const job = await h.job(sid);
      expect(job.data).toEqual({ sid, scan_key: null, submitter: user.uname });
      expect(job.opts.priority).toBe(toBullmqPriority(1000));

      expect(await h.filestore.exists(sha256(content))).toBe(true);
      expect((await h.files.findBySha256(sha256(content)))?.classification).toBe('TLP:CLEAR');
      expect(await h.quotas.usage(user.uname)).toEqual({ concurrent: before.concurrent + 1, daily: before.daily + 1 });
      expect(h.stagingEntries()).toEqual([]);
      // The slot is the sid's: releasing it under that id frees it.
      expect(await h.quotas.release(user.uname, sid)).toBe(true);
    });

    it("names an upload by the json's name, else the bin part's filename (a body without a json part is an empty data block)", async () => {
      const named = submissionOf(await h.file(user, uniqueContent('n1'), { name: 'C:\\dir\\given.exe' }, 'other.bin'));
      expect(named.files[0].name).toBe('given.exe');
      const content = uniqueContent('n2');
      const bare = submissionOf(await request(h.server).post('/api/v4/submit/').set(user.headers).attach('bin', content, 'only-bin.txt'));
      expect(bare.files).toEqual([{ name: 'only-bin.txt', sha256: sha256(content), size: content.length }]);
    });

    it('submits a sha256 Hopper holds, at no less than the stored file\'s classification', async () => {
      const content = uniqueContent('known');
      submissionOf(await h.file(amber, content, { name: 'amber.txt', params: { classification: 'TLP:GREEN' } }));
      const answer = submissionOf(await h.json(amber, { sha256: sha256(content) }));
      expect(answer.files).toEqual([{ name: sha256(content), sha256: sha256(content), size: content.length }]);
      expect(answer.classification).toBe('TLP:GREEN');
      expect(answer.params.classification).toBe('TLP:GREEN');
      expect((await h.job(answer.sid)).data).toEqual({ sid: answer.sid, scan_key: null, submitter: amber.uname });
    });

    it('submits a URL through the safe downloader: named by the whole URL, submitted_url recorded', async () => {
      const url = web.url('/files/sample.js');
      const body = Buffer.from('var a = "hopper submit url";\n');
      const answer = submissionOf(await h.json(user, { url, name: 'ignored.js', metadata: { case_id: '7' } }));
      expect(answer.files).toEqual([{ name: url, sha256: sha256(body), size: body.length }]);
      expect(answer.metadata).toEqual({ case_id: '7', submitted_url: url });
      expect(answer.params.description).toBe(`Inspection of file: ${url}`);
      expect(await h.filestore.exists(sha256(body))).toBe(true);
      expect((await h.job(answer.sid)).data.sid).toBe(answer.sid);
    });

    it('decodes a CaRT: named and classified by its header, whose other fields become metadata', async () => {
      const content = uniqueContent('carted');
      const cart = await cartOf(content, { name: 'inner.txt', classification: 'TLP:GREEN', origin: 'lab' });
      const answer = submissionOf(await h.file(amber, cart, { name: 'outer.cart' }));
      expect(answer.files).toEqual([{ name: 'inner.txt', sha256: sha256(content), size: content.length }]);
      expect(answer.classification).toBe('TLP:GREEN');
      expect(answer.metadata).toEqual({ origin: 'lab' });
      expect(await h.filestore.exists(sha256(cart))).toBe(false);
    });

    it('keeps a description and priority given, and takes ui_params (the UI\'s settings) in place of the saved settings', async () => {
      const given = submissionOf(await h.file(user, uniqueContent('d'), { name: 'd.txt', params: { description: 'mine', priority: 1500 } }));
      expect(given.params).toMatchObject({ description: 'mine', priority: 1500 });
      expect((await h.job(given.sid)).opts.priority).toBe(toBullmqPriority(1500));

      const ui = submissionOf(
        await h.file(user, uniqueContent('ui'), {
          name: 'ui.txt',
          ui_params: {
            deep_scan: true,
            download_encoding: 'cart',
            services: [
              { name: 'Static Analysis', selected: true, services: [] },
              { name: 'Extraction', selected: false, services: [{ name: 'Extract', selected: true }] },
            ],
          },
        }),
      );
      expect(ui.params).toMatchObject({ deep_scan: true, services: { selected: ['Static Analysis', 'Extract'] } });
    });

    it('requires a profile from a user without submission_customize, and applies the one named', async () => {
      await h.refused(submitter, () => h.file(submitter, uniqueContent('p'), { name: 'p.txt' }), 400, /^You must specify a submission profile\. One of: \[/);
      const answer = submissionOf(await h.file(submitter, uniqueContent('p2'), { name: 'p.txt', submission_profile: 'static' }));
      expect(answer.params.services.excluded).toEqual(expect.arrayContaining(['Dynamic Analysis']));
    });

    describe("seed 000's refusals, with its messages; each keeps nothing and takes no quota", () => {
      it('"Invalid content type"', async () => {
        await h.refused(user, () => request(h.server).post('/api/v4/submit/').set(user.headers).set('content-type', 'text/plain').send('x'), 400, 'Invalid content type');
      });

      it('"Missing data block" for a JSON request without a body', async () => {
        await h.refused(user, () => request(h.server).post('/api/v4/submit/').set(user.headers).set('content-type', 'application/json'), 400, 'Missing data block');
      });

      it('"Filename missing" for an empty data block, and for an upload whose json names it empty', async () => {
        await h.refused(user, () => h.json(user, {}), 400, 'Filename missing');
        const content = uniqueContent('noname');
        await h.refused(user, () => h.file(user, content, { name: '' }, 'has-a-name.txt'), 400, 'Filename missing', content);
      });

      it('"Invalid filename" when nothing is left of the name', async () => {
        const content = uniqueContent('badname');
        await h.refused(user, () => h.file(user, content, { name: 'dir/' }), 400, 'Invalid filename', content);
      });

      it("\"You cannot start a scan with higher classification then you're allowed to see\"", async () => {
        const content = uniqueContent('high');
        await h.refused(user, () => h.file(user, content, { name: 'h.txt', params: { classification: 'TLP:AMBER' } }), 400, HIGHER_SCAN, content);
      });

      it('the same refusal when a CaRT header classifies the file above the submitter', async () => {
        const content = uniqueContent('cart-high');
        const cart = await cartOf(content, { name: 'secret.txt', classification: 'TLP:AMBER' });
        await h.refused(user, () => h.file(user, cart, { name: 's.cart' }), 400, HIGHER_SCAN, content);
      });

      it('404 "SHA256 does not exist in our datastore" for an unknown sha256, and for one above the user', async () => {
        await h.refused(user, () => h.json(user, { sha256: 'f'.repeat(64) }), 404, 'SHA256 does not exist in our datastore');
        const content = uniqueContent('amber-only');
        submissionOf(await h.file(amber, content, { name: 'a.txt', params: { classification: 'TLP:AMBER' } }));
        await h.refused(user, () => h.json(user, { sha256: sha256(content) }), 404, 'SHA256 does not exist in our datastore');
      });

      it('a URL refused says which rule refused it: its scheme, its port, or a reserved address', async () => {
        await h.refused(user, () => h.json(user, { url: 'ftp://127.0.0.1/x' }), 400, "URL scheme 'ftp' is not allowed (http and https only). The URL will not be downloaded.");
        await h.refused(user, () => h.json(user, { url: 'http://10.255.255.1/x' }), 400, `Port 80 is not allowed for URL downloads (allowed: ${web.port}). The URL will not be downloaded.`);
        await h.refused(user, () => h.json(user, { url: `http://10.255.255.1:${web.port}/x` }), 400, "Host '10.255.255.1' resolves to a reserved IP address. The URL will not be downloaded.");
      });

      it('"Missing file to scan. No binary, sha256 or url provided."', async () => {
        await h.refused(user, () => h.json(user, { name: 'nothing.txt' }), 400, 'Missing file to scan. No binary, sha256 or url provided.');
      });

      it('"File empty. Submission failed"', async () => {
        await h.refused(user, () => h.file(user, Buffer.alloc(0), { name: 'empty.txt' }), 400, 'File empty. Submission failed');
      });

      it('"File too large (X > Y). Submission failed", naming the real size; accepted with ignore_size', async () => {
        const big = Buffer.concat([uniqueContent('big'), Buffer.alloc(MAX_FILE, 1)]);
        await h.refused(user, () => h.file(user, big, { name: 'big.bin' }), 400, `File too large (${big.length} > ${MAX_FILE}). Submission failed`, big);
        const answer = submissionOf(await h.file(user, big, { name: 'big.bin', params: { ignore_size: true } }));
        expect(answer.files[0].size).toBe(big.length);
      });

      it('metadata that breaks the submit scheme, unknown parameters and ill-typed params', async () => {
        const content = uniqueContent('meta');
        await h.refused(user, () => h.file(user, content, { name: 'm.txt', metadata: { case_id: 'abc' } }), 400, /case_id/, content);
        await h.refused(user, () => h.file(user, content, { name: 'm.txt', params: { surprise: 1 } }), 400, 'Unknown submission parameters: "surprise"', content);
        await h.refused(user, () => h.file(user, content, { name: 'm.txt', params: [] }), 400, 'params should be an object', content);
      });

      it('403 naming submission_create to a user without it', async () => {
        await h.refused(viewer, () => h.json(viewer, { sha256: 'f'.repeat(64) }), 403, `User '${viewer.uname}' does not have the 'submission_create' role required by this API`);
      });
    });
  });

  describe('GET /api/v4/submit/dynamic/<sha256>/', () => {
    let content: Buffer;
    let original: Record<string, any>;

    beforeAll(async () => {
      content = uniqueContent('dynamic');
      original = submissionOf(await h.file(user, content, { name: 'dyn.exe', params: { deep_scan: true, priority: 300 }, metadata: { case_id: 1 } }));
    });

    it('submits the file again with "Dynamic Analysis" selected, priority 500 and the seed\'s description', async () => {
      const answer = submissionOf(await h.get(user, `/api/v4/submit/dynamic/${sha256(content)}/`));
      expect(answer.sid).not.toBe(original.sid);
      expect(answer.files).toEqual([{ name: sha256(content), sha256: sha256(content), size: content.length }]);
      expect(answer.params).toMatchObject({
        priority: 500,
        description: `Resubmit ${sha256(content)} for Dynamic Analysis`,
        submitter: user.uname,
        quota_item: true,
        deep_scan: false,
      });
      expect(answer.params.services.selected).toContain('Dynamic Analysis');
      expect(answer.metadata).toEqual({});
      const job = await h.job(answer.sid);
      expect(job.data).toEqual({ sid: answer.sid, scan_key: null, submitter: user.uname });
      expect(job.opts.priority).toBe(toBullmqPriority(500));
      expect(await h.submissions.findBySid(answer.sid)).toMatchObject({ state: 'submitted', scan_key: null });
    });

    it('names it as asked, and mimics copy_sid: its parameters (priority included) and classification', async () => {
      const answer = submissionOf(await h.get(user, `/api/v4/submit/dynamic/${sha256(content)}/?copy_sid=${original.sid}&name=renamed.exe`));
      expect(answer.files[0].name).toBe('renamed.exe');
      expect(answer.params).toMatchObject({ deep_scan: true, priority: 300, description: 'Resubmit renamed.exe for Dynamic Analysis' });
      expect(answer.params.services.selected).toEqual([...original.params.services.selected, 'Dynamic Analysis']);
      expect(answer.classification).toBe(original.classification);
    });

    it('takes submission_profile (Hopper\'s addition) for a user without submission_customize, who needs one', async () => {
      await h.refused(submitter, () => h.get(submitter, `/api/v4/submit/dynamic/${sha256(content)}/`), 400, /^You must specify a submission profile\. One of: \[/);
      const answer = submissionOf(await h.get(submitter, `/api/v4/submit/dynamic/${sha256(content)}/?submission_profile=static_with_dynamic`));
      expect(answer.params).toMatchObject({ submitter: submitter.uname, priority: 500 });
      expect(answer.params.services.selected).toContain('Dynamic Analysis');
    });

    it('403 when copy_sid is a submission the user may not see', async () => {
      const secret = submissionOf(await h.file(amber, uniqueContent('secret'), { name: 's.txt', params: { classification: 'TLP:AMBER' } }));
      await h.refused(user, () => h.get(user, `/api/v4/submit/dynamic/${sha256(content)}/?copy_sid=${secret.sid}`), 403, NOT_ALLOWED_TO_RESUBMIT);
    });

    it("404 with the seed's message for a file Hopper does not hold, and for one the user may not see", async () => {
      const unknown = 'e'.repeat(64);
      await h.refused(user, () => h.get(user, `/api/v4/submit/dynamic/${unknown}/`), 404, fileNotFound(unknown));
      const hidden = uniqueContent('hidden');
      submissionOf(await h.file(amber, hidden, { name: 'h.txt', params: { classification: 'TLP:AMBER' } }));
      await h.refused(user, () => h.get(user, `/api/v4/submit/dynamic/${sha256(hidden)}/`), 404, fileNotFound(sha256(hidden)));
    });
  });

  describe('GET /api/v4/submit/resubmit/<sid>/', () => {
    it('submits the same files with the same metadata and parameters under a new sid', async () => {
      const content = uniqueContent('again');
      const first = submissionOf(await h.file(user, content, { name: 'again.txt', params: { deep_scan: true, priority: 700 }, metadata: { case_id: 9 } }));
      const answer = submissionOf(await h.get(user, `/api/v4/submit/resubmit/${first.sid}/`));
      expect(answer.sid).not.toBe(first.sid);
      expect(answer.files).toEqual(first.files);
      expect(answer.metadata).toEqual(first.metadata);
      expect(answer.params).toEqual({ ...first.params, description: 'Resubmit again.txt for analysis' });
      const job = await h.job(answer.sid);
      expect(job.data).toEqual({ sid: answer.sid, scan_key: null, submitter: user.uname });
      expect(job.opts.priority).toBe(toBullmqPriority(700));
    });

    it("404 \"Submission <sid> does not exists.\" and 403 for a submission the user may not see", async () => {
      await h.refused(user, () => h.get(user, '/api/v4/submit/resubmit/nosuchsid/'), 404, 'Submission nosuchsid does not exists.');
      const secret = submissionOf(await h.file(amber, uniqueContent('secret2'), { name: 's.txt', params: { classification: 'TLP:AMBER' } }));
      await h.refused(user, () => h.get(user, `/api/v4/submit/resubmit/${secret.sid}/`), 403, NOT_ALLOWED_TO_RESUBMIT);
    });
  });

  describe('the UI upload: flow.js chunks, then POST /api/v4/ui/start/<ui_sid>/', () => {
    const CHUNK = 16;

    it('takes 5 chunks sent out of order, then submits the file they make', async () => {
      const id = randomBytes(16).toString('hex');
      const content = Buffer.concat([uniqueContent('flow'), randomBytes(80)]).subarray(0, 5 * CHUNK - 3); // last chunk short
      expect(Math.ceil(content.length / CHUNK)).toBe(5);

      expect((await h.checkChunk(user, id, content, CHUNK, 3)).status).toBe(204);
      const answers: boolean[] = [];
      for (const n of [3, 1, 5, 2, 4]) {
        const response = await h.chunk(user, id, content, CHUNK, n).expect(200);
        expect(response.body.api_response).toEqual({ success: true, completed: expect.any(Boolean) });
        answers.push(response.body.api_response.completed);
      }
      expect(answers).toEqual([false, false, false, false, true]);
      const present = await h.checkChunk(user, id, content, CHUNK, 3).expect(200);
      expect(present.body.api_response).toEqual({ exist: true });

      const before = await h.quotas.usage(user.uname);
      const started = await h.startUpload(user, id, { filename: 'flowed.bin' }).expect(200);
      expect(started.body.api_response).toEqual({ started: true, sid: expect.any(String) });
      const sid = started.body.api_response.sid as string;

      const stored = await h.submissions.findBySid(sid);
      expect(stored).toMatchObject({
        state: 'submitted',
        scan_key: null,
        files: [{ name: 'flowed.bin', sha256: sha256(content), size: content.length }],
        params: { description: 'Inspection of file: flowed.bin', submitter: user.uname, quota_item: true },
      });
      expect((await h.job(sid)).data).toEqual({ sid, scan_key: null, submitter: user.uname });
      expect(await h.quotas.usage(user.uname)).toEqual({ concurrent: before.concurrent + 1, daily: before.daily + 1 });

      // The assembled file is the content, byte for byte; the chunks are gone.
      const chunks: Buffer[] = [];
      for await (const part of await h.filestore.get(sha256(content))) chunks.push(part as Buffer);
      expect(Buffer.concat(chunks).equals(content)).toBe(true);
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
      expect(await h.chunkBlobsLeft(user, id, 5)).toEqual([false, false, false, false, false]);
      expect((await h.checkChunk(user, id, content, CHUNK, 3)).status).toBe(204);
      expect(h.stagingEntries()).toEqual([]);
    });

    it('caps ttl at submission.max_dtl (0, never expire, becomes the maximum) and takes the UI settings', async () => {
      const id = uniqueId('ttl');
      const content = uniqueContent('ttl');
      await h.upload(user, id, content, CHUNK);
      const started = await h.startUpload(user, id, { filename: 'ttl.txt', ttl: 0, deep_scan: true, description: 'from the UI' }).expect(200);
      const stored = (await h.submissions.findBySid(started.body.api_response.sid))!;
      expect(stored.params).toMatchObject({ ttl: MAX_DTL, deep_scan: true, description: 'from the UI' });
      expect((stored.expiry_ts!.getTime() - stored.times.submitted.getTime()) / 86_400_000).toBeCloseTo(MAX_DTL, 5);
    });

    it('names the file by the upload id when the start body names none, and decodes a CaRT', async () => {
      const id = uniqueId('noname');
      const plain = uniqueContent('plain');
      await h.upload(user, id, plain, CHUNK);
      const started = await h.startUpload(user, id, {}).expect(200);
      expect((await h.submissions.findBySid(started.body.api_response.sid))?.files[0].name).toBe(id);

      const cartId = uniqueId('cart');
      const inner = uniqueContent('inner');
      await h.upload(user, cartId, await cartOf(inner, { name: 'from-header.txt' }), CHUNK);
      const carted = await h.startUpload(user, cartId, { filename: 'x.cart' }).expect(200);
      expect((await h.submissions.findBySid(carted.body.api_response.sid))?.files).toEqual([{ name: 'from-header.txt', sha256: sha256(inner), size: inner.length }]);
    });

    it('404 "No files where found for ID <id>. Try again..." with {started: false, sid: null}, for an unknown or incomplete upload', async () => {
      await h.refused(user, () => h.startUpload(user, 'nothing-here', {}), 404, 'No files where found for ID nothing_here. Try again...', null, { started: false, sid: null });

      const id = uniqueId('partial');
      const content = Buffer.concat([uniqueContent('partial'), Buffer.alloc(40, 3)]);
      await h.upload(user, id, content, CHUNK, [1, 2]);
      await h.refused(user, () => h.startUpload(user, id, {}), 404, `No files where found for ID ${id}. Try again...`, content, { started: false, sid: null });
      // Started or not, the chunks are gone.
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
      expect(await h.chunkBlobsLeft(user, id, 2)).toEqual([false, false]);
    });

    it("keeps each user's uploads their own: another user's start finds nothing", async () => {
      const id = uniqueId('mine');
      const content = uniqueContent('mine');
      await h.upload(user, id, content, CHUNK);
      expect((await h.checkChunk(amber, id, content, CHUNK, 1)).status).toBe(204);
      await h.refused(amber, () => h.startUpload(amber, id, {}), 404, `No files where found for ID ${id}. Try again...`, content, { started: false, sid: null });
      expect((await h.startUpload(user, id, { filename: 'mine.txt' })).status).toBe(200);
    });

    it('403 with {started: false, sid: null} for a classification above the user; the upload stays for a retry', async () => {
      const id = uniqueId('high');
      const content = uniqueContent('high-flow');
      await h.upload(user, id, content, CHUNK);
      await h.refused(user, () => h.startUpload(user, id, { classification: 'TLP:AMBER' }), 403, HIGHER_SCAN, content, { started: false, sid: null });
      expect((await h.flows.storedChunks(user.uname, id)).length).toBe(Math.ceil(content.length / CHUNK));
      expect((await h.startUpload(user, id, { classification: 'TLP:C' })).status).toBe(200);
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
    });

    it('refuses an Assemblyline bundle with a 400 that says Hopper does not import them, and removes the upload', async () => {
      const id = uniqueId('bundle');
      const inner = uniqueContent('bundle');
      const bundle = await cartOf(inner, { name: 'submission.al_bundle', al: { type: 'archive/bundle/al' } });
      await h.upload(user, id, bundle, CHUNK);
      await h.refused(user, () => h.startUpload(user, id, {}), 400, BUNDLE_REFUSED, inner);
      expect(await h.filestore.exists(sha256(bundle))).toBe(false);
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
    });

    it('refuses an empty or oversized assembled file, removing the upload', async () => {
      const id = uniqueId('big');
      const big = Buffer.concat([uniqueContent('bigflow'), Buffer.alloc(MAX_FILE, 2)]);
      await h.upload(user, id, big, 1024);
      await h.refused(user, () => h.startUpload(user, id, {}), 400, `File too large (${big.length} > ${MAX_FILE}). Submission failed`, big);
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
    });

    it("412 with Assemblyline's text when a flow argument is missing, 400 for a bad one, 413 past the largest upload", async () => {
      const content = uniqueContent('args');
      const id = uniqueId('args');
      const missing = await request(h.server).post('/api/v4/ui/flowjs/').set(user.headers).field('flowChunkNumber', '1').attach('file', content, 'blob');
      expectError(
        missing,
        412,
        'Required arguments missing. flowChunkNumber, flowChunkSize, flowTotalSize, flowIdentifier, flowFilename and flowTotalChunks should always be present.',
      );
      expectError(await h.get(user, '/api/v4/ui/flowjs/?flowChunkNumber=1'), 412, /^Required arguments missing\./);
      expectError(await h.chunk(user, id, content, CHUNK, 1, { flowChunkNumber: '9' }), 400, /^flowChunkNumber must be an integer from 1 to /);
      expectError(await h.chunk(user, id, content, CHUNK, 1, { flowCurrentChunkSize: '3' }), 400, /^flowCurrentChunkSize says 3 bytes/);
      const huge = String(Math.max(h.config.api.max_upload_bytes, MAX_FILE) + 1);
      expectError(await h.chunk(user, id, content, CHUNK, 1, { flowTotalSize: huge }), 413, 'Uploaded file is too big', { success: false, completed: true });
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
      expect(h.stagingEntries()).toEqual([]);
    });

    it('refuses a chunk that changes what the upload said it was, or adds up past its size', async () => {
      const id = uniqueId('change');
      const content = Buffer.concat([uniqueContent('change'), Buffer.alloc(20, 5)]);
      await h.chunk(user, id, content, CHUNK, 1).expect(200);
      expectError(await h.chunk(user, id, content, CHUNK, 2, { flowTotalSize: String(content.length + 1) }), 400, /^flowTotalChunks and flowTotalSize must stay/);
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([1]);
      await h.flows.remove(user.uname, id);
    });

    it('deletes an upload nobody touched for a day (the next flow.js request sweeps it)', async () => {
      const id = uniqueId('stale');
      const content = uniqueContent('stale');
      await h.upload(user, id, content, CHUNK, [1]);
      expect(await h.chunkBlobsLeft(user, id, 1)).toEqual([true]);
      await h.flows.sweep(new Date(Date.now() + 25 * 3600 * 1000));
      expect(await h.flows.storedChunks(user.uname, id)).toEqual([]);
      expect(await h.chunkBlobsLeft(user, id, 1)).toEqual([false]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Quotas: a full quota refuses; the dispatcher's end of the submission gives the slot back
// ---------------------------------------------------------------------------------------------------------------

describe('submit with submission quotas enforced', () => {
  let h: Harness;
  let dispatcher: INestApplicationContext | null = null;

  beforeAll(async () => {
    h = await new Harness(
      isolatedConfig('submit-quota', {
        ui: { enforce_quota: true, default_quotas: { concurrent_submissions: 1, daily_submissions: 0 } },
      }),
    ).start();
  });

  afterAll(async () => {
    await dispatcher?.close();
    await h?.stop();
  });

  it('refuses past the concurrent quota with 503, on every submitting route, keeping nothing', async () => {
    const who = await addUserWithKey(h.app);
    const first = submissionOf(await h.file(who, uniqueContent('q1'), { name: 'one.txt' }));
    expect(await h.quotas.usage(who.uname)).toEqual({ concurrent: 1, daily: 1 });
    const message = "You've exceeded your maximum concurrent submission quota of 1";
    const second = uniqueContent('q2');
    await h.refused(who, () => h.file(who, second, { name: 'two.txt' }), 503, message, second);
    await h.refused(who, () => h.get(who, `/api/v4/submit/dynamic/${first.files[0].sha256}/`), 503, message);
    await h.refused(who, () => h.get(who, `/api/v4/submit/resubmit/${first.sid}/`), 503, message);

    const id = uniqueId('q');
    await h.upload(who, id, uniqueContent('q3'), 16);
    await h.refused(who, () => h.startUpload(who, id, {}), 503, message);
    expect((await h.flows.storedChunks(who.uname, id)).length).toBeGreaterThan(0); // kept for a retry, as the seed does
    expect(await h.quotas.usage(who.uname)).toEqual({ concurrent: 1, daily: 1 });
  });

  it('gives the slot back when the dispatcher ends the submission (no ingester runs)', async () => {
    const who = await addUserWithKey(h.app);
    const answer = submissionOf(await h.file(who, uniqueContent('done'), { name: 'done.txt' }));
    expect(await h.quotas.usage(who.uname)).toEqual({ concurrent: 1, daily: 1 });
    await h.refused(who, () => h.file(who, uniqueContent('blocked'), { name: 'b.txt' }), 503, "You've exceeded your maximum concurrent submission quota of 1");

    dispatcher = await startDispatcher(h.config);
    expect(await eventually(() => h.quotas.usage(who.uname), (usage) => usage.concurrent === 0)).toEqual({ concurrent: 0, daily: 1 });
    expect((await dispatcher.get(SubmissionsRepository).findBySid(answer.sid))?.state).toBe('completed');
    expect(await h.quotas.release(who.uname, answer.sid)).toBe(false); // already released

    const next = submissionOf(await h.file(who, uniqueContent('after'), { name: 'after.txt' }));
    expect(next.state).toBe('submitted');
  });
});
