// The contract of the Threat Grid clients Hopper's /api/v2 and /api/v3 routes serve, in one place: for each route
// that pythreatgrid 1.0.11 (RustyBower/pythreatgrid, module pythreatgrid.pythreatgrid) or Cisco's Threat Grid
// sample scripts (CiscoSecurity/tg-01-basics, tg-01-download-analysis-results, tg-03-*, tg-04-*,
// tg-amp-03-*, and the scripts of JeMunos/ThreatGrid_Scripts, n3l5/Submit_ThreatGrid_Sample and
// corelight/corelight-threatgrid-example) call, the request exactly as the client builds it with Python's
// `requests` (api_key in the query, in a multipart field or in the urlencoded body of a GET; True as "True";
// lists as repeated fields; ids as json.dumps) and the fields the client's code reads from the answer. Each
// test names the client function or script it stands for. Over real Redis, MongoDB protocol and filestore,
// with the real dispatcher and an external "Sandbox" this test plays.
import { INestApplication, INestApplicationContext, Logger } from '@nestjs/common';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import type { ExternalServiceTask } from '@hopper/services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { RouteServer } from './support/route-server';
import { isolatedConfig, uniqueId } from './support/test-env';
import {
  PYTHON_REQUESTS_HEADERS,
  pythonForm,
  pythonJsonList,
  pythonMultipart,
  PythonValue,
  sandboxManifest,
  takeServiceTask,
  tgKey,
} from './support/threatgrid-client';

const SANDBOX = 'Sandbox';
const TG_JSON = /^application\/json; ?charset=utf-8$/;
const SAMPLE_ID = /^[0-9a-f]{32}$/;
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const hashOf = (algorithm: string, data: Buffer | string) => createHash(algorithm).update(data).digest('hex');
const pdfOf = (marker: string) => `%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;

/** eventually(), giving up (and failing) before Jest's own timeout. */
function within<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return eventually(async () => {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms`);
    return read();
  }, done);
}

