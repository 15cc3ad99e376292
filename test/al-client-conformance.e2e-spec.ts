// The Assemblyline client's contract with Hopper, in one place: every /api/v4 route the unmodified Python
// assemblyline_client (commit 52e2775) calls and Hopper serves, driven as the client's code builds the request
// (test/support/al-client.ts: session cookie and X-XSRF-TOKEN after login, `content-type: application/json` on
// every request, paths with a trailing slash, unknown query parameters such as `self=`), asserting the fields
// the client's code and its own consumers (`get_client`'s login, al-submit's result thread, the text renderer
// `al_result_to_text`, `Client._load_quotas`) read. Real API, ingester and dispatcher, over real Redis,
// MongoDB and filestore; two in-process test services besides the built-in ones. Classification is enforced
// (Assemblyline's TLP levels), so what a caller may not see is left out as Assemblyline leaves it out.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { AuthService } from '../apps/api/src/auth/auth.service';
import { AlClientConnection, alResultErrorLine, apiPath, classificationEngineReads, clientError, convertApiOutput, pythonSelfRepr } from './support/al-client';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually, startIngester } from './support/ingester-harness';
import { readAll, TestService } from './support/test-services';
import { isolatedConfig, uniqueId } from './support/test-env';

const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** The 401 texts after which `Connection.request` logs in again instead of raising. */
const RELOGIN_MESSAGES = ['Session rejected', 'Session not found', 'Session expired', 'Invalid source IP for this session', 'Invalid user agent for this session'];

/**
 * Scores a file that says "malicious" (a heuristic with an ATT&CK id and a tag, a nested section, and one
 * extracted file), and gives any other file an empty result.
 */
const verdictService = new TestService({ name: 'Verdict', version: '2.1.0', produces_extracted: true }, async (context) => {
  const text = await readAll(context);
  if (!text.includes('malicious')) return { sections: [] };
  await context.addExtracted({ name: 'dropped.txt', description: 'Dropped by the sample', stream: Readable.from([Buffer.from(`dropped by ${context.task.file.sha256}`)]) });
  return {
    sections: [
      {
        title: 'Known bad',
        body: JSON.stringify({ family: 'Testbot' }),
        body_format: 'KEY_VALUE' as const,
        heuristic: { heur_id: 'VERDICT.1', name: 'Known bad', score: 1000, attack_ids: ['T1059'] },
        tags: [{ type: 'attribution.family', value: 'Testbot' }],
      },
      { title: 'Where it was seen', body: 'in a test', depth: 1 },
    ],
  };
});

/** Fails on a file that says "raise-error", so the submission carries a service error. */
const flakyService = new TestService({ name: 'Flaky', version: '1.0.0' }, async (context) => {
  if ((await readAll(context)).includes('raise-error')) throw new Error('Flaky could not parse the file');
  return { sections: [] };
});

