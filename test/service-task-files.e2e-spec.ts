import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import request from 'supertest';
import { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { SubmissionProgress } from '@hopper/queues';
import { ExternalServiceTask, externalServiceQueue, externalTaskId } from '@hopper/services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { ended, startDispatcher, submit } from './support/dispatcher-harness';
import { isolatedConfig } from './support/test-env';
import { scoringService } from './support/test-services';
import { ServiceQueues } from './support/service-queues';

/*
 * External services posting more than a result: the files they extracted or kept aside (multipart, streamed
 * into the filestore and listed in the result like an in-process service's), and the glovebox address of a
 * dynamic run (kept with the submission's progress). A fake sandbox plays the service through the API while
 * a dispatcher in this process waits for it.
 */

const MAX_FILE_SIZE = 64 * 1024;
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');
/** Bytes no earlier test stored. */
const fresh = (label: string) => Buffer.from(`${label} ${randomBytes(8).toString('hex')}`);
/** A pcap's global header and one tiny packet record. */
const pcap = () =>
  Buffer.concat([Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'), Buffer.alloc(16), randomBytes(8)]);

type Part = [kind: string, data: Buffer, filename: string];

describe('external services posting files and a glovebox address (real Redis, MongoDB, filestore)', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext;
  let service: TestUser;
  let analyst: TestUser;
  let connection: IORedis;
  const queues = new ServiceQueues(() => connection, () => config.redis.prefix);
  const scorer = scoringService('Scorer', 100);
  const data = Buffer.from('the sample the sandbox ran');
  const sha256 = sha256Of(data);

  beforeAll(async () => {
    config = isolatedConfig('service_task_files', {
      // Enforced, so a posted file's classification shows it comes from the task.
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      submission: { max_file_size: MAX_FILE_SIZE },
      services: {
        builtin: { Extract: { enabled: false }, Characterize: { enabled: false }, IOC: { enabled: false } },
        external: [
          { name: 'Sandbox', version: '1.0.0', category: 'Dynamic Analysis', produces_extracted: true, produces_supplementary: true, timeout_seconds: 60 },
          { name: 'RemoteAV', version: '2.0.0', category: 'Antivirus' },
        ],
      },
    });
    api = await startApi(config);
    dispatcher = await startDispatcher(config, [scorer]);
    service = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    analyst = await addUserWithKey(api);
    await api.get<Filestore>(FILESTORE).put(sha256, Readable.from([data]));
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await queues.closeAll();
    connection?.disconnect();
    await dispatcher?.close();
    await api?.close();
  });

  let serial = 0;
  /** A task as the dispatcher queues it, for a submission that exists only in the task. */
  async function queueTask(fields: Partial<ExternalServiceTask> & { service_name?: string } = {}): Promise<ExternalServiceTask> {
    const name = fields.service_name ?? 'Sandbox';
    const sid = `files${++serial}${randomBytes(3).toString('hex')}`;
    const resultKey = `${sha256}.${name}.v1.0.0.c${randomBytes(8).toString('hex')}`;
    const task: ExternalServiceTask = {
      task_id: externalTaskId(resultKey, sid),
      service_name: name,
      service_version: '1.0.0',
      result_key: resultKey,
      sid,
      file: { sha256, type: 'text/plain', name: 'sample.txt', size: data.length },
      depth: 0,
      params: {},
      temp_data: {},
      deep_scan: false,
      classification: 'TLP:C',
      expiry_ts: null,
      deadline: new Date(Date.now() + 60_000).toISOString(),
      max_extracted: 5,
      max_supplementary: 5,
      ...fields,
    };
    await queues.of(name).add(name, task, { jobId: task.task_id });
    return task;
  }

  const route = (task: ExternalServiceTask, what: 'result' | 'glovebox', name = task.service_name) =>
    `/api/v4/service/${name}/task/${encodeURIComponent(task.task_id)}/${what}/`;

  /** A multipart answer: the json part (text as given, or serialised), then the parts in order. */
  function postParts(task: ExternalServiceTask, json: unknown, parts: Part[], options: { jsonLast?: boolean } = {}) {
    let call = request(api.getHttpServer()).post(route(task, 'result')).set(service.headers);
    const text = typeof json === 'string' ? json : JSON.stringify(json);
    if (!options.jsonLast) call = call.field('json', text);
    for (const [kind, bytes, filename] of parts) call = call.attach(kind, bytes, filename);
    if (options.jsonLast) call = call.field('json', text);
    return call;
  }

  const stagingEntries = () => {
    const staging = join(config.filestore.local.path, '.staging');
    return existsSync(staging) ? readdirSync(staging) : [];
  };

  /** Nothing of a refused answer is kept: no result or error, no file document, no blob, nothing staged. */
  async function expectNothingStored(task: ExternalServiceTask, posted: Buffer[]): Promise<void> {
    const results = api.get(ResultsRepository);
    expect(await results.results.countDocuments({ sid: task.sid })).toBe(0);
    expect(await results.errors.countDocuments({ sid: task.sid })).toBe(0);
    for (const bytes of posted) {
      expect(await api.get(FilesRepository).findBySha256(sha256Of(bytes))).toBeNull();
      expect(await api.get<Filestore>(FILESTORE).exists(sha256Of(bytes))).toBe(false);
    }
    expect(stagingEntries()).toEqual([]);
  }

  describe('files posted with a result', () => {
    it('stores each file like an in-process service stores one and lists it in the result', async () => {
      const expiry = new Date(Date.now() + 10 * 24 * 3600 * 1000);
      const task = await queueTask({ classification: 'TLP:AMBER', expiry_ts: expiry.toISOString() });
      const traffic = pcap();
      const dropped = fresh('MZ dropped by the sample');
      const json = {
        result: { sections: [{ title: 'Detonated', heuristic: { heur_id: 'SB.1', name: 'Drops a file', score: 500 } }] },
        files: { 'network.pcap': { description: 'Traffic during the run' }, 'C:\\Temp\\dropped.exe': { description: 'Dropped in %TEMP%' } },
      };
      const answer = await postParts(task, json, [
        ['supplementary', traffic, 'network.pcap'],
        ['extracted', dropped, 'C:\\Temp\\dropped.exe'],
      ]);
      expect(answer.status).toBe(200);
      expect(answer.body.api_response).toEqual({ success: true, key: task.result_key });

      const stored = await api.get(ResultsRepository).findResult(task.result_key);
      expect(stored).toMatchObject({ sid: task.sid, result: { score: 500 }, response: { service_name: 'Sandbox' } });
      expect(stored!.response.supplementary).toEqual([
        { name: 'network.pcap', description: 'Traffic during the run', sha256: sha256Of(traffic), type: expect.any(String), size: traffic.length },
      ]);
      expect(stored!.response.extracted).toEqual([
        { name: 'dropped.exe', description: 'Dropped in %TEMP%', sha256: sha256Of(dropped), type: expect.any(String), size: dropped.length },
      ]);
      for (const bytes of [traffic, dropped]) {
        const file = await api.get(FilesRepository).findBySha256(sha256Of(bytes));
        expect(file).toMatchObject({ size: bytes.length, md5: createHash('md5').update(bytes).digest('hex') });
        expect(file!.classification).toBe(api.get<ClassificationEngine>(CLASSIFICATION_ENGINE).normalize('TLP:AMBER'));
        expect(file!.classification).not.toBe(api.get<ClassificationEngine>(CLASSIFICATION_ENGINE).normalize('TLP:C'));
        expect(file!.expiry_ts?.toISOString()).toBe(expiry.toISOString());
        const blob: Buffer[] = [];
        for await (const chunk of await api.get<Filestore>(FILESTORE).get(sha256Of(bytes))) blob.push(chunk as Buffer);
        expect(Buffer.concat(blob).equals(bytes)).toBe(true);
      }
      expect(stagingEntries()).toEqual([]);
    });

    it('takes a multipart answer without files, and an error answer, as the JSON form does', async () => {
      const plain = await queueTask();
      expect((await postParts(plain, { result: { sections: [{ title: 'Nothing dropped' }] } }, [])).status).toBe(200);
      expect((await api.get(ResultsRepository).findResult(plain.result_key))!.response).toMatchObject({ extracted: [], supplementary: [] });

      const failed = await queueTask();
      const answer = await postParts(failed, { error: { message: 'the VM did not boot', recoverable: true } }, []);
      expect(answer.status).toBe(200);
      const [error] = await api.get(ResultsRepository).findErrors([answer.body.api_response.key]);
      expect(error).toMatchObject({ sid: failed.sid, response: { message: 'the VM did not boot', status: 'FAIL_RECOVERABLE' } });
    });

    const ok = { result: { sections: [{ title: 'Detonated' }] } };
    it.each<[string, (posted: Buffer[]) => Part[], unknown, Partial<ExternalServiceTask>, number, string, { jsonLast?: boolean }]>([
      ['a file part before the json part', (b) => [['extracted', b[0], 'a.bin']], ok, {}, 400, 'The json part must come first, before the file parts', { jsonLast: true }],
      ['an invalid result', (b) => [['extracted', b[0], 'a.bin']], { result: { sections: [{ title: '' }] } }, {}, 400, 'Sandbox returned an invalid result: sections.0.title', {}],
      ['files with an error', (b) => [['supplementary', b[0], 'a.log']], { error: { message: 'x' } }, {}, 400, 'An error carries no files: post files with a result', {}],
      ['a part that is not a file kind', (b) => [['memory', b[0], 'dump.bin']], ok, {}, 400, 'Unknown part "memory": expected json, then extracted and supplementary file parts', {}],
      ['a kind the manifest does not declare', (b) => [['supplementary', b[0], 'network.pcap']], ok, { service_name: 'RemoteAV' }, 400,
        'RemoteAV posted supplementary file network.pcap but its manifest does not declare produces_supplementary', {}],
      ['more supplementary files than the task allows', (b) => [['supplementary', b[0], 'one.log'], ['supplementary', b[1], 'two.log']], ok, { max_supplementary: 1 }, 400,
        "Too many supplementary files: this task allows 1 (what the submission's max_supplementary had left when the task was queued)", {}],
      ['more extracted files than the task allows', (b) => [['extracted', b[0], 'one.bin']], ok, { max_extracted: 0 }, 400, "Too many extracted files: this task allows 0 (the submission's max_extracted)", {}],
      ['a file over max_file_size', (b) => [['extracted', b[0], 'ok.bin'], ['extracted', Buffer.concat([b[1], Buffer.alloc(MAX_FILE_SIZE)]), 'big.bin']], ok, {}, 413,
        `The extracted file big.bin is too large (`, {}],
      ['two parts of the same filename', (b) => [['extracted', b[0], 'same.bin'], ['supplementary', b[1], 'same.bin']], ok, {}, 400,
        'Two file parts are named same.bin: names must be unique within a result', {}],
      ['a description of a file not posted', (b) => [['extracted', b[0], 'real.bin']], { ...ok, files: { 'ghost.bin': { description: 'x' } } }, {}, 400,
        'files names ghost.bin, but no extracted or supplementary part has that filename', {}],
      ['a description that is not a string', (b) => [['extracted', b[0], 'real.bin']], { ...ok, files: { 'real.bin': { description: 7 } } }, {}, 400,
        'files.real.bin.description must be a string of at most 1024 characters', {}],
      ['a filename that leaves no name', (b) => [['extracted', b[0], '   ']], ok, {}, 400, 'The extracted part\'s filename "   " leaves no usable name', {}],
      ['a json part that is not JSON', (b) => [['extracted', b[0], 'a.bin']], '{"result":', {}, 400, 'The json part is not valid JSON', {}],
      ['an answer after the deadline', (b) => [['extracted', b[0], 'late.bin']], ok, { deadline: new Date(Date.now() - 1000).toISOString() }, 409, 'expired at', {}],
    ])('refuses %s and stores nothing', async (_case, partsOf, json, fields, status, message, options) => {
      const task = await queueTask(fields);
      const posted = [fresh('refused one'), fresh('refused two')];
      const answer = await postParts(task, json, partsOf(posted), options);
      expect(answer.status).toBe(status);
      expect(answer.body.api_error_message).toContain(message);
      await expectNothingStored(task, posted);
    });

    it('refuses a file kind sent as a plain field, naming the missing filename', async () => {
      const task = await queueTask();
      const answer = await request(api.getHttpServer()).post(route(task, 'result')).set(service.headers).field('json', JSON.stringify(ok)).field('extracted', 'no file');
      expect(answer.status).toBe(400);
      expect(answer.body.api_error_message).toBe('The extracted part needs a filename');
      await expectNothingStored(task, []);
    });

    it('needs the external_service role', async () => {
      const task = await queueTask();
      const posted = [fresh('not from a service')];
      const answer = await request(api.getHttpServer()).post(route(task, 'result')).set(analyst.headers).field('json', JSON.stringify(ok)).attach('extracted', posted[0], 'x.bin');
      expect(answer.status).toBe(403);
      await expectNothingStored(task, posted);
    });
  });

  describe('glovebox address', () => {
    it('keeps the address with the progress of the task submission, normalised', async () => {
      const task = await queueTask();
      const answer = await request(api.getHttpServer()).post(route(task, 'glovebox')).set(service.headers).send({ url: 'HTTPS://Glovebox.Example:443/vm/7?token=a b' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ api_response: { success: true }, api_status_code: 200, api_error_message: '' });
      expect(await api.get(SubmissionProgress).read(task.sid)).toEqual({ stage: null, glovebox_url: 'https://glovebox.example/vm/7?token=a%20b' });
    });

    it.each([
      ['another scheme', { url: 'ftp://glovebox.example/vm' }, 'url must use http or https, not ftp'],
      ['a script', { url: 'javascript:alert(1)' }, 'url must use http or https, not javascript'],
      ['a relative address', { url: '/vm/7' }, 'url must be an absolute URL'],
      ['an address too long', { url: `https://glovebox.example/${'a'.repeat(2049 - 25)}` }, 'url must be at most 2048 characters (2049 sent)'],
      ['a number', { url: 7 }, 'url must be a non-empty string'],
      ['no url', {}, 'url must be a non-empty string'],
      ['another field', { url: 'https://glovebox.example/', token: 'x' }, 'Unknown field "token": post {"url": "https://..."}'],
      ['a list', ['https://glovebox.example/'], 'Post {"url": "https://..."}: the glovebox address as a JSON object'],
    ])('refuses %s with 400 and keeps nothing', async (_case, body, message) => {
      const task = await queueTask();
      const answer = await request(api.getHttpServer()).post(route(task, 'glovebox')).set(service.headers).send(body as object);
      expect(answer.status).toBe(400);
      expect(answer.body.api_error_message).toBe(message);
      expect(await api.get(SubmissionProgress).read(task.sid)).toEqual({ stage: null, glovebox_url: null });
    });

    it('answers 404 for an unknown service or task, 409 after the deadline, 403 without the role', async () => {
      const task = await queueTask();
      const body = { url: 'https://glovebox.example/vm/1' };
      const unknownService = await request(api.getHttpServer()).post(route(task, 'glovebox', 'Nope')).set(service.headers).send(body);
      expect(unknownService.status).toBe(404);
      expect(unknownService.body.api_error_message).toBe('Nope is not an external service of this system');
      const unknownTask = await request(api.getHttpServer()).post(route({ ...task, task_id: 'missing' }, 'glovebox')).set(service.headers).send(body);
      expect(unknownTask.status).toBe(404);
      expect(unknownTask.body.api_error_message).toBe('Task missing of Sandbox not found: it was never queued or has expired');
      const late = await queueTask({ deadline: new Date(Date.now() - 1000).toISOString() });
      const expired = await request(api.getHttpServer()).post(route(late, 'glovebox')).set(service.headers).send(body);
      expect(expired.status).toBe(409);
      expect(expired.body.api_error_message).toBe(`Task ${late.task_id} expired at ${late.deadline}: its result is no longer awaited`);
      const forbidden = await request(api.getHttpServer()).post(route(task, 'glovebox')).set(analyst.headers).send(body);
      expect(forbidden.status).toBe(403);
      for (const sid of [task.sid, late.sid]) expect((await api.get(SubmissionProgress).read(sid)).glovebox_url).toBeNull();
    });
  });

  it('a submission through the dispatcher: the sandbox posts a pcap and a dropped file, which is analysed in turn', async () => {
    const sample = fresh('sample that drops a file');
    const traffic = pcap();
    const dropped = fresh('child payload');
    const seen: Array<{ depth: number; sha256: string; stage: string | null }> = [];
    const progress = api.get(SubmissionProgress);
    await queues.of('Sandbox').drain(); // the tasks earlier tests queued by hand are no one's
    const sandbox = new Worker<ExternalServiceTask>(
      externalServiceQueue('Sandbox'),
      async (job: Job<ExternalServiceTask>) => {
        const task = job.data;
        const base = `/api/v4/service/Sandbox/task/${encodeURIComponent(task.task_id)}`;
        const file = await request(api.getHttpServer()).get(`${base}/file/`).set(service.headers).responseType('blob');
        expect(sha256Of(file.body as Buffer)).toBe(task.file.sha256);
        seen.push({ depth: task.depth, sha256: task.file.sha256, stage: (await progress.read(task.sid)).stage });
        if (task.depth > 0) {
          const posted = await request(api.getHttpServer()).post(`${base}/result/`).set(service.headers).send({ result: { sections: [{ title: 'Child ran clean' }] } });
          expect(posted.status).toBe(200);
          return;
        }
        const glovebox = await request(api.getHttpServer()).post(`${base}/glovebox/`).set(service.headers).send({ url: `https://glovebox.example/run/${task.sid}` });
        expect(glovebox.status).toBe(200);
        const json = {
          result: { sections: [{ title: 'Detonated', heuristic: { heur_id: 'SB.1', name: 'Drops a file', score: 300 } }] },
          files: { 'network.pcap': { description: 'Traffic during the run' }, 'dropped.txt': { description: 'Written to disk' } },
        };
        const posted = await postParts(task, json, [
          ['supplementary', traffic, 'network.pcap'],
          ['extracted', dropped, 'dropped.txt'],
        ]);
        expect(posted.status).toBe(200);
      },
      { connection, prefix: config.redis.prefix },
    );
    try {
      const only = { services: { selected: ['Sandbox', 'Scorer'], excluded: [], rescan: [], resubmit: [] } };
      const sid = await submit(dispatcher, config, [{ name: 'sample.txt', data: sample }], only);
      const submission = await ended(dispatcher, sid);
      expect(submission.state).toBe('completed');
      expect(submission.errors).toEqual([]);
      expect(submission.max_score).toBe(400);

      // The sandbox ran on the sample, then on the file it dropped, while the submission was running.
      expect(seen).toEqual([
        { depth: 0, sha256: sha256Of(sample), stage: 'run' },
        { depth: 1, sha256: sha256Of(dropped), stage: 'run' },
      ]);
      const [root] = Object.values(submission.file_tree!);
      expect(Object.keys(root.children)).toEqual([sha256Of(dropped)]);
      expect(root.children[sha256Of(dropped)]).toMatchObject({ name: ['dropped.txt'], type: 'text/plain', size: dropped.length, score: 100 });

      const results = await api.get(ResultsRepository).findResults(submission.results);
      const byFile = (sha: string) => results.filter((result) => result.sha256 === sha).map((result) => result.response.service_name).sort();
      expect(byFile(sha256Of(sample))).toEqual(['Sandbox', 'Scorer']);
      expect(byFile(sha256Of(dropped))).toEqual(['Sandbox', 'Scorer']);
      const detonation = results.find((result) => result.sha256 === sha256Of(sample) && result.response.service_name === 'Sandbox')!;
      expect(detonation.response.supplementary).toEqual([
        { name: 'network.pcap', description: 'Traffic during the run', sha256: sha256Of(traffic), type: expect.any(String), size: traffic.length },
      ]);
      expect(detonation.response.extracted).toEqual([
        { name: 'dropped.txt', description: 'Written to disk', sha256: sha256Of(dropped), type: 'text/plain', size: dropped.length },
      ]);
      expect(await progress.read(sid)).toEqual({ stage: 'proc', glovebox_url: `https://glovebox.example/run/${sid}` });
    } finally {
      await sandbox.close();
    }
  });
});