/** Reads an answer as its exact bytes. */
function bytes(res: { on(event: string, listener: (chunk: Buffer) => void): unknown }, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** Threat Grid's error envelope, as integrations read it (`error.message`, `error.errors[0]`). */
const tgError = (code: number, message: string | jest.AsymmetricMatcher = expect.any(String)) => ({
  api_version: expect.any(Number),
  id: expect.any(Number),
  error: { message, code, errors: [expect.objectContaining({ code, message: expect.any(String) })] },
});

/** The Python client's calls, built as `requests` builds them, against one API. */
class PythonClient {
  constructor(private readonly api: () => INestApplication) {}

  private get server() {
    return this.api().getHttpServer();
  }

  /** `requests.get(url, params=params)` (also how scripts that format `?api_key=` into the URL arrive). */
  get(path: string, params: Record<string, PythonValue> = {}) {
    const query = pythonForm(params);
    return request(this.server).get(query ? `${path}?${query}` : path).set(PYTHON_REQUESTS_HEADERS);
  }

  /** `requests.get(uri, data={'api_key': key})`: pythreatgrid's make_get_request, the key in a GET body. */
  getWithBody(path: string, data: Record<string, PythonValue>) {
    return request(this.server).get(path).set(PYTHON_REQUESTS_HEADERS).set('Content-Type', 'application/x-www-form-urlencoded').send(pythonForm(data));
  }

  /** `requests.post(url, params=params, data=data)` with a dict body (urlencoded), or none. */
  post(path: string, params: Record<string, PythonValue> = {}, data?: Record<string, PythonValue>) {
    const query = pythonForm(params);
    const call = request(this.server).post(query ? `${path}?${query}` : path).set(PYTHON_REQUESTS_HEADERS);
    return data ? call.set('Content-Type', 'application/x-www-form-urlencoded').send(pythonForm(data)) : call.send();
  }

  /** `requests.post(url, params=params, files=files, data=data)`. */
  postFiles(path: string, data: Record<string, PythonValue>, files: Record<string, { filename: string; content: Buffer | string }>, params: Record<string, PythonValue> = {}) {
    const { body, contentType } = pythonMultipart(data, files);
    const query = pythonForm(params);
    return request(this.server).post(query ? `${path}?${query}` : path).set(PYTHON_REQUESTS_HEADERS).set('Content-Type', contentType).send(body);
  }
}

describe('Threat Grid client conformance', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext | null = null;
  let analyst: TestUser;
  let mailed: TestUser;
  let serviceUser: TestUser;
  let connection: IORedis;
  let web: RouteServer;
  const py = new PythonClient(() => api);

  const key = (who: TestUser = analyst) => tgKey(who);
  const stateOf = async (id: string): Promise<string> => (await py.get(`/api/v2/samples/${id}/state`, { api_key: key() })).body.data.state;
  const finished = (id: string) => within(() => stateOf(id), (state) => state === 'succ' || state === 'fail');

  beforeAll(async () => {
    // The web page 07_submit_url.py submits (www.cisco.com there), served here for the safe downloader.
    web = await new RouteServer().on('/index.html', (_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<html><body>a page</body></html>\n')).start();
    config = isolatedConfig('tg_conformance', {
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      file_sources: { allow_networks: ['127.0.0.1/32'], allowed_ports: [web.port] },
      services: { external: [sandboxManifest(SANDBOX)] },
      threatgrid: {
        portal_url: 'https://hopper.example',
        dynamic_service: SANDBOX,
        organizations: { default: { id: 7, submission_rate_limit: [{ samples: 1000, minutes: 1440 }] } },
        playbooks: [
          { name: 'default', display: 'Default', description: 'Run the sample and wait.' },
          { name: 'none', display: 'None', description: 'Run the sample without interaction.' },
          { name: 'open_word_embedded_object', display: 'Open Embedded Object', description: 'Opens what the document embeds.' },
        ],
        network_exits: [
          { name: 'direct', simulation: 'none', description: 'Real Internet access.' },
          { name: 'ny-ven', simulation: 'none', description: 'Exit in New York.' },
        ],
      },
    });
    api = await startApi(config);
    analyst = await addUserWithKey(api);
    mailed = await addUserWithKey(api, { name: 'Mia Mailed', email: 'mia@example.org' });
    serviceUser = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await api?.close();
    await web?.stop();
    connection?.disconnect();
  });

  describe('account and configuration (/api/v3)', () => {
    it('whoami: 01_authentication.py and check_rate_limit.py whoami() read data.login; every field Threat Grid writes as a string is a string, email included', async () => {
      // tg-01-basics/01_authentication.py: requests.get('…/api/v3/session/whoami?api_key={}'.format(api_key))
      const answer = await py.get('/api/v3/session/whoami', { api_key: key() });
      expect([answer.status, answer.headers['content-type']]).toEqual([200, expect.stringMatching(TG_JSON)]);
      expect(answer.body).toEqual({ api_version: 3, id: expect.any(Number), data: expect.any(Object) });
      const data = answer.body.data;
      expect(data.login).toBe(analyst.uname);
      // A user made without an e-mail address: Threat Grid accounts always have one, so never null.
      expect(data).toEqual({ login: analyst.uname, name: analyst.uname, email: '', title: '', role: 'user', organization_id: 7 });
      const withMail = await py.get('/api/v3/session/whoami', { api_key: key(mailed) });
      expect(withMail.body.data).toEqual({ login: mailed.uname, name: 'Mia Mailed', email: 'mia@example.org', title: '', role: 'user', organization_id: 7 });
    });

    it("rate-limit: check_rate_limit.py limits() reads submissions-available and submission-wait-seconds of data.user and data.organization", async () => {
      // tg-04-rate-limit-check/check_rate_limit.py: the login from whoami, then /api/v3/users/{login}/rate-limit?api_key=
      const login = (await py.get('/api/v3/session/whoami', { api_key: key() })).body.data.login;
      const answer = await py.get(`/api/v3/users/${login}/rate-limit`, { api_key: key() });
      expect(answer.status).toBe(200);
      const { user, organization } = answer.body.data;
      expect(user['submissions-available']).toBeNull(); // "You have no user specific limits"
      expect(user['submission-wait-seconds']).toBe(0);
      expect(Number.isInteger(organization['submissions-available'])).toBe(true);
      expect(organization['submission-wait-seconds']).toBe(0);
    });

    it('configuration: 08_get_vms.py, 10_get_network_exits.py and 12_get_playbooks.py print the enveloped lists', async () => {
      const vms = await py.get('/api/v3/configuration/vms', { api_key: key() });
      expect(vms.body).toEqual({ api_version: 3, id: expect.any(Number), data: { vms: [{ vm: 'win10', 'display-name': 'Windows 10 64-bit', software: [], 'ui-only': false }] } });
      const exits = await py.get('/api/v3/configuration/network-exits', { api_key: key() });
      expect(exits.body.data.map((exit: { name: string }) => exit.name)).toEqual(['direct', 'ny-ven']);
      const playbooks = await py.get('/api/v3/configuration/playbooks', { api_key: key() });
      expect(playbooks.body.data.playbooks.map((playbook: { name: string }) => playbook.name)).toEqual(['default', 'none', 'open_word_embedded_object']);
    });
  });

  describe('submitting, before any dispatcher runs', () => {
    it('pythreatgrid.pythreatgrid.ThreatGrid.submit_sample: api_key, filename, vm, private=True, tags (a list), playbook, network_exit form fields, then the sample; answers the sample', async () => {
      const content = `submitted by pythreatgrid ${uniqueId('c')}`;
      const answer = await py.postFiles(
        '/api/v2/samples',
        { api_key: key(), filename: 'renamed.txt', vm: 'win10', private: true, tags: ['alpha', 'beta'], playbook: 'default', network_exit: 'direct' },
        { sample: { filename: 'original.txt', content } },
      );
      expect([answer.status, answer.headers['content-type']]).toEqual([200, expect.stringMatching(TG_JSON)]);
      const data = answer.body.data;
      expect(data.id).toMatch(SAMPLE_ID);
      expect(data).toMatchObject({ filename: 'renamed.txt', vm: 'win10', private: true, tags: ['alpha', 'beta'], playbook: 'default', network_exit: 'direct', state: 'wait', sha256: sha256Of(content) });
    });

    it('06_submit_sample.py (api_key in the query, only the sample in the form) and 09/11/13 (vm, network_exit, playbook in the query)', async () => {
      const plain = await py.postFiles('/api/v2/samples', {}, { sample: { filename: 'file.exe', content: `MZ plain ${uniqueId('x')}` } }, { api_key: key() });
      expect(plain.status).toBe(200);
      expect(plain.body.data.id).toMatch(SAMPLE_ID);
      const options: Record<string, string>[] = [{ vm: 'win10' }, { network_exit: 'ny-ven' }, { playbook: 'open_word_embedded_object' }];
      for (const option of options) {
        const answer = await py.postFiles('/api/v2/samples', {}, { sample: { filename: 'file.exe', content: `MZ ${uniqueId('o')}` } }, { api_key: key(), ...option });
        expect([answer.status, answer.body.data]).toEqual([200, expect.objectContaining(option)]);
      }
    });

    it('bulk_submit.py and n3l5 Submit_ThreatGrid_Samples.py: private "true" form field, the sample part named after the file; they read data.id, submitted_at, filename, md5, sha1, sha256', async () => {
      const content = `bulk ${uniqueId('b')}`;
      // n3l5 posts to "…/api/v2/samples?" (an empty query).
      const answer = await py.postFiles('/api/v2/samples?', { api_key: key(), private: 'true' }, { sample: { filename: 'invoice.doc', content } });
      expect(answer.status).toBe(200);
      const data = answer.body.data;
      expect(data.id).toMatch(SAMPLE_ID);
      expect(data.submitted_at).toMatch(TIME);
      expect(data).toMatchObject({ filename: 'invoice.doc', md5: hashOf('md5', content), sha1: hashOf('sha1', content), sha256: sha256Of(content), private: true });
    });

    it('submit_from_virustotal.py: sample_filename and playbook "none" with the downloaded bytes (a part named "sample"); reads data.id', async () => {
      const answer = await py.postFiles('/api/v2/samples', { api_key: key(), sample_filename: 'meaningful name.exe', playbook: 'none' }, { sample: { filename: 'sample', content: `vt ${uniqueId('v')}` } });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ id: expect.stringMatching(SAMPLE_ID), filename: 'meaningful name.exe', playbook: 'none' });
    });

    it('corelight ThreatGridAPI.submit_sample: private=True and tags="Corelight" in the form; the caller reads nothing but the status', async () => {
      const answer = await py.postFiles('/api/v2/samples', { api_key: key(), private: true, tags: 'Corelight' }, { sample: { filename: 'extract-1234.exe', content: `zeek ${uniqueId('z')}` } });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ private: true, tags: ['Corelight'] });
    });

    it('07_submit_url.py: POST with api_key and url in the query and no body; it prints r.json(), the sample', async () => {
      const url = `http://127.0.0.1:${web.port}/index.html`;
      const answer = await py.post('/api/v2/samples', { api_key: key(), url });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toMatchObject({ id: expect.stringMatching(SAMPLE_ID), filename: url, state: 'wait', sha256: sha256Of('<html><body>a page</body></html>\n') });
    });

    it('a key-less call (pythreatgrid get_samples_id_processes sends none) answers 401 with a JSON body the client can .json()', async () => {
      const answer = await py.get('/api/v2/samples/0123456789abcdef0123456789abcdef/processes.json');
      expect([answer.status, answer.headers['content-type']]).toEqual([401, expect.stringMatching(TG_JSON)]);
      expect(answer.body).toEqual(tgError(401, 'Unauthorized API request.'));
    });

    describe('the concurrent submission quota', () => {
      let limited: TestUser;
      let daily: TestUser;

      beforeAll(async () => {
        limited = await addUserWithKey(api, { submission_quota: 1 });
        daily = await addUserWithKey(api, { submission_daily_quota: 1 });
      });

      it('bulk_submit.py past the concurrent quota: 429 with Retry-After (seconds) in the Threat Grid envelope, so scripts that retry on 429 retry; nothing is made', async () => {
        const submissions = api.get(SubmissionsRepository);
        const first = await py.postFiles('/api/v2/samples', { api_key: key(limited), private: 'true' }, { sample: { filename: 'one.txt', content: `quota one ${uniqueId('q')}` } });
        expect(first.status).toBe(200);
        const before = await submissions.model.countDocuments({ 'params.submitter': limited.uname });
        const second = await py.postFiles('/api/v2/samples', { api_key: key(limited), private: 'true' }, { sample: { filename: 'two.txt', content: `quota two ${uniqueId('q')}` } });
        expect([second.status, second.headers['content-type']]).toEqual([429, expect.stringMatching(TG_JSON)]);
        expect(second.headers['retry-after']).toBe('60');
        expect(second.body).toEqual(tgError(429, "You've exceeded your maximum concurrent submission quota of 1"));
        expect(await submissions.model.countDocuments({ 'params.submitter': limited.uname })).toBe(before);
      });

      it('the Assemblyline routes keep Assemblyline\'s 503 for the same quota (assemblyline_client retries 503)', async () => {
        const answer = await request(api.getHttpServer())
          .post('/api/v4/submit/')
          .set(limited.headers)
          .field('json', JSON.stringify({ name: 'three.txt' }))
          .attach('bin', Buffer.from(`quota three ${uniqueId('q')}`), 'three.txt');
        expect(answer.status).toBe(503);
        expect(answer.body).toMatchObject({ api_status_code: 503, api_error_message: "You've exceeded your maximum concurrent submission quota of 1" });
        expect(answer.headers['retry-after']).toBeUndefined();
      });

      it('past the daily quota: 429 with Retry-After counting the seconds to the next UTC day', async () => {
        const first = await py.postFiles('/api/v2/samples', { api_key: key(daily) }, { sample: { filename: 'd1.txt', content: `daily one ${uniqueId('d')}` } });
        expect(first.status).toBe(200);
        const second = await py.postFiles('/api/v2/samples', { api_key: key(daily) }, { sample: { filename: 'd2.txt', content: `daily two ${uniqueId('d')}` } });
        expect(second.status).toBe(429);
        expect(second.body).toEqual(tgError(429, expect.stringMatching(/daily maximum submission quota of 1$/)));
        const now = Date.now();
        const nextDay = Date.UTC(new Date(now).getUTCFullYear(), new Date(now).getUTCMonth(), new Date(now).getUTCDate() + 1);
        const retryAfter = Number(second.headers['retry-after']);
        expect(Number.isInteger(retryAfter)).toBe(true);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(Math.ceil((nextDay - now) / 1000) + 1);
      });
    });
  });

  describe('results, with the dispatcher and the Sandbox', () => {
    const pdf = pdfOf(uniqueId('analysed'));
    const text = `a plain note ${uniqueId('note')} from http://evil-domain.net/x\n`;
    const processes = { 1: { pid: 4242, name: 'AcroRd32.exe', children: [] } };
    const pcap = Buffer.concat([Buffer.from('d4c3b2a1', 'hex'), randomBytes(24)]);
    const artifacts: Record<string, Buffer> = {
      'processes.json': Buffer.from(JSON.stringify(processes)),
      'network.pcap': pcap,
      'report.html': Buffer.from('<!DOCTYPE html><html><body><h1>Sandbox report</h1></body></html>\n'),
      'screenshot.png': Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(64)]),
      'warnings.json': Buffer.from(JSON.stringify({ warnings: ['no network'] })),
      'extracted-artifacts.zip': Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(32)]),
      'network-artifacts.zip': Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(32)]),
    };
    let pdfId: string;
    let textId: string;

    beforeAll(async () => {
      dispatcher = await startDispatcher(config);
      // pythreatgrid's submit_sample, as above.
      const submitted = await py.postFiles('/api/v2/samples', { api_key: key(), vm: 'win10', playbook: 'default' }, { sample: { filename: 'invoice.pdf', content: pdf } });
      expect(submitted.status).toBe(200);
      pdfId = submitted.body.data.id;
      const task: ExternalServiceTask = await takeServiceTask(config, connection, SANDBOX, within);
      expect(task.sid).toBe(pdfId);
      let call = request(api.getHttpServer())
        .post(`/api/v4/service/${SANDBOX}/task/${encodeURIComponent(task.task_id)}/result/`)
        .set(serviceUser.headers)
        .field(
          'json',
          JSON.stringify({
            result: {
              sections: [
                { title: 'Dropped and ran a script', heuristic: { heur_id: 'DYN.1', name: 'Executes a dropped script', score: 950 }, tags: [{ type: 'network.dynamic.domain', value: 'c2.evil-domain.net' }] },
                { title: 'Contacted a host', heuristic: { heur_id: 'DYN.2', name: 'Network contact', score: 100 }, tags: [{ type: 'network.dynamic.ip', value: '185.220.101.4' }] },
              ],
            },
          }),
        );
      for (const [name, content] of Object.entries(artifacts)) call = call.attach('supplementary', content, name);
      expect((await call).status).toBe(200);
      textId = (await py.postFiles('/api/v2/samples', { api_key: key() }, { sample: { filename: 'note.txt', content: text } })).body.data.id;
      expect(await finished(pdfId)).toBe('succ');
      expect(await finished(textId)).toBe('succ');
    });

    it('pythreatgrid get_samples_id_state: GET with api_key in a urlencoded body; data.state', async () => {
      const answer = await py.getWithBody(`/api/v2/samples/${pdfId}/state`, { api_key: key() });
      expect(answer.status).toBe(200);
      expect(answer.body.data).toEqual({ state: 'succ', status: 'job_done' });
    });

    it('02_query_sids.py: POST /api/v2/samples/state with ids=json.dumps(list) in the form and the key in the session params; then threat for each succ, reading data.score', async () => {
      const answer = await py.post('/api/v2/samples/state', { api_key: key() }, { ids: pythonJsonList([pdfId, textId]) });
      expect(answer.status).toBe(200);
      const states = answer.body.data as { sample: string; state: string }[];
      expect(states.map(({ sample, state }) => [sample, state]).sort()).toEqual([[pdfId, 'succ'], [textId, 'succ']].sort());
      for (const { sample } of states) {
        const threat = await py.get(`/api/v2/samples/${sample}/threat`, { api_key: key() });
        expect(Number.isInteger(threat.body.data.score)).toBe(true);
      }
    });

    it('pythreatgrid get_samples_id_threat and get_samples_id_summary: GET with the key in the body, enveloped JSON', async () => {
      const threat = await py.getWithBody(`/api/v2/samples/${pdfId}/threat`, { api_key: key() });
      expect(threat.status).toBe(200);
      expect(threat.body.data.score).toBe(100);
      const summary = await py.getWithBody(`/api/v2/samples/${pdfId}/summary`, { api_key: key() });
      expect(summary.status).toBe(200);
      expect(summary.body.data).toMatchObject({ sample: pdfId, state: 'succ', threat_score: 100, filename: 'invoice.pdf', sha256: sha256Of(pdf) });
    });

    it('pythreatgrid get_samples_id_analysis, 02_download_analysis_json.py and JeMunos get_analysis_json.py: raw analysis.json with threat.threat_score, iocs, metadata.malware_desc[0], dynamic.processes and the sandbox run', async () => {
      const byBody = await py.getWithBody(`/api/v2/samples/${pdfId}/analysis.json`, { api_key: key() });
      const byQuery = await py.get(`/api/v2/samples/${pdfId}/analysis.json`, { api_key: key() });
      for (const answer of [byBody, byQuery]) {
        expect([answer.status, answer.headers['content-type']]).toEqual([200, expect.stringMatching(TG_JSON)]);
        expect(answer.body.api_version).toBeUndefined(); // raw, never enveloped
      }
      const analysis = byQuery.body;
      expect(analysis.threat.threat_score).toBe(100);
      expect(analysis.iocs.find((ioc: { ioc: string }) => ioc.ioc === 'DYN.1')).toMatchObject({ title: 'Executes a dropped script', severity: 95, confidence: expect.any(Number) });
      expect(analysis.metadata.malware_desc[0]).toMatchObject({ filename: 'invoice.pdf', type: 'document/pdf', sha256: sha256Of(pdf) });
      expect(analysis.dynamic.processes).toEqual(processes);
      expect(analysis.metadata.sandcastle_env).toEqual({ vm: 'win10', playbook: 'default', network_exit: '', run_time: expect.any(Number) });
      expect(analysis.warnings).toEqual([]);
      expect(analysis.error).toBeUndefined();
    });

    it('a sample the Sandbox did not take (not its file type) has no sandcastle_env, and a warning says the sandbox did not run', async () => {
      const analysis = (await py.get(`/api/v2/samples/${textId}/analysis.json`, { api_key: key() })).body;
      expect(analysis.metadata.sandcastle_env).toBeUndefined();
      expect(analysis.warnings).toEqual([{ code: 'dynamic_analysis_not_run', service: SANDBOX, message: expect.stringContaining(SANDBOX) }]);
    });

    it('pythreatgrid analysis sub-resources (iocs, iocs/<ioc>, artifacts, artifacts/<aid>, metadata, processes, annotations) with the key in the body', async () => {
      const part = async (path: string) => {
        const answer = await py.getWithBody(`/api/v2/samples/${pdfId}/analysis/${path}`, { api_key: key() });
        expect([answer.status, answer.body.api_version]).toEqual([200, 2]);
        return answer.body.data;
      };
      expect((await part('iocs')).items.map((ioc: { ioc: string }) => ioc.ioc)).toEqual(['DYN.1', 'DYN.2']);
      expect((await part('iocs/DYN.2')).ioc).toBe('DYN.2');
      expect((await part('artifacts')).items['1']).toMatchObject({ sha256: sha256Of(pdf), origin: 'submitted' });
      expect((await part('artifacts/1')).sha256).toBe(sha256Of(pdf));
      expect((await part('metadata')).malware_desc[0].sha256).toBe(sha256Of(pdf));
      expect((await part('processes')).items).toEqual(processes);
      expect(Object.keys((await part('annotations')).items.network)).toEqual(['185.220.101.4']);
    });

    it('hash_query.py: analysis/network_streams data.items[*] with dst, dst_port and protocol (it compares dst_port to 53 and protocol to "DNS"); network_streams/<nsid>', async () => {
      const streams = await py.get(`/api/v2/samples/${pdfId}/analysis/network_streams`, { api_key: key() });
      expect(streams.status).toBe(200);
      const items = streams.body.data.items as Record<string, { dst: string; dst_port: unknown; protocol: unknown }>;
      expect(Object.values(items).map((stream) => stream.dst)).toEqual(['185.220.101.4']);
      for (const stream of Object.values(items)) {
        expect(stream).toHaveProperty('dst_port');
        expect(typeof stream.protocol).toBe('string');
      }
      const one = await py.getWithBody(`/api/v2/samples/${pdfId}/analysis/network_streams/1`, { api_key: key() });
      expect(one.body.data.dst).toBe('185.220.101.4');
    });

    it('tg-01-download-analysis-results 01-10: sample.zip and every sandbox file by name (api_key in params), bytes as produced; a file no service produced is a JSON 404', async () => {
      const zip = await py.get(`/api/v2/samples/${pdfId}/sample.zip`, { api_key: key() }).buffer(true).parse(bytes);
      expect([zip.status, zip.headers['content-type']]).toEqual([200, 'application/zip']);
      for (const [name, content] of Object.entries(artifacts)) {
        const answer = await py.get(`/api/v2/samples/${pdfId}/${name}`, { api_key: key() }).buffer(true).parse(bytes);
        expect([name, answer.status]).toEqual([name, 200]);
        expect(Buffer.compare(answer.body as Buffer, content)).toBe(0);
      }
      const video = await py.get(`/api/v2/samples/${pdfId}/video.webm`, { api_key: key() });
      expect([video.status, video.headers['content-type']]).toEqual([404, expect.stringMatching(TG_JSON)]);
      expect(video.body).toEqual(tgError(404, `Sample ${pdfId} has no video.webm: no analysis service produced one.`));
    });

    it('pythreatgrid get_samples_id_warnings and get_samples_id_video: make_get_request (key in the body) and .json() of the answer', async () => {
      const warnings = await py.getWithBody(`/api/v2/samples/${pdfId}/warnings.json`, { api_key: key() });
      expect(warnings.status).toBe(200);
      expect(JSON.parse(warnings.text)).toEqual({ warnings: ['no network'] });
      const video = await py.getWithBody(`/api/v2/samples/${pdfId}/video.webm`, { api_key: key() });
      expect(video.status).toBe(404);
      expect(video.body).toEqual(tgError(404));
    });

    it('pythreatgrid calls that send no key (get_samples_id_processes, _network_artifacts, _report, _sample, _screenshot, _extracted_artifacts) get a JSON 401 they can .json()', async () => {
      for (const name of ['processes.json', 'network-artifacts.zip', 'report.html', 'sample.zip', 'screenshot.png', 'extracted-artifacts.zip']) {
        const answer = await py.get(`/api/v2/samples/${pdfId}/${name}`);
        expect([name, answer.status, answer.headers['content-type']]).toEqual([name, 401, expect.stringMatching(TG_JSON)]);
        expect(answer.body).toEqual(tgError(401, 'Unauthorized API request.'));
      }
    });

    it('the pythreatgrid calls to routes Hopper does not serve (get_samples_id_network asks for network.json, get_samples_id_analysis_processes_pid) get a JSON 404', async () => {
      for (const name of ['network.json', 'analysis/processes/4242']) {
        const answer = await py.get(`/api/v2/samples/${pdfId}/${name}`);
        expect([name, answer.status, answer.headers['content-type']]).toEqual([name, 404, expect.stringMatching(TG_JSON)]);
        expect(answer.body).toEqual(tgError(404, `No such API: GET /api/v2/samples/${pdfId}/${name}.`));
      }
    });

    describe('searching and listing', () => {
      const item = (id: string) => expect.objectContaining({ item: expect.objectContaining({ sample: id }) });

      it('02_get_org_samples.py (org_only=True), 03_get_user_samples.py (user_only=True) and 04_submission_search.py (q=<domain>) answer data.items[].item.sample', async () => {
        const org = await py.get('/api/v2/search/submissions', { org_only: 'True', api_key: key() });
        expect(org.body.data.items).toEqual(expect.arrayContaining([item(pdfId), item(textId)]));
        const own = await py.get('/api/v2/search/submissions', { user_only: 'True', api_key: key() });
        expect(own.body.data.items).toEqual(expect.arrayContaining([item(pdfId), item(textId)]));
        const other = await addUserWithKey(api);
        expect((await py.get('/api/v2/search/submissions', { user_only: 'True', api_key: key(other) })).body.data.items).toEqual([]);
        const domain = await py.get('/api/v2/search/submissions', { q: 'c2.evil-domain.net', api_key: key() });
        expect(domain.body.data.items.map((entry: { item: { sample: string } }) => entry.item.sample)).toEqual([pdfId]);
      });

      it('01_paginate.py: offset paging until current_item_count != items_per_page, reading item.sample', async () => {
        const seen: string[] = [];
        const parameters = { api_key: key(), offset: 0, org_only: true, limit: 2 };
        for (let page = 0; page < 50; page++) {
          const data = (await py.get('/api/v2/search/submissions', parameters)).body.data;
          parameters.offset += data.items_per_page;
          seen.push(...data.items.map((entry: { item: { sample: string } }) => entry.item.sample));
          if (data.current_item_count !== data.items_per_page) break;
        }
        expect(seen).toEqual(expect.arrayContaining([pdfId, textId]));
        expect(new Set(seen).size).toBe(seen.length);
      });

      it('01_get_sids.py (after="last hour", state=wait, org_only=True) and get_samples_add_sha256_to_scd.py (advanced, state=succ, q=analysis.threat_score:>=95) read item.sample and item.sha256', async () => {
        const waiting = await py.get('/api/v2/search/submissions', { api_key: key(), after: 'last hour', state: 'wait', org_only: true });
        expect(waiting.status).toBe(200);
        expect(waiting.body.data.items.map((entry: { item: { sample: string } }) => entry.item.sample)).not.toContain(pdfId);
        const high = await py.get('/api/v2/search/submissions', { api_key: key(), advanced: 'true', state: 'succ', q: 'analysis.threat_score:>=95' });
        expect(high.body.data.items.map((entry: { item: { sha256: string } }) => entry.item.sha256)).toEqual([sha256Of(pdf)]);
      });

      it('get_org_exes_95_or_greater.py: its advanced q names a field Hopper cannot search (analysis.metadata.submitted_file.type): a 400 naming it, never a page that reads "nothing found"', async () => {
        const parameters = { api_key: key(), advanced: 'true', offset: 0, org_only: true, after: '30 days ago', q: 'analysis.metadata.submitted_file.type:exe && analysis.threat_score:>=95' };
        const answer = await py.get('/api/v2/search/submissions', parameters);
        expect(answer.status).toBe(400);
        expect(answer.body).toEqual(tgError(400, expect.stringMatching(/^The search term analysis\.metadata\.submitted_file\.type is not supported by this server/)));
        // The score half alone, joined the same way with another term Hopper reads, is searched.
        const both = await py.get('/api/v2/search/submissions', { ...parameters, q: `filename:invoice && analysis.threat_score:>=95` });
        expect(both.body.data.items.map((entry: { item: { sample: string } }) => entry.item.sample)).toEqual([pdfId]);
      });

      it('submit_from_virustotal.py (limit=1, state=succ, after, sort_by, q=<sha256>), DevNet_script_1.py and hash_query.py (q=<hash>&offset&limit) read current_item_count and items[0].item.sample', async () => {
        const vt = await py.get('/api/v2/search/submissions', { limit: 1, state: 'succ', after: '2015-01-01', api_key: key(), sort_by: 'threat_score', q: sha256Of(pdf) });
        expect(vt.body.data.current_item_count).toBe(1);
        expect(vt.body.data.items[0].item.sample).toBe(pdfId);
        const devnet = await py.get('/api/v2/search/submissions', { q: sha256Of(text), api_key: key() });
        expect(devnet.body.data.items[0].item.sample).toBe(textId);
        const paged = await py.get(`/api/v2/search/submissions?q=${sha256Of(pdf)}&api_key=${encodeURIComponent(key())}&offset=0&limit=100`);
        expect(paged.body.data).toMatchObject({ current_item_count: 1, items: [item(pdfId)] });
      });

      it('corelight ThreatGridAPI.get_samples(sha256=…) reads data.items; a Splunk-style connectivity test GET /api/v2/samples?limit=1', async () => {
        const bySha = await py.get('/api/v2/samples', { api_key: key(), sha256: sha256Of(text) });
        expect(bySha.body.data.items.map((sample: { id: string }) => sample.id)).toEqual([textId]);
        const none = await py.get('/api/v2/samples', { api_key: key(), sha256: sha256Of('never submitted') });
        expect(none.body.data.items).toEqual([]);
        const one = await py.get('/api/v2/samples', { api_key: key(), limit: 1 });
        expect(one.body.data).toMatchObject({ current_item_count: 1, items_per_page: 1 });
      });
    });
  });
});

