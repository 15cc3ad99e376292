// The Threat Grid-compatible API as Threat Grid clients call it (pythreatgrid, Cisco's scripts, SOAR
// connectors: see ../shared/reference/threatgrid-client-wire.md), over real Redis, MongoDB protocol and
// filestore, with the real dispatcher and an external "Dynamic Analysis" service this test plays.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import IORedis from 'ioredis';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionsRepository } from '@hopper/datastore';
import { CLOCK, Clock } from '../apps/api/src/http/clock';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { RouteServer } from './support/route-server';
import { sandboxManifest, takeServiceTask, tgKey } from './support/threatgrid-client';
import { isolatedConfig, uniqueId } from './support/test-env';

const DYNAMIC = 'Sandbox';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const md5Of = (data: Buffer | string) => createHash('md5').update(data).digest('hex');

async function zipOf(entries: Record<string, string>): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter());
  for (const [name, content] of Object.entries(entries)) await writer.add(name, new TextReader(content));
  return Buffer.from(await writer.close());
}

/** A clock the test moves (the dedupe and rate windows read it). */
class TestClock implements Clock {
  offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
}

describe('Threat Grid-compatible API', () => {
  const clock = new TestClock();
  const limitedName = uniqueId('limited');
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext | null = null;
  let web: RouteServer;
  let analyst: TestUser;
  let bot: TestUser;
  let limited: TestUser;
  let acme: TestUser;
  let outsider: TestUser;
  let serviceUser: TestUser;
  let connection: IORedis;

  const server = () => api.getHttpServer();
  const submitFile = (who: TestUser, data: Buffer | string, filename: string, fields: Record<string, string | string[]> = {}) => {
    let call = request(server()).post('/api/v2/samples').field('api_key', tgKey(who));
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) call = call.field(name, one);
    return call.attach('sample', Buffer.from(data), filename);
  };
  const get = (who: TestUser, path: string) => request(server()).get(path).query({ api_key: tgKey(who) });
  const stateOf = async (who: TestUser, id: string): Promise<string> => (await get(who, `/api/v2/samples/${id}/state`)).body.data.state;
  const finished = (who: TestUser, id: string) => eventually(() => stateOf(who, id), (state) => state === 'succ' || state === 'fail');

  beforeAll(async () => {
    web = await new RouteServer().on('/drop/invoice.txt', (_req, res) => res.writeHead(200).end('invoice text from http://evil-domain.net/x\n')).start();
    config = isolatedConfig('threatgrid', {
      // Many samples of one user run at once here; the concurrent quota is not under test.
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      file_sources: { allow_networks: ['127.0.0.1/32'], allowed_ports: [web.port] },
      services: {
        // Only PDFs go to the sandbox, so the other samples complete with the built-in services alone.
        external: [sandboxManifest(DYNAMIC)],
      },
      threatgrid: {
        portal_url: 'https://hopper.example',
        dedupe_window_minutes: 15,
        organizations: {
          default: { id: 1, submission_rate_limit: [{ samples: 1000, minutes: 1440 }] },
          acme: { id: 42, submission_rate_limit: [{ samples: 1000, minutes: 1440 }], extract_archives: true },
        },
        dynamic_service: DYNAMIC,
        users: { [limitedName]: { submission_rate_limit: [{ samples: 2, minutes: 60 }] } },
      },
    });
    api = await startApi(config, [], (builder) => builder.overrideProvider(CLOCK).useValue(clock));
    analyst = await addUserWithKey(api);
    bot = await addUserWithKey(api, { type: ['submitter'] });
    limited = await addUserWithKey(api, { uname: limitedName });
    acme = await addUserWithKey(api, { organization: 'acme', type: ['submitter'] });
    outsider = await addUserWithKey(api, { organization: 'acme' });
    serviceUser = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await api?.close();
    await web?.stop();
    connection?.disconnect();
  });

  describe('before any dispatcher runs', () => {
    it('POST /api/v2/samples (api_key as a form field before the file) answers the sample in state wait, with Threat Grid field types', async () => {
      const content = 'a plain note for the sandbox\n';
      const answer = await submitFile(analyst, content, 'C:\\Users\\me\\note.txt', { tags: ['alpha, beta', 'gamma'], private: 'True', vm: 'win10' });
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toMatch(/^application\/json; ?charset=utf-8$/);
      expect(answer.body).toEqual({ api_version: 2, id: expect.any(Number), data: expect.any(Object) });
      const data = answer.body.data;
      expect(data).toMatchObject({
        state: 'wait',
        status: 'pending',
        analyzing: true,
        login: analyst.uname,
        filename: 'note.txt',
        sha256: sha256Of(content),
        md5: md5Of(content),
        sha1: createHash('sha1').update(content).digest('hex'),
        tags: ['alpha', 'beta', 'gamma'],
        private: true,
        vm: 'win10',
        os: '',
      });
      expect(data.id).toMatch(/^[0-9a-f]{32}$/); // Threat Grid's id form (clients check it)
      expect(Number.isInteger(data.submission_id)).toBe(true);
      expect(data.submitted_at).toMatch(TIME);
      expect(data.permalink).toBe(`https://hopper.example/api/v4/submission/${data.id}/`);
      expect(data.glovebox_url).toBeUndefined();
      expect(await stateOf(analyst, data.id)).toBe('wait');
    });

    it('takes the api_key from the query, a urlencoded GET body and a Bearer header', async () => {
      const { body } = await submitFile(analyst, 'keys everywhere', 'keys.txt');
      const id = body.data.id as string;
      const fromQuery = await request(server()).get(`/api/v2/samples/${id}/state`).query({ api_key: tgKey(analyst) });
      const fromBody = await request(server()).get(`/api/v2/samples/${id}/state`).type('form').send(`api_key=${encodeURIComponent(tgKey(analyst))}`);
      const fromBearer = await request(server()).get(`/api/v2/samples/${id}`).set('Authorization', `Bearer ${tgKey(analyst)}`);
      for (const answer of [fromQuery, fromBody, fromBearer]) expect([answer.status, answer.body]).toEqual([200, expect.anything()]);
      expect(fromQuery.body.data).toEqual({ state: 'wait', status: 'pending' });
      expect(fromBody.body.data.state).toBe('wait');
      expect(fromBearer.body.data.id).toBe(id);
    });

    it('answers 401 with a JSON error envelope without a key, with a wrong key, and for a multipart body with no key', async () => {
      for (const answer of [
        await request(server()).get('/api/v3/session/whoami'),
        await request(server()).get('/api/v3/session/whoami').query({ api_key: `${analyst.uname}:testkey:wrong` }),
        await request(server()).post('/api/v2/samples').attach('sample', Buffer.from('x'), 'x.txt'),
      ]) {
        expect(answer.status).toBe(401);
        expect(answer.body).toEqual({
          api_version: expect.any(Number),
          id: expect.any(Number),
          error: { message: 'Unauthorized API request.', code: 401, errors: [{ code: 401, message: expect.any(String) }] },
        });
      }
    });

    it('routes the paths clients write: a doubled leading slash, and the query after "&"', async () => {
      const doubled = await request(server()).get('//api/v3/session/whoami').query({ api_key: tgKey(analyst) });
      expect(doubled.status).toBe(200);
      const ampersand = await request(server()).get(`/api/v3/session/whoami&api_key=${encodeURIComponent(tgKey(analyst))}`);
      expect(ampersand.status).toBe(200);
      expect(ampersand.body.data.login).toBe(analyst.uname);
    });

    it('answers bodies it cannot read (over-size or form not in UTF-8, invalid JSON) in the Threat Grid envelope', async () => {
      const path = '/api/v2/samples/state';
      const huge = await request(server()).post(path).query({ api_key: tgKey(analyst) }).type('form').send(`ids=${'a'.repeat(config.api.max_json_body + 1)}`);
      expect(huge.status).toBe(413);
      expect(huge.body.error).toMatchObject({ code: 413, message: `The form body is larger than ${config.api.max_json_body} bytes` });
      const latin1 = await request(server())
        .post(path)
        .query({ api_key: tgKey(analyst) })
        .set('Content-Type', 'application/x-www-form-urlencoded')
        .send('ids=%E9t%E9');
      expect(latin1.status).toBe(400);
      expect(latin1.body.error.message).toBe('The form body is not valid UTF-8');
      const badJson = await request(server()).post(path).query({ api_key: tgKey(analyst) }).set('Content-Type', 'application/json').send('{"ids": NaN}');
      expect(badJson.status).toBe(400);
      expect(badJson.body.error).toMatchObject({ code: 400, errors: [{ code: 400, message: expect.any(String) }] });
      const jsonIds = await request(server()).post(path).query({ api_key: tgKey(analyst) }).send({ ids: 42 });
      expect(jsonIds.status).toBe(400);
      expect(jsonIds.body.error.message).toBe('ids must be sample ids (strings).');
    });

    it('answers an unknown Threat Grid route with a 404 in the Threat Grid envelope', async () => {
      const answer = await get(analyst, '/api/v2/samples/some-id/behaviors.json/extra');
      expect(answer.status).toBe(404);
      expect(answer.body.error).toEqual({
        message: 'No such API: GET /api/v2/samples/some-id/behaviors.json/extra.',
        code: 404,
        errors: [{ code: 404, message: 'No such API: GET /api/v2/samples/some-id/behaviors.json/extra.' }],
      });
      expect((await request(server()).get('/api/v3/auth/init/')).status).toBe(404);
    });

    it('refuses a submission without a sample, and bad options, in Threat Grid words; nothing is created', async () => {
      const submissions = api.get(SubmissionsRepository);
      const before = await submissions.model.countDocuments({});
      const missing = await request(server()).post('/api/v2/samples').field('api_key', tgKey(analyst)).field('vm', 'win10');
      expect(missing.status).toBe(400);
      expect(missing.body.error).toEqual({ message: 'The parameter sample is required. ', code: 400, errors: [{ code: 400, message: 'The parameter sample is required. ' }] });
      const noBody = await request(server()).post('/api/v2/samples').query({ api_key: tgKey(analyst) });
      expect(noBody.status).toBe(400);
      expect(noBody.body.error.message).toBe('The parameter sample is required. ');
      const bad = await submitFile(analyst, 'x', 'x.txt', { vm: 'amiga', private: 'perhaps', playbook: 'dance' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('Invalid parameters.');
      expect(bad.body.error.errors.map((error: { message: string }) => error.message)).toEqual([
        'The parameter private must be true or false (got "perhaps").',
        'The vm "amiga" is not available; choose one of: win10.',
        'The playbook "dance" is not available; choose one of: default, none.',
      ]);
      expect(await submissions.model.countDocuments({})).toBe(before);
    });

    it('a sample whose file is gone before dispatch ends in state fail, and analysis.json carries the error', async () => {
      const content = 'this file will vanish';
      const { body } = await submitFile(analyst, content, 'vanish.txt');
      await api.get(FilesRepository).model.deleteOne({ _id: sha256Of(content) });
      dispatcher = await startDispatcher(config);
      await eventually(() => stateOf(analyst, body.data.id), (state) => state === 'fail');
      const state = await get(analyst, `/api/v2/samples/${body.data.id}/state`);
      expect(state.body.data).toEqual({ state: 'fail', status: 'job_failed' });
      const analysis = await get(analyst, `/api/v2/samples/${body.data.id}/analysis.json`);
      expect(analysis.status).toBe(200);
      expect(analysis.body.api_version).toBeUndefined(); // raw, no envelope
      expect(analysis.body.error).toEqual({ message: expect.stringContaining(sha256Of(content)), code: 'analysis_failed' });
    });
  });

  describe('with the dispatcher', () => {
    beforeAll(async () => {
      dispatcher ??= await startDispatcher(config);
    });

    it('goes wait → run (with its glovebox_url) → succ, and serves analysis.json, threat, processes.json and network.pcap', async () => {
      const pdf = '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n';
      const seen: string[] = [];
      const { body } = await submitFile(analyst, pdf, 'invoice.pdf', { vm: 'win10', playbook: 'default', network_exit: 'sim-all' });
      const id = body.data.id as string;
      seen.push(body.data.state);

      const dynamicTask = await takeServiceTask(config, connection, DYNAMIC);
      expect(dynamicTask.params).toMatchObject({ vm: 'win10', playbook: 'default', network_exit: 'sim-all' });
      const base = `/api/v4/service/${encodeURIComponent(DYNAMIC)}/task/${encodeURIComponent(dynamicTask.task_id)}`;
      const glovebox = await request(server()).post(`${base}/glovebox/`).set(serviceUser.headers).send({ url: 'https://sandbox.example/glovebox/abc/' });
      expect(glovebox.status).toBe(200);

      const running = await get(analyst, `/api/v2/samples/${id}`);
      seen.push(running.body.data.state);
      expect(running.body.data).toMatchObject({ state: 'run', status: 'analyzing_sample', glovebox_url: 'https://sandbox.example/glovebox/abc/' });
      const listed = await get(analyst, '/api/v2/samples').query({ id });
      expect(listed.body.data.items[0].glovebox_url).toBe('https://sandbox.example/glovebox/abc/');
      const early = await get(analyst, `/api/v2/samples/${id}/network.pcap`);
      expect(early.status).toBe(404);
      expect(early.body.error.message).toBe(`Sample ${id} has no network.pcap: the analysis is not finished.`);

      const processes = JSON.stringify({ 1: { pid: 4242, name: 'AcroRd32.exe', children: [] } });
      const pcap = Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), Buffer.alloc(20, 1)]);
      const result = {
        sections: [
          { title: 'Dropped and ran a script', heuristic: { heur_id: 'DYN.1', name: 'Executes a dropped script', score: 700 }, tags: [{ type: 'network.dynamic.domain', value: 'c2.evil-domain.net' }] },
          { title: 'Contacted a host', heuristic: { heur_id: 'DYN.2', name: 'Network contact', score: 100 }, tags: [{ type: 'network.dynamic.ip', value: '185.220.101.4' }] },
        ],
      };
      const posted = await request(server())
        .post(`${base}/result/`)
        .set(serviceUser.headers)
        .field('json', JSON.stringify({ result }))
        .attach('supplementary', Buffer.from(processes), 'processes.json')
        .attach('supplementary', pcap, 'network.pcap');
      expect(posted.status).toBe(200);

      await finished(analyst, id);
      seen.push(await stateOf(analyst, id));
      expect(seen).toEqual(['wait', 'run', 'succ']);

      const summary = await get(analyst, `/api/v2/samples/${id}/summary`);
      expect(summary.body.data).toMatchObject({ sample: id, sha256: sha256Of(pdf), state: 'succ', status: 'job_done', filename: 'invoice.pdf' });
      expect(summary.body.data.stats).toMatchObject({ iocs: expect.any(Number), artifacts: 1, extracted_files: 0, domains: 1, network: 1 });
      expect(summary.body.data.behaviors.map((behavior: { name: string }) => behavior.name)).toEqual(expect.arrayContaining(['DYN.1', 'DYN.2']));

      const threat = await get(analyst, `/api/v2/samples/${id}/threat`);
      expect(threat.status).toBe(200);
      expect(threat.body.data.score).toBeGreaterThanOrEqual(80);
      expect(threat.body.data.bis).toEqual(expect.arrayContaining(['DYN.1', 'DYN.2']));

      const analysis = await get(analyst, `/api/v2/samples/${id}/analysis.json`);
      expect(analysis.status).toBe(200);
      expect(analysis.body.api_version).toBeUndefined();
      expect(analysis.body.threat.threat_score).toBe(threat.body.data.score);
      expect(analysis.body.metadata.malware_desc[0]).toMatchObject({ filename: 'invoice.pdf', type: 'document/pdf', sha256: sha256Of(pdf) });
      expect(analysis.body.iocs.find((ioc: { ioc: string }) => ioc.ioc === 'DYN.1')).toMatchObject({ title: 'Executes a dropped script', severity: 70, hits: 1 });
      expect(analysis.body.dynamic.processes).toEqual(JSON.parse(processes));
      expect(analysis.body.observables.domains).toContain('c2.evil-domain.net');
      expect(analysis.body.observables.ips).toContain('185.220.101.4');
      expect(analysis.body.error).toBeUndefined();

      const downloaded = await get(analyst, `/api/v2/samples/${id}/network.pcap`).buffer(true).parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      });
      expect(downloaded.status).toBe(200);
      expect(downloaded.headers['content-type']).toBe('application/vnd.tcpdump.pcap');
      expect(Buffer.compare(downloaded.body as Buffer, pcap)).toBe(0);
      const processesJson = await get(analyst, `/api/v2/samples/${id}/processes.json`);
      expect(processesJson.status).toBe(200);
      const video = await get(analyst, `/api/v2/samples/${id}/video.webm`);
      expect(video.status).toBe(404);
      expect(video.body.error).toMatchObject({ code: 404, message: `Sample ${id} has no video.webm: no analysis service produced one.` });
    });

    it('batch state: POST with urlencoded ids=[JSON list], and GET ?ids=; unknown ids are left out', async () => {
      const first = (await submitFile(analyst, 'batch one', 'one.txt')).body.data.id as string;
      const second = (await submitFile(analyst, 'batch two', 'two.txt')).body.data.id as string;
      await finished(analyst, first);
      await finished(analyst, second);
      const posted = await request(server())
        .post('/api/v2/samples/state')
        .query({ api_key: tgKey(analyst) })
        .type('form')
        .send(`ids=${encodeURIComponent(JSON.stringify([first, second, 'nope']))}`);
      expect(posted.status).toBe(200);
      expect(posted.body.data).toEqual([
        { sample: first, state: 'succ', status: 'job_done' },
        { sample: second, state: 'succ', status: 'job_done' },
      ]);
      const byQuery = await get(analyst, '/api/v2/samples/state').query({ ids: JSON.stringify([second]) });
      expect(byQuery.body.data).toEqual([{ sample: second, state: 'succ', status: 'job_done' }]);
    });

    it('submits a URL given in the query (POST with no body) through the safe downloader', async () => {
      const url = `http://127.0.0.1:${web.port}/drop/invoice.txt`;
      const answer = await request(server()).post('/api/v2/samples').query({ api_key: tgKey(analyst), url });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ filename: url, sha256: sha256Of('invoice text from http://evil-domain.net/x\n'), state: 'wait' });
      const refused = await request(server()).post('/api/v2/samples').query({ api_key: tgKey(analyst), url: 'http://169.254.169.254/latest/meta-data/' });
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
      expect(refused.body.error.errors[0].message).toEqual(expect.any(String));
    });

    it('lists samples (limit=1 as a connectivity test, ?id=) and searches them by sha256, file name and score, org_only', async () => {
      const content = `searchable ${uniqueId('content')}`;
      const id = (await submitFile(analyst, content, 'quarterly-report.txt')).body.data.id as string;
      await finished(analyst, id);
      const one = await get(analyst, '/api/v2/samples').query({ limit: 1 });
      expect(one.body.data).toMatchObject({ current_item_count: 1, index: 0, items_per_page: 1 });
      const byId = await get(analyst, '/api/v2/samples').query({ id });
      expect(byId.body.data.items.map((item: { id: string }) => item.id)).toEqual([id]);

      const bySha = await get(analyst, '/api/v2/search/submissions').query({ q: sha256Of(content), org_only: 'True' });
      expect(bySha.status).toBe(200);
      expect(bySha.body.data).toMatchObject({ current_item_count: 1, index: 0, items_per_page: 100 });
      expect(bySha.body.data.items[0].item).toMatchObject({ sample: id, sha256: sha256Of(content), filename: 'quarterly-report.txt', state: 'succ' });
      expect(bySha.body.data.items[0].item.analysis.threat_score).toEqual(expect.any(Number));
      const byName = await get(analyst, '/api/v2/search/submissions').query({ q: 'QUARTERLY-report' });
      expect(byName.body.data.items.map((entry: { item: { sample: string } }) => entry.item.sample)).toContain(id);
      const highOnly = await get(analyst, '/api/v2/search/submissions').query({ q: 'score:>=101' });
      expect(highOnly.status).toBe(400);
      // Another organization sees nothing of the default organization with org_only.
      const otherOrg = await get(outsider, '/api/v2/search/submissions').query({ q: sha256Of(content), org_only: 'true' });
      expect(otherOrg.body.data.items).toEqual([]);
    });

    it('a private sample is hidden from another organization (404 as for an unknown id)', async () => {
      const id = (await submitFile(analyst, 'private matters', 'private.txt', { private: 'true' })).body.data.id as string;
      const hidden = await get(outsider, `/api/v2/samples/${id}`);
      expect(hidden.status).toBe(404);
      expect(hidden.body.error.message).toBe(`Sample ${id} not found.`);
      expect((await get(outsider, '/api/v2/samples/unknown-id')).body.error.message).toBe('Sample unknown-id not found.');
      expect((await get(analyst, `/api/v2/samples/${id}`)).status).toBe(200);
    });
  });

  describe('account and configuration (v3)', () => {
    it('whoami answers login, organization_id (integer), role, email, name, title', async () => {
      const answer = await get(acme, '/api/v3/session/whoami');
      expect(answer.body).toMatchObject({ api_version: 3, id: expect.any(Number) });
      expect(answer.body.data).toEqual({ login: acme.uname, name: acme.uname, email: '', title: '', role: 'user', organization_id: 42 });
    });

    it('rate-limit answers user and organization levels with Threat Grid field names', async () => {
      const answer = await get(analyst, `/api/v3/users/${analyst.uname}/rate-limit`);
      expect(answer.status).toBe(200);
      expect(answer.body.data.user).toEqual({ 'submission-rate-limit': [], 'submission-wait-seconds': 0, 'submissions-available': null });
      expect(answer.body.data.organization).toEqual({
        'submission-rate-limit': [{ samples: 1000, minutes: 1440, 'submissions-available': expect.any(Number), 'submission-wait-seconds': 0 }],
        'submission-wait-seconds': 0,
        'submissions-available': expect.any(Number),
      });
      expect(answer.body.data.organization['submissions-available']).toBeLessThan(1000);
      const other = await get(analyst, `/api/v3/users/${bot.uname}/rate-limit`);
      expect(other.status).toBe(403);
    });

    it('lists the configured VMs, playbooks and network exits', async () => {
      expect((await get(analyst, '/api/v3/configuration/vms')).body.data).toEqual({ vms: [{ vm: 'win10', 'display-name': 'Windows 10 64-bit', software: [], 'ui-only': false }] });
      expect((await get(analyst, '/api/v3/configuration/playbooks')).body.data.playbooks.map((playbook: { name: string }) => playbook.name)).toEqual(['default', 'none']);
      const exits = (await get(analyst, '/api/v3/configuration/network-exits')).body.data;
      expect(exits.map((exit: { name: string; simulation: string }) => [exit.name, exit.simulation])).toEqual([
        ['direct', 'none'],
        ['sim-as-needed', 'As Needed'],
        ['sim-all', 'All Simulated'],
      ]);
    });
  });

  describe('automated-submission controls', () => {
    it('rate limits: RateLimit headers on each answer, then 429 with Retry-After; the refused submission leaves nothing', async () => {
      const submissions = api.get(SubmissionsRepository);
      const first = await submitFile(limited, 'limited one', 'a.txt');
      expect(first.status).toBe(200);
      expect(first.headers['ratelimit-limit']).toBe('2');
      expect(first.headers['ratelimit-remaining']).toBe('1');
      expect(Number(first.headers['ratelimit-reset'])).toBeGreaterThan(3590);
      const second = await submitFile(limited, 'limited two', 'b.txt');
      expect(second.headers['ratelimit-remaining']).toBe('0');
      const before = await submissions.model.countDocuments({ 'params.submitter': limited.uname });
      const third = await submitFile(limited, 'limited three', 'c.txt');
      expect(third.status).toBe(429);
      expect(third.headers['retry-after']).toEqual(expect.stringMatching(/^\d+$/));
      expect(Number(third.headers['retry-after'])).toBeGreaterThan(3590);
      expect(third.headers['ratelimit-remaining']).toBe('0');
      expect(third.body.error).toMatchObject({ code: 429, message: `Rate limit exceeded (user ${limited.uname}: 2 samples per 60 minutes).` });
      expect(await submissions.model.countDocuments({ 'params.submitter': limited.uname })).toBe(before);
      // Its dedupe claim was given back: the same file is not a "duplicate" of a sample that was never made.
      expect(await connection.exists(`${config.redis.prefix}:tg:dedupe:default:${sha256Of('limited three')}`)).toBe(0);
      expect(await connection.exists(`${config.redis.prefix}:tg:dedupe:default:${sha256Of('limited two')}`)).toBe(1);
      const limits = await get(limited, `/api/v3/users/${limited.uname}/rate-limit`);
      expect(limits.body.data.user['submissions-available']).toBe(0);
      expect(limits.body.data.user['submission-wait-seconds']).toBeGreaterThan(3590);
    });

    it('dedupe window: the same file again from the organization returns the existing sample; after the window, a new one', async () => {
      const content = `dedupe me ${uniqueId('x')}`;
      const first = await submitFile(analyst, content, 'dup.txt');
      const again = await submitFile(bot, content, 'dup-again.txt');
      expect(again.status).toBe(200);
      expect(again.body.data).toMatchObject({ id: first.body.data.id, duplicate: true, duplicate_window_minutes: 15 });
      const otherOrg = await submitFile(outsider, content, 'dup.txt');
      expect(otherOrg.body.data.id).not.toBe(first.body.data.id);
      expect(otherOrg.body.data.duplicate).toBeUndefined();
      clock.offsetMs += 16 * 60_000;
      try {
        const later = await submitFile(analyst, content, 'dup.txt');
        expect(later.body.data.id).not.toBe(first.body.data.id);
        expect(later.body.data.duplicate).toBeUndefined();
      } finally {
        clock.offsetMs -= 16 * 60_000;
      }
    });

    it('file-type policy: an automated submitter may not submit html; an analyst may', async () => {
      const html = '<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n';
      const refused = await submitFile(bot, html, 'page.html');
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/^File type code\/html is not submitted automatically/);
      const accepted = await submitFile(analyst, html, 'page.html');
      expect(accepted.status).toBe(200);
    });

    it('archives: an organization with extract_archives submits each supported member as its own sample', async () => {
      const archive = await zipOf({ 'report.txt': `quarterly numbers ${uniqueId('n')}`, 'landing.html': '<!DOCTYPE html><html><body><script>x()</script></body></html>\n' });
      const answer = await submitFile(acme, archive, 'bundle.zip');
      expect(answer.status).toBe(200);
      const data = answer.body.data;
      expect(data.archive).toEqual({ filename: 'bundle.zip', sha256: sha256Of(archive) });
      expect(data.samples.map((sample: { filename: string }) => sample.filename)).toEqual(['report.txt']);
      expect(data.filename).toBe('report.txt');
      expect(data.skipped).toEqual([{ filename: 'landing.html', sha256: expect.any(String), reason: expect.stringMatching(/^File type code\/html is not submitted automatically/) }]);
      await finished(acme, data.id);
      expect(await stateOf(acme, data.id)).toBe('succ');
    });

    it("counts what the controls did on the API's /metrics", async () => {
      const metrics = (await request(server()).get('/metrics')).text;
      const count = (outcome: string) => Number(new RegExp(`^hopper_threatgrid_samples_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(metrics)?.[1] ?? 0);
      expect(count('created')).toBeGreaterThanOrEqual(10);
      expect(count('duplicate')).toBe(1);
      expect(count('rate_limited')).toBe(1);
      expect(count('type_refused')).toBe(1);
      expect(count('member_skipped')).toBe(1);
    });
  });
});