describe('assemblyline_client conformance (the Python client against Hopper)', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let ingester: INestApplicationContext;
  let dispatcher: INestApplicationContext;
  let user: TestUser;
  let password: string;
  let client: AlClientConnection;
  let server: Server;
  /** A completed submission made through `Client.submit`: its file scores, errs and extracts a child. */
  const sample = { content: Buffer.alloc(0), sha256: '', name: 'invoice.js', sid: '' };

  const output = (response: { status: number; text: string }) => {
    expect([response.status, response.text.slice(0, 300)]).toEqual([200, expect.any(String)]);
    return convertApiOutput(response as Parameters<typeof convertApiOutput>[0]);
  };

  async function completed(sid: string): Promise<void> {
    await eventually(
      async () => output(await client.get(apiPath('submission/is_completed', [sid]))),
      (done) => done === true,
    );
  }

  beforeAll(async () => {
    config = isolatedConfig('al-client', { classification: join(__dirname, 'fixtures/classification/enforced.yml') });
    api = await startApi(config);
    server = api.getHttpServer();
    ingester = await startIngester(config);
    dispatcher = await startDispatcher(config, [verdictService, flakyService]);
    password = `pw-${uniqueId('secret')}`;
    user = await addUserWithKey(api, { password });
    client = (await AlClientConnection.connect(server, { apikey: [user.uname, user.apikey] })).connection;

    sample.content = Buffer.from(`// malicious raise-error ${uniqueId('sample')}\n`);
    sample.sha256 = sha256Of(sample.content);
    const submitted = output(await client.postMultipart(apiPath('submit'), JSON.stringify({ name: sample.name, params: { service_spec: { Verdict: {} } } }), { filename: 'tmp1234.js', data: sample.content })) as { sid: string };
    sample.sid = submitted.sid;
    await completed(sample.sid);
  });

  afterAll(async () => {
    await dispatcher?.close();
    await ingester?.close();
    await api?.get(SubmissionsRepository).model.db.dropDatabase();
    await api?.close();
  });

  describe('login (assemblyline_client.get_client → Connection.__init__)', () => {
    for (const [how, credentials] of [
      ['apikey=(user, "name:secret")', () => ({ apikey: [user.uname, user.apikey] as [string, string] })],
      ['auth=(user, password)', () => ({ auth: [user.uname, password] as [string, string] })],
    ] as const) {
      it(`get_client(server, ${how}): v3 probe 404, v4 login, then GET /api/ in the envelope listing v4`, async () => {
        const { trace } = await AlClientConnection.connect(server, credentials());
        // Connection._load_public_encryption_key: anything but a 404 would keep the client on v3 (or fail).
        expect(trace.probe.status).toBe(404);
        // Connection._authenticate → Connection.__init__ reads username and session_duration.
        const login = output(trace.login) as Record<string, unknown>;
        expect(login).toMatchObject({ username: user.uname, session_duration: expect.any(Number) });
        const cookies = ([] as string[]).concat(trace.login.headers['set-cookie'] ?? []);
        expect(cookies.map((cookie) => cookie.split('=')[0]).sort()).toEqual(['XSRF-TOKEN', 'session']);
        // `r = self.request(self.session.get, 'api/', convert_api_output)`; a list sharing an item with {'v3', 'v4'}.
        const versions = convertApiOutput(trace.versions);
        expect(Array.isArray(versions)).toBe(true);
        expect(versions).toContain('v4');
      });
    }

    it('Connection.request: a session that ended answers 401 with a text the client logs in again on', async () => {
      const { connection, trace } = await AlClientConnection.connect(server, { apikey: [user.uname, user.apikey] });
      const sessionId = ([] as string[]).concat(trace.login.headers['set-cookie']).find((cookie) => cookie.startsWith('session='))!.split(';')[0].slice('session='.length);
      await api.get(AuthService).sessions.destroy(sessionId);
      const refused = await connection.get(apiPath('user/whoami'));
      expect(refused.status).toBe(401);
      expect(RELOGIN_MESSAGES).toContain(clientError(refused).api_error_message);
    });
  });

  describe('user (assemblyline_client.v4_client.module.user)', () => {
    it('User.whoami: the caller, c12nDef (with enforce), configuration, indexes, settings', async () => {
      const whoami = output(await client.get(apiPath('user/whoami'))) as Record<string, unknown>;
      // The client's own test_whoami: {'c12nDef', 'configuration', 'username', 'indexes'} are keys, username is the caller.
      expect(whoami).toMatchObject({ username: user.uname, c12nDef: expect.any(Object), configuration: expect.any(Object), indexes: expect.any(Object) });
      const engine = api.get<ClassificationEngine>(CLASSIFICATION_ENGINE);
      // Assemblyline's parsed classification definition; clients read `enforce` to know whether classification applies.
      expect(whoami.c12nDef).toMatchObject({ enforce: engine.enforce, UNRESTRICTED: engine.UNRESTRICTED, RESTRICTED: engine.RESTRICTED, levels_map: expect.any(Object) });
      expect(whoami).toMatchObject({
        classification: 'TLP:C',
        classification_aliases: {},
        is_admin: false,
        roles: expect.arrayContaining(['submission_create']),
        settings: expect.any(Object),
      });
      const configuration = whoami.configuration as Record<string, Record<string, unknown>>;
      expect(configuration.submission).toMatchObject({
        dtl: config.submission.dtl,
        max_dtl: config.submission.max_dtl,
        max_file_size: config.submission.max_file_size,
        verdicts: config.submission.verdicts,
      });
      expect(configuration.ui).toMatchObject({ allow_url_submissions: config.ui.allow_url_submissions, enforce_quota: config.ui.enforce_quota });
    });

    it('User.submission_params("__CURRENT__") as al-submit -d uses it: the params it appends "Dynamic Analysis" to and submits back', async () => {
      // `api_path_by_module(self, username, profile)` with the default profile="default".
      const params = output(await client.get(apiPath('user/submission_params', ['__CURRENT__', 'default']))) as Record<string, any>;
      // The client's test_submission_params: these keys, no UI settings, the submitter named.
      expect(Object.keys(params)).toEqual(expect.arrayContaining(['deep_scan', 'groups', 'ignore_cache', 'submitter']));
      expect(params).not.toHaveProperty('download_encoding');
      expect(params).not.toHaveProperty('hide_raw_results');
      expect(params.submitter).toBe(user.uname);
      // al-submit: `if "Dynamic Analysis" not in p['services']['selected']: p['services']['selected'].append(…)`, then submit(params=p).
      expect(params.services.selected).toEqual(expect.any(Array));
      params.services.selected.push('Dynamic Analysis');
      const content = Buffer.from(`dynamic please ${uniqueId('al-submit-d')}\n`);
      const submission = output(await client.postMultipart(apiPath('submit'), JSON.stringify({ name: 'dyn.txt', params }), { filename: 'dyn.txt', data: content })) as Record<string, any>;
      expect(submission.params.services.selected).toContain('Dynamic Analysis');
      expect(submission.params.submitter).toBe(user.uname);
    });

    it('User.submission_params(username, profile=…): a named profile; a user who may not customise has no "default"; another user is refused', async () => {
      const own = output(await client.get(apiPath('user/submission_params', [user.uname, 'default']))) as Record<string, unknown>;
      expect(own.submitter).toBe(user.uname);
      const submitter = await addUserWithKey(api, { type: ['submitter'] });
      const limited = (await AlClientConnection.connect(server, { apikey: [submitter.uname, submitter.apikey] })).connection;
      // test_submission_params: ClientError matching "Submission profile 'default' does not exist for user: <user>."
      const refused = clientError(await limited.get(apiPath('user/submission_params', [submitter.uname, 'default'])));
      expect(refused.status).toBe(400);
      expect(refused.api_error_message).toMatch(new RegExp(`^Submission profile 'default' does not exist for user: ${submitter.uname}\\. Select one of \\['static', `));
      const statik = output(await limited.get(apiPath('user/submission_params', [submitter.uname, 'static']))) as Record<string, any>;
      expect(statik).toMatchObject({ submitter: submitter.uname, deep_scan: false, ignore_cache: false, groups: expect.any(Array) });
      expect(statik.services.excluded).toContain('Dynamic Analysis');
      // Only an administrator reads another user's parameters.
      expect(clientError(await limited.get(apiPath('user/submission_params', [user.uname, 'static'])))).toMatchObject({
        status: 403,
        api_error_message: 'You are not allowed to view settings for another user then yourself.',
      });
      const adminUser = await addUserWithKey(api, { type: ['admin'] });
      const admin = (await AlClientConnection.connect(server, { apikey: [adminUser.uname, adminUser.apikey] })).connection;
      expect(output(await admin.get(apiPath('user/submission_params', [submitter.uname, 'static'])))).toMatchObject({ submitter: submitter.uname, services: statik.services });
      expect(clientError(await admin.get(apiPath('user/submission_params', [submitter.uname, 'default']))).status).toBe(400);
    });
  });

  describe('help (assemblyline_client.v4_client.module.help.Help, and Client.get_classification_engine)', () => {
    it('Client.get_classification_engine(): Help.classification_definition(original=True) is the definition Classification() is built from', async () => {
      const engine = api.get<ClassificationEngine>(CLASSIFICATION_ENGINE);
      // `kw['original'] = True` reaches the query as str(True).
      const definition = output(await client.get(apiPath('help/classification_definition', [], [['original', 'True']]))) as Record<string, any>;
      const reads = classificationEngineReads(definition);
      expect(reads).toMatchObject({ enforce: engine.enforce, dynamic_groups: expect.any(Boolean), unrestricted: expect.any(String), restricted: expect.any(String) });
      expect(reads.levels.length).toBeGreaterThan(0);
      expect(engine.normalize(reads.unrestricted as string)).toBe(engine.UNRESTRICTED);
      expect(engine.normalize(reads.restricted as string)).toBe(engine.RESTRICTED);
    });

    it('Help.classification_definition(): the parsed definition (the client test reads RESTRICTED and UNRESTRICTED)', async () => {
      const engine = api.get<ClassificationEngine>(CLASSIFICATION_ENGINE);
      const parsed = output(await client.get(apiPath('help/classification_definition'))) as Record<string, unknown>;
      expect(parsed).toEqual(engine.parsedDefinition());
      expect(parsed).toMatchObject({ RESTRICTED: engine.RESTRICTED, UNRESTRICTED: engine.UNRESTRICTED, enforce: engine.enforce });
    });
  });

  describe('user quotas (assemblyline_client.v4_client.module.user.Quotas, read by v4_client.client.Client._load_quotas)', () => {
    it('User.quotas(username), as Client._load_quotas reads it: daily_api and daily_submission', async () => {
      const quotas = output(await client.get(apiPath('user/quotas', [user.uname]))) as Record<string, unknown>;
      expect(quotas).toMatchObject({ daily_api: expect.any(Number), daily_submission: expect.any(Number) });
    });
  });

  describe('ingest (assemblyline_client.v4_client.module.ingest.Ingest)', () => {
    it('Ingest.__call__(content=…, fname=…, nq=…) as al-submit -a sends it (multipart), then Ingest.get_message_list(nq) as its result_thread reads it', async () => {
      const nq = uniqueId('al_submit');
      const alSubmitId = uniqueId('path');
      const content = Buffer.from(`harmless note ${uniqueId('ingest')}\n`);
      const body = { name: 'note.txt', metadata: { al_submit_id: alSubmitId }, type: 'AL_SUBMIT', notification_queue: nq };
      const answer = output(await client.postMultipart(apiPath('ingest'), JSON.stringify(body), { filename: 'note.txt', data: content })) as Record<string, unknown>;
      expect(answer.ingest_id).toEqual(expect.any(String));

      const messages = (await eventually(
        async () => output(await client.get(apiPath('ingest/get_message_list', [nq]))) as Array<Record<string, any>>,
        (list) => list.length > 0,
      ))!;
      // al-submit's result_thread: msg['submission']['sid'], ['files'][0]['name'], ['metadata']['al_submit_id'].
      expect(messages).toHaveLength(1);
      expect(messages[0].submission).toMatchObject({ sid: expect.any(String), files: [{ name: 'note.txt', sha256: sha256Of(content) }], metadata: { al_submit_id: alSubmitId } });
    });

    it('Ingest.__call__(sha256=…, nq=…, nt=…) (a JSON body), then Ingest.get_message(nq) answers one message', async () => {
      const nq = uniqueId('nq');
      const body = { sha256: sample.sha256, name: sample.sha256, metadata: { comment: 'again' }, type: 'AL_CLIENT', notification_queue: nq, notification_threshold: 100 };
      const answer = output(await client.post(apiPath('ingest'), JSON.stringify(body))) as Record<string, unknown>;
      expect(answer.ingest_id).toEqual(expect.any(String));
      // get_message answers null (not an error) while the queue is empty.
      const message = (await eventually(async () => output(await client.get(apiPath('ingest/get_message', [nq]))) as Record<string, any> | null, (found) => found !== null))!;
      expect(message.submission).toMatchObject({ sid: expect.any(String), files: [{ sha256: sample.sha256 }], metadata: { comment: 'again' } });
      expect(message.score).toBeGreaterThanOrEqual(100);
    });

    it('Ingest.get_message_list(nq, page_size=…) of an empty queue is an empty list', async () => {
      expect(output(await client.get(apiPath('ingest/get_message_list', [uniqueId('empty')], [['page_size', 5]])))).toEqual([]);
    });
  });

  describe('submit (assemblyline_client.v4_client.module.submit.Submit)', () => {
    it('Submit.__call__(fh=…, fname=…, params=…) (multipart): the Submission, the name of the json part, the params as sent', async () => {
      expect(sample.sid).toEqual(expect.any(String));
      const submission = output(await client.get(apiPath('submission', [sample.sid]))) as Record<string, any>;
      // test_submit_fh: res['files'][0]['name'] == fname; res['params']['service_spec'] == params['service_spec'].
      expect(submission.files[0]).toMatchObject({ name: sample.name, sha256: sample.sha256 });
      expect(submission.params.service_spec).toEqual({ Verdict: {} });
    });

    it('Submit.__call__(sha256=…, metadata=…) (a JSON body): the Submission with that file and metadata', async () => {
      const body = { sha256: sample.sha256, name: sample.sha256, metadata: { file_id: 'f-1', comment: 'test' } };
      const submission = output(await client.post(apiPath('submit'), JSON.stringify(body))) as Record<string, any>;
      // al-submit's send: submission.get('sid'); test_submit_sha: files[0].sha256, metadata.
      expect(submission.sid).toEqual(expect.any(String));
      expect(submission.files[0].sha256).toBe(sample.sha256);
      expect(submission.metadata).toEqual({ file_id: 'f-1', comment: 'test' });
    });

    it('Submit.dynamic(sha256, copy_sid=…, name=…): a new Submission with Dynamic Analysis selected', async () => {
      const path = apiPath('submit/dynamic', [sample.sha256], [['copy_sid', sample.sid], ['name', sample.name]]);
      const submission = output(await client.get(path)) as Record<string, any>;
      expect(submission.sid).not.toBe(sample.sid);
      expect(submission.params.services.selected).toContain('Dynamic Analysis');
    });

    it('Submit.resubmit(sid): a new Submission of the same files', async () => {
      const submission = output(await client.get(apiPath('submit/resubmit', [sample.sid]))) as Record<string, any>;
      expect(submission.sid).not.toBe(sample.sid);
      expect(submission.files.map((file: { sha256: string }) => file.sha256)).toEqual([sample.sha256]);
    });
  });

  describe('submission (assemblyline_client.v4_client.module.submission.Submission)', () => {
    it('Submission.is_completed(sid): a bare boolean', async () => {
      expect(output(await client.get(apiPath('submission/is_completed', [sample.sid])))).toBe(true);
    });

    it('Submission.__call__(sid): the Submission record', async () => {
      const submission = output(await client.get(apiPath('submission', [sample.sid]))) as Record<string, any>;
      expect(submission).toMatchObject({ sid: sample.sid, state: 'completed', files: [{ name: sample.name, sha256: sample.sha256 }] });
      expect(submission.max_score).toBeGreaterThanOrEqual(1000);
    });

    it('Submission.full(sid): what al_result_to_text (al-submit -t) reads, results and errors keyed by their keys', async () => {
      const full = output(await client.get(apiPath('submission/full', [sample.sid]))) as Record<string, any>;
      const stored = (await api.get(SubmissionsRepository).findBySid(sample.sid))!;
      // The client's test_full_submission.
      expect(full.sid).toBe(sample.sid);
      expect(full.params).toEqual(stored.params);
      expect(Object.keys(full)).toEqual(expect.arrayContaining(['file_tree', 'results', 'file_infos', 'errors']));

      // al_result_to_text, top to bottom.
      expect(full.state).toBe('completed');
      for (const [key, value] of Object.entries(full.params as Record<string, unknown>)) {
        if (Array.isArray(value)) expect([key, value.every((item) => typeof item === 'string')]).toEqual([key, true]); // " | ".join
      }
      expect(full.params.services.selected).toEqual(expect.any(Array));
      expect(full.params.service_spec).toEqual(expect.any(Object));
      for (const time of Object.values(full.times as Record<string, unknown>)) expect(time === null || typeof time === 'string').toBe(true);
      expect(full.expiry_ts === null || typeof full.expiry_ts === 'string').toBe(true);
      expect(full.metadata).toEqual(expect.any(Object));
      expect(full.missing_result_keys).toEqual([]);
      expect(full.missing_error_keys).toEqual([]);
      expect(full.files).toEqual([{ name: sample.name, sha256: sample.sha256, size: sample.content.length }]);

      // Errors: key[:64] is the file, key[65:] up to the next dot the service, key.rsplit(".e", 1)[1] a code.
      const errorKeys = Object.keys(full.errors);
      expect(errorKeys).toHaveLength(1);
      const [errorKey] = errorKeys;
      expect(errorKey.slice(0, 64)).toBe(sample.sha256);
      expect(errorKey.slice(65).split('.')[0]).toBe('Flaky');
      expect(errorKey.lastIndexOf('.e')).toBeGreaterThan(65);
      expect(full.errors[errorKey].response).toMatchObject({ status: expect.stringMatching(/^FAIL_/), message: 'Flaky could not parse the file', service_name: 'Flaky' });

      // Results: keys start with the file's sha256; each result as process_res reads it.
      const resultKeys = Object.keys(full.results);
      expect(resultKeys.length).toBeGreaterThanOrEqual(3);
      for (const key of resultKeys) {
        const result = full.results[key];
        expect(key.slice(0, 64)).toBe(result.sha256);
        expect(result).toMatchObject({
          classification: expect.any(String),
          response: { service_name: expect.any(String), service_version: expect.any(String), extracted: expect.any(Array), supplementary: expect.any(Array) },
          result: { score: expect.any(Number), sections: expect.any(Array) },
        });
        for (const file of result.response.extracted) expect(file).toMatchObject({ name: expect.any(String), sha256: expect.any(String), description: expect.any(String) });
        for (const file of result.response.supplementary) expect(file).toMatchObject({ is_section_image: expect.any(Boolean), name: expect.any(String), sha256: expect.any(String) });
        for (const section of result.result.sections) {
          // show_section: depth, classification, title_text, heuristic (score, name, signature, attack), body, body_format, tags.
          expect(section).toMatchObject({ depth: expect.any(Number), classification: expect.any(String), title_text: expect.any(String), body_format: expect.any(String), tags: expect.any(Array) });
          expect('heuristic' in section && 'body' in section).toBe(true);
          for (const tag of section.tags) expect(tag).toMatchObject({ short_type: expect.any(String), value: expect.any(String) });
        }
      }
      const verdict = Object.entries(full.results as Record<string, any>).find(([key]) => key.startsWith(`${sample.sha256}.Verdict.`))![1];
      expect(verdict.result.score).toBe(1000);
      const [known, nested] = verdict.result.sections;
      expect(known).toMatchObject({
        title_text: 'Known bad',
        depth: 0,
        body_format: 'KEY_VALUE',
        // Assemblyline's UI hands JSON-bodied sections over parsed.
        body: { family: 'Testbot' },
        heuristic: { heur_id: 'VERDICT.1', name: 'Known bad', score: 1000, signature: [], attack: [{ attack_id: 'T1059', pattern: expect.any(String), categories: [] }] },
        tags: [{ type: 'attribution.family', short_type: 'family', value: 'Testbot', safelisted: false }],
      });
      expect(nested).toMatchObject({ title_text: 'Where it was seen', depth: 1, heuristic: null, body: 'in a test', body_format: 'TEXT' });
      expect(verdict.response.extracted).toEqual([expect.objectContaining({ name: 'dropped.txt', description: 'Dropped by the sample', classification: expect.any(String) })]);

      // The file tree and the details of every file in it (the child Verdict extracted included).
      const child = verdict.response.extracted[0].sha256 as string;
      expect(Object.keys(full.file_tree)).toEqual([sample.sha256]);
      expect(Object.keys(full.file_tree[sample.sha256].children)).toEqual([child]);
      expect(Object.keys(full.file_infos).sort()).toEqual([sample.sha256, child].sort());
      expect(full.file_infos[sample.sha256]).toMatchObject({ sha256: sample.sha256, size: sample.content.length });
      expect(full.missing_file_keys).toEqual([]);
    });

    it('Submission.full(sid): results and errors no longer stored are listed in missing_result_keys and missing_error_keys', async () => {
      // A file of its own: results are shared by key between submissions (the results cache).
      const content = Buffer.from(`// malicious raise-error ${uniqueId('expired')}\n`);
      const again = output(await client.postMultipart(apiPath('submit'), JSON.stringify({ name: 'expiring.js' }), { filename: 'expiring.js', data: content })) as { sid: string };
      await completed(again.sid);
      const stored = (await api.get(SubmissionsRepository).findBySid(again.sid))!;
      const results = api.get(ResultsRepository);
      const [goneResult] = stored.results.filter((key) => key.includes('.Verdict.'));
      const [goneError] = stored.errors;
      await results.results.deleteOne({ _id: goneResult }).exec();
      await results.errors.deleteOne({ _id: goneError }).exec();

      const full = output(await client.get(apiPath('submission/full', [again.sid]))) as Record<string, any>;
      expect(full.missing_result_keys).toEqual([goneResult]);
      expect(full.missing_error_keys).toEqual([goneError]);
      expect(Object.keys(full.results)).not.toContain(goneResult);
      expect(full.errors).toEqual({});
    });

    it('Submission.summary(sid): tags, map, and every summary field as Assemblyline builds it (heuristics as [heur_id, name] pairs)', async () => {
      const summary = output(await client.get(apiPath('submission/summary', [sample.sid]))) as Record<string, any>;
      // The client's test_summary.
      expect(summary).toMatchObject({ tags: expect.any(Object), map: expect.any(Object) });
      expect(summary.tags.attribution['attribution.family']).toEqual([['Testbot', 'malicious', false, expect.any(String)]]);
      expect(summary.map['attribution.family__Testbot']).toEqual([sample.sha256]);
      expect(summary.map[sample.sha256]).toEqual(expect.arrayContaining(['attribution.family__Testbot', 'heuristic__VERDICT.1']));
      // get_summary: heuristics by level as (heur_id, name) tuples, only the levels raised.
      expect(summary.heuristics.malicious).toEqual([['VERDICT.1', 'Known bad']]);
      for (const [level, entries] of Object.entries(summary.heuristics as Record<string, unknown[]>)) {
        expect([level, ['safe', 'info', 'suspicious', 'malicious'].includes(level)]).toEqual([level, true]);
        for (const entry of entries) expect(entry).toEqual([expect.any(String), expect.any(String)]);
      }
      // attack_matrix: category → (attack_id, pattern name, level) tuples.
      for (const entries of Object.values(summary.attack_matrix as Record<string, unknown[]>)) {
        for (const entry of entries) expect(entry).toEqual([expect.any(String), expect.any(String), expect.any(String)]);
      }
      expect(summary).toMatchObject({ classification: expect.any(String), filtered: false, partial: false });
      // heuristic_sections (cleaned as the UI does: JSON bodies parsed, tags as a list) and heuristic_name_map.
      expect(summary.heuristic_sections['VERDICT.1']).toEqual([
        expect.objectContaining({ title_text: 'Known bad', body: { family: 'Testbot' }, body_format: 'KEY_VALUE', tags: [expect.objectContaining({ type: 'attribution.family', value: 'Testbot' })] }),
      ]);
      expect(summary.heuristic_name_map['Known bad']).toEqual(['VERDICT.1']);
    });

    it('Submission.tree(sid): classification, filtered, and the submitted file at the root of the tree', async () => {
      const tree = output(await client.get(apiPath('submission/tree', [sample.sid]))) as Record<string, any>;
      expect(tree).toMatchObject({ classification: expect.any(String), filtered: false, partial: false, tree: expect.any(Object), supplementary: expect.any(Array) });
      expect(Object.keys(tree.tree)).toContain(sample.sha256);
      expect(tree.tree[sample.sha256]).toMatchObject({ name: [sample.name], sha256: sample.sha256, size: sample.content.length, type: expect.any(String), score: 1000, truncated: false });
    });

    it('Submission.tree(sid) and full(sid) for two clearances: a file above the caller leaves the tree, which says it was filtered', async () => {
      // A submission of the low user's whose extracted file another, TLP:AMBER submission raises to TLP:AMBER.
      const parent = Buffer.from(`// malicious ${uniqueId('tree')}\n`);
      const submitted = output(await client.postMultipart(apiPath('submit'), JSON.stringify({ name: 'parent.js' }), { filename: 'parent.js', data: parent })) as { sid: string };
      await completed(submitted.sid);
      const child = Buffer.from(`dropped by ${sha256Of(parent)}`);
      const amberUser = await addUserWithKey(api, { classification: 'TLP:AMBER' });
      const amber = (await AlClientConnection.connect(server, { apikey: [amberUser.uname, amberUser.apikey] })).connection;
      const raised = output(await amber.postMultipart(apiPath('submit'), JSON.stringify({ name: 'child.txt', params: { classification: 'TLP:AMBER' } }), { filename: 'child.txt', data: child })) as { sid: string };
      await eventually(async () => output(await amber.get(apiPath('submission/is_completed', [raised.sid]))), (done) => done === true);
      const childInfo = output(await amber.get(apiPath('file/info', [sha256Of(child)]))) as { classification: string };
      const parentInfo = output(await client.get(apiPath('file/info', [sha256Of(parent)]))) as { classification: string };
      expect(childInfo.classification).not.toBe(parentInfo.classification);

      const low = output(await client.get(apiPath('submission/tree', [submitted.sid]))) as Record<string, any>;
      expect(low).toMatchObject({ filtered: true, partial: true, classification: parentInfo.classification });
      expect(Object.keys(low.tree)).toEqual([sha256Of(parent)]);
      expect(low.tree[sha256Of(parent)].children).toEqual({});
      const lowFull = output(await client.get(apiPath('submission/full', [submitted.sid]))) as Record<string, any>;
      expect(lowFull.file_tree[sha256Of(parent)].children).toEqual({});
      expect(Object.keys(lowFull.file_infos)).toEqual([sha256Of(parent)]);
      // Nor are the results of the hidden file shown (their keys would name it), as in Assemblyline's full.
      expect(Object.keys(lowFull.results).filter((key) => key.startsWith(sha256Of(child)))).toEqual([]);
      expect(lowFull.missing_result_keys).toEqual([]);
      expect(clientError(await client.get(apiPath('submission', [submitted.sid, 'file', sha256Of(child)]))).status).toBe(404);

      // The TLP:AMBER user sees the whole tree, and its classification is the highest of what it shows.
      const high = output(await amber.get(apiPath('submission/tree', [submitted.sid]))) as Record<string, any>;
      expect(high).toMatchObject({ filtered: false, partial: false, classification: childInfo.classification });
      expect(Object.keys(high.tree[sha256Of(parent)].children)).toEqual([sha256Of(child)]);
      const highFull = output(await amber.get(apiPath('submission/full', [submitted.sid]))) as Record<string, any>;
      expect(Object.keys(highFull.results).filter((key) => key.startsWith(sha256Of(child))).length).toBeGreaterThan(0);
    });

    it('Submission.file(sid, sha256): every field of get_file_submission_results (the client test reads metadata.submitter)', async () => {
      const answer = output(await client.get(apiPath('submission', [sample.sid, 'file', sample.sha256]))) as Record<string, any>;
      expect(answer.file_info.sha256).toBe(sample.sha256);
      expect(answer.results.map((result: { response: { service_name: string } }) => result.response.service_name)).toContain('Verdict');
      // test_file_of_submission_details: `submissison_data.params.submitter in res['metadata']['submitter']`.
      expect(Object.keys(answer.metadata.submitter)).toContain(user.uname);
      expect(answer.metadata.submitter[user.uname]).toBeGreaterThanOrEqual(1);
      expect(answer.tags['attribution.family']).toEqual([['Testbot', 'malicious', false, expect.any(String)]]);
      expect(answer.heuristics).toEqual({ malicious: [['VERDICT.1', 'Known bad']] });
      expect(answer.attack_matrix).toEqual(expect.any(Object));
      expect(answer.signatures).toEqual([]);
      expect(answer.classification).toEqual(expect.any(String));
      // The file's errors as a list, and each result with its section hierarchy (build_hierarchy=True).
      expect(answer.errors).toEqual([expect.objectContaining({ sha256: sample.sha256, type: 'EXCEPTION', response: expect.objectContaining({ service_name: 'Flaky' }) })]);
      const verdict = answer.results.find((result: { response: { service_name: string } }) => result.response.service_name === 'Verdict');
      expect(verdict.section_hierarchy).toEqual([{ id: 0, children: [{ id: 1, children: [] }] }]);
    });

    it('Submission.full(sid) errors as al_result_to_text shows them: the key ends in .e<type code>, so SERVICE DOWN is named', async () => {
      const content = Buffer.from(`harmless ${uniqueId('down')}\n`);
      const params = { services: { selected: ['Flaky', 'NoSuchSandbox'] } };
      const submitted = output(await client.postMultipart(apiPath('submit'), JSON.stringify({ name: 'down.txt', params }), { filename: 'down.txt', data: content })) as { sid: string };
      await completed(submitted.sid);
      const full = output(await client.get(apiPath('submission/full', [submitted.sid]))) as Record<string, any>;
      const lines = Object.entries(full.errors as Record<string, { response: { status: string } }>).map(([key, error]) => alResultErrorLine(key, error));
      expect(lines).toEqual([`  Service NoSuchSandbox failed for file ${sha256Of(content)} [SERVICE_DOWN]`]);
      // An exception is no known error: the client shows its status (the sample's Flaky error, code 1).
      const sampleFull = output(await client.get(apiPath('submission/full', [sample.sid]))) as Record<string, any>;
      const [[flakyKey, flaky]] = Object.entries(sampleFull.errors as Record<string, { type: string; response: { status: string } }>);
      expect(flakyKey.endsWith('.e1')).toBe(true);
      expect(alResultErrorLine(flakyKey, flaky)).toBe(`  Service Flaky failed for file ${sample.sha256} [${flaky.response.status}]`);
    });

    it('Submission.list(user=…): the page of the user’s submissions with its total', async () => {
      const page = output(await client.get(apiPath('submission/list', ['user', user.uname], [['rows', 10], ['offset', 0]]))) as Record<string, any>;
      expect(page.total).toBeGreaterThanOrEqual(1);
      expect(page.items.map((item: { sid: string }) => item.sid)).toContain(sample.sid);
    });

    it('Submission.delete(sid): a write with the session cookie and X-XSRF-TOKEN', async () => {
      const body = JSON.stringify({ sha256: sample.sha256, name: 'to-delete.js' });
      const doomed = output(await client.post(apiPath('submit'), body)) as { sid: string };
      expect(output(await client.delete(apiPath('submission', [doomed.sid])))).toEqual({ success: true });
      const gone = await client.get(apiPath('submission', [doomed.sid]));
      expect(clientError(gone)).toMatchObject({ status: 404, api_error_message: `Submission ID ${doomed.sid} does not exists.` });
    });
  });

  describe('file (assemblyline_client.v4_client.module.file.File)', () => {
    it('File.info(sha256)', async () => {
      expect(output(await client.get(apiPath('file/info', [sample.sha256])))).toMatchObject({ sha256: sample.sha256, size: sample.content.length });
    });

    it('File.download(sha256, encoding=…): CaRT by default, raw bytes, a zip; `self=` in the query is ignored', async () => {
      const self = pythonSelfRepr('file', 'File');
      const cart = await client.download(apiPath('file/download', [sample.sha256], [['self', self]]));
      expect([cart.status, (cart.body as Buffer).subarray(0, 4).toString()]).toEqual([200, 'CART']);
      const raw = await client.download(apiPath('file/download', [sample.sha256], [['self', self], ['encoding', 'raw']]));
      expect([raw.status, sha256Of(raw.body as Buffer)]).toEqual([200, sample.sha256]);
      const zip = await client.download(apiPath('file/download', [sample.sha256], [['self', self], ['encoding', 'zip'], ['password', 'infected']]));
      expect([zip.status, (zip.body as Buffer).subarray(0, 2).toString()]).toEqual([200, 'PK']);
    });

    it('File.result(sha256): the file details and its results', async () => {
      const answer = output(await client.get(apiPath('file/result', [sample.sha256]))) as Record<string, any>;
      expect(answer.file_info.sha256).toBe(sample.sha256);
      expect(answer.results.length).toBeGreaterThanOrEqual(1);
    });

    it('File.result(sha256, service=…): the latest result of that service (test_result_for_service)', async () => {
      const answer = output(await client.get(apiPath('file/result', [sample.sha256, 'Verdict']))) as Record<string, any>;
      expect(answer.file_info.sha256).toBe(sample.sha256);
      expect(answer.results).toHaveLength(1);
      expect(answer.results[0].response.service_name).toBe('Verdict');
    });

    it("File.hex(sha256)['content'] as the client's test_hex reads it, and hex(sha256, bytes_only=True, length=…)", async () => {
      const hex = output(await client.get(apiPath('file/hex', [sample.sha256]))) as Record<string, any>;
      expect(hex).toEqual({ content: expect.stringMatching(/^00000000:/), truncated: false });
      expect(hex.content.split('\n')).toHaveLength(Math.ceil(sample.content.length / 16));
      // `kw['bytes_only'] = ''` (a bare key), then `kw['length'] = length`.
      const bare = output(await client.get(apiPath('file/hex', [sample.sha256], [['bytes_only', ''], ['length', 8]]))) as Record<string, any>;
      expect(bare).toEqual({ content: Array.from(sample.content, (byte) => byte.toString(16).padStart(2, '0')).join(' '), truncated: false });
    });

    it('File.strings(sha256) and File.ascii(sha256): {content, truncated}', async () => {
      const strings = output(await client.get(apiPath('file/strings', [sample.sha256]))) as Record<string, any>;
      expect(strings).toEqual({ content: sample.content.toString().trim(), truncated: false });
      const ascii = output(await client.get(apiPath('file/ascii', [sample.sha256]))) as Record<string, any>;
      // Printable ASCII, tab, line feed and carriage return as they are; any other byte a dot.
      expect(ascii).toEqual({ content: sample.content.toString(), truncated: false });
    });

    it('File.children(sha256): the files its results extracted, each once, as {sha256, name}', async () => {
      const children = output(await client.get(apiPath('file/children', [sample.sha256]))) as Array<Record<string, unknown>>;
      expect(children).toEqual([{ sha256: sha256Of(`dropped by ${sample.sha256}`), name: 'dropped.txt' }]);
    });

    it('File.score(sha256): the file, the sum of the latest score of each service, and the keys summed', async () => {
      const score = output(await client.get(apiPath('file/score', [sample.sha256]))) as Record<string, any>;
      expect(score.file_info.sha256).toBe(sample.sha256);
      expect(score.score).toBe(1000);
      // test_score: every key is one of the file's.
      expect(score.result_keys.length).toBeGreaterThanOrEqual(1);
      for (const key of score.result_keys) expect(key.slice(0, 64)).toBe(sample.sha256);
    });
  });

  describe('result and error (assemblyline_client.v4_client.module.result.Result, module.error.Error)', () => {
    it('Result.__call__(key) answers a result of Submission.full by its key; Result.error(key) and Error.__call__(key) an error by its key', async () => {
      const full = output(await client.get(apiPath('submission/full', [sample.sid]))) as Record<string, any>;
      const [resultKey] = Object.keys(full.results).filter((key) => key.includes('.Verdict.'));
      const result = output(await client.get(apiPath('result', [resultKey]))) as Record<string, any>;
      expect(result).toMatchObject({ sha256: sample.sha256, response: { service_name: 'Verdict' }, result: { score: 1000 } });
      const [errorKey] = Object.keys(full.errors);
      for (const path of [apiPath('result/error', [errorKey]), apiPath('error', [errorKey])]) {
        expect(output(await client.get(path))).toMatchObject({ sha256: sample.sha256, type: 'EXCEPTION', response: { service_name: 'Flaky', message: 'Flaky could not parse the file' } });
      }
      expect(clientError(await client.get(apiPath('result', [`${sample.sha256}.Nothing.v1.c0`])))).toMatchObject({ status: 404, api_error_message: `Cache key ${sample.sha256}.Nothing.v1.c0 does not exists.` });
    });

    it('Result.multiple(error=…, result=…): both, keyed by the keys asked for', async () => {
      const full = output(await client.get(apiPath('submission/full', [sample.sid]))) as Record<string, any>;
      const body = JSON.stringify({ error: Object.keys(full.errors), result: Object.keys(full.results) });
      const answer = output(await client.post(apiPath('result/multiple_keys'), body)) as Record<string, any>;
      expect(Object.keys(answer.result).sort()).toEqual(Object.keys(full.results).sort());
      expect(Object.keys(answer.error)).toEqual(Object.keys(full.errors));
    });
  });

  describe('alert (assemblyline_client.v4_client.module.alert.Alert)', () => {
    it('Ingest.__call__(…, alert=True) of a malicious file raises an alert; Alert.list() and Alert.__call__(alert_id) serve it', async () => {
      const content = Buffer.from(`malicious dropper ${uniqueId('alert')}\n`);
      const body = { name: 'dropper.js', metadata: {}, type: 'AL_CLIENT', generate_alert: true };
      output(await client.postMultipart(apiPath('ingest'), JSON.stringify(body), { filename: 'dropper.js', data: content }));
      // Alert.list(): `api_path('alert/list', offset=0, rows=10)`; the client's q, tc_start and tc are None, so absent.
      const page = (await eventually(
        async () => output(await client.get(apiPath('alert/list', [], [['offset', 0], ['rows', 10]]))) as { items: Array<{ alert_id: string; file: { sha256: string } }>; total: number },
        (found) => found.items.some((item) => item.file.sha256 === sha256Of(content)),
      ))!;
      const listed = page.items.find((item) => item.file.sha256 === sha256Of(content))!;
      const alert = output(await client.get(apiPath('alert', [listed.alert_id]))) as Record<string, any>;
      expect(alert).toMatchObject({ alert_id: listed.alert_id, file: { sha256: sha256Of(content) } });
    });
  });
});