describe('Threat Grid clients when the configured sandbox is not registered', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext;
  let analyst: TestUser;
  let warnings: string[];
  let warnSpy: jest.SpyInstance;
  const py = new PythonClient(() => api);

  beforeAll(async () => {
    warnings = [];
    // Start-up warnings, as "<logger context>: <message>" (the Nest Logger the apps log through).
    warnSpy = jest.spyOn(Logger.prototype, 'warn').mockImplementation(function (this: Logger, message: unknown) {
      const context = (this as unknown as { context?: string }).context ?? '';
      warnings.push(`${context}: ${typeof message === 'string' ? message : JSON.stringify(message)}`);
    });
    // No external services at all: the Sandbox that threatgrid.dynamic_service names does not exist.
    config = isolatedConfig('tg_no_sandbox', {
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      services: { external: [] },
      threatgrid: { dynamic_service: SANDBOX },
    });
    api = await startApi(config);
    dispatcher = await startDispatcher(config);
    analyst = await addUserWithKey(api);
  });

  afterAll(async () => {
    warnSpy?.mockRestore();
    await dispatcher?.close();
    await api?.close();
  });

  it('the API and the dispatcher warn at start-up that threatgrid.dynamic_service names no registered service', () => {
    expect(warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ThreatGridApi: threatgrid\.dynamic_service "Sandbox" is not a registered service/),
        expect.stringMatching(/^ServiceCatalog: threatgrid\.dynamic_service "Sandbox" is not a registered service/),
      ]),
    );
  });

  it('pythreatgrid submit_sample then get_samples_id_analysis: the sample completes, analysis.json warns that the Sandbox does not exist and reports no sandbox run', async () => {
    const content = `nobody will run this ${uniqueId('n')}`;
    const submitted = await py.postFiles('/api/v2/samples', { api_key: tgKey(analyst), vm: 'win10' }, { sample: { filename: 'note.txt', content } });
    expect(submitted.status).toBe(200);
    const id = submitted.body.data.id as string;
    const state = await within(async () => (await py.getWithBody(`/api/v2/samples/${id}/state`, { api_key: tgKey(analyst) })).body.data.state, (value) => value === 'succ' || value === 'fail');
    expect(state).toBe('succ');
    const analysis = (await py.getWithBody(`/api/v2/samples/${id}/analysis.json`, { api_key: tgKey(analyst) })).body;
    expect(analysis.metadata.sandcastle_env).toBeUndefined();
    expect(analysis.warnings).toEqual([{ code: 'service_unavailable', service: SANDBOX, message: expect.stringContaining(`${SANDBOX} is not registered`) }]);
    expect(analysis.service_errors).toEqual([{ sha256: sha256Of(content), service: SANDBOX, type: 'SERVICE DOWN', message: expect.stringContaining(`${SANDBOX} is not registered`) }]);
    expect(analysis.error).toBeUndefined();
  });

  it("the Assemblyline routes show it as the submission's error (Assemblyline's error document, type SERVICE DOWN); a category with no service is no error", async () => {
    const content = Buffer.from(`assemblyline submit ${uniqueId('a')}`);
    const submitted = await request(api.getHttpServer())
      .post('/api/v4/submit/')
      .set(analyst.headers)
      .field('json', JSON.stringify({ name: 'al.txt', params: { services: { selected: ['NoSuchService', 'Dynamic Analysis', 'Extraction'] } } }))
      .attach('bin', content, 'al.txt');
    expect(submitted.status).toBe(200);
    const sid = submitted.body.api_response.sid as string;
    const submission = await within(async () => (await request(api.getHttpServer()).get(`/api/v4/submission/${sid}/`).set(analyst.headers)).body.api_response, (value) => value.state !== 'submitted');
    expect(submission).toMatchObject({ state: 'completed', error_count: 1, errors: [expect.stringContaining('NoSuchService')] });
    const file = await request(api.getHttpServer()).get(`/api/v4/submission/${sid}/file/${sha256Of(content)}/`).set(analyst.headers);
    expect(file.body.api_response.errors).toEqual([
      expect.objectContaining({
        sha256: sha256Of(content),
        type: 'SERVICE DOWN',
        response: expect.objectContaining({ service_name: 'NoSuchService', status: 'FAIL_NONRECOVERABLE', message: expect.stringContaining('NoSuchService is not registered') }),
      }),
    ]);
  });
});
