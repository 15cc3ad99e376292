// Threat Grid's per-sample routes beyond analysis.json, as pythreatgrid variants and the Splunk SOAR connector
// call them: the enveloped parts of the analysis (`…/analysis/iocs`, `/artifacts`, `/metadata`…), the raw
// files a sandbox produced (report.html, screenshot.png…) and sample.zip. Over real Redis, MongoDB protocol and
// filestore, with the real dispatcher and an external "Sandbox" service this test plays.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import * as zip from '@zip.js/zip.js';
import IORedis from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import type { ExternalServiceTask } from '@hopper/services';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig, uniqueId } from './support/test-env';
import { sandboxManifest, takeServiceTask, tgKey } from './support/threatgrid-client';

zip.configure({ useWebWorkers: false });

const SANDBOX = 'Sandbox';
const TG_JSON = /^application\/json; ?charset=utf-8$/;
const sha256Of = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');
const pdfOf = (marker: string) => `%PDF-1.4\n% ${marker}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;

/** Reads any answer as its exact bytes (supertest would otherwise decode text and drop what it cannot parse). */
function bytes(res: { on(event: string, listener: (chunk: Buffer) => void): unknown }, done: (error: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (chunk: Buffer) => chunks.push(chunk));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}

/** eventually(), but giving up (and failing) before Jest's own timeout, so a stuck wait does not poll on after the test. */
function within<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 25_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return eventually(async () => {
    if (Date.now() > deadline) throw new Error(`still waiting after ${timeoutMs} ms`);
    return read();
  }, done);
}

/** The entries of a zip, read back with `password`. */
async function unzip(archive: Buffer, password: string): Promise<{ name: string; content: Buffer; encrypted: boolean; zipCrypto: boolean }[]> {
  const reader = new zip.ZipReader(new zip.Uint8ArrayReader(archive), { password });
  try {
    const entries = await reader.getEntries();
    return await Promise.all(
      entries.map(async (entry) => ({
        name: entry.filename,
        content: Buffer.from(await (entry as zip.FileEntry).getData(new zip.Uint8ArrayWriter())),
        encrypted: entry.encrypted,
        zipCrypto: entry.zipCrypto,
      })),
    );
  } finally {
    await reader.close();
  }
}

describe('Threat Grid per-sample artifacts and analysis parts', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext;
  let analyst: TestUser;
  let bot: TestUser;
  let serviceUser: TestUser;
  let connection: IORedis;

  const server = () => api.getHttpServer();
  const submitFile = (who: TestUser, data: Buffer | string, filename: string) =>
    request(server()).post('/api/v2/samples').field('api_key', tgKey(who)).attach('sample', Buffer.from(data), filename);
  const get = (who: TestUser, path: string) => request(server()).get(path).query({ api_key: tgKey(who) });
  const getBytes = (who: TestUser, path: string) => get(who, path).buffer(true).parse(bytes);
  const stateOf = async (id: string): Promise<string> => (await get(analyst, `/api/v2/samples/${id}/state`)).body.data.state;
  const finished = (id: string) => within(() => stateOf(id), (state) => state === 'succ' || state === 'fail');

  /** Takes the Sandbox's task for sample `id` off its queue, as the service would. */
  async function sandboxTask(id: string): Promise<ExternalServiceTask> {
    const taken = await takeServiceTask(config, connection, SANDBOX, within);
    expect(taken.sid).toBe(id);
    return taken;
  }

  /** Posts the Sandbox's result for `task` with `files` as supplementary files, as the service would. */
  async function postResult(task: ExternalServiceTask, result: unknown, files: Record<string, Buffer>): Promise<void> {
    let call = request(server())
      .post(`/api/v4/service/${encodeURIComponent(SANDBOX)}/task/${encodeURIComponent(task.task_id)}/result/`)
      .set(serviceUser.headers)
      .field('json', JSON.stringify({ result }));
    for (const [name, content] of Object.entries(files)) call = call.attach('supplementary', content, name);
    const posted = await call;
    expect(posted.status).toBe(200);
  }

  beforeAll(async () => {
    config = isolatedConfig('threatgrid_artifacts', {
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      services: {
        // Only PDFs go to the sandbox, so other samples complete with the built-in services alone.
        external: [sandboxManifest(SANDBOX)],
      },
      threatgrid: { portal_url: 'https://hopper.example', dynamic_service: SANDBOX },
    });
    api = await startApi(config);
    dispatcher = await startDispatcher(config);
    analyst = await addUserWithKey(api);
    bot = await addUserWithKey(api, { type: ['submitter'] });
    serviceUser = await addUserWithKey(api, { type: ['custom'], roles: ['external_service'] });
    connection = new IORedis(config.redis.url, { maxRetriesPerRequest: null });
  });

  afterAll(async () => {
    await dispatcher?.close();
    await api?.close();
    connection?.disconnect();
  });

  describe('a sample the Sandbox analysed', () => {
    const pdf = pdfOf(uniqueId('analysed'));
    const processes = { 1: { pid: 4242, name: 'AcroRd32.exe', children: [] } };
    // Every raw artifact the Sandbox may produce, with bytes that are not valid UTF-8 where it matters.
    const files: Record<string, Buffer> = {
      'processes.json': Buffer.from(JSON.stringify(processes)),
      'report.html': Buffer.from('<!DOCTYPE html><html><body><h1>Sandbox report</h1><script>alert(1)</script></body></html>\n'),
      'screenshot.png': Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(512), Buffer.from([0xff, 0xfe, 0x00])]),
      'timeline.json': Buffer.from(JSON.stringify([{ t: 0, event: 'start' }])),
      'warnings.json': Buffer.from(JSON.stringify({ warnings: ['no network'] })),
      'registry.json': Buffer.from(JSON.stringify({ 'HKCU\\Software\\Run': 'evil.exe' })),
      'network-artifacts.zip': Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(64)]),
      'extracted-artifacts.zip': Buffer.concat([Buffer.from('504b0304', 'hex'), randomBytes(64)]),
    };
    const types: Record<string, string> = {
      'report.html': 'text/html',
      'screenshot.png': 'image/png',
      'timeline.json': 'application/json',
      'warnings.json': 'application/json',
      'registry.json': 'application/json',
      'network-artifacts.zip': 'application/zip',
      'extracted-artifacts.zip': 'application/zip',
    };
    let id: string;
    // analysis.json as served raw: every part must be cut from it unchanged.
    let analysis: Record<string, unknown> & { iocs: { ioc: string }[] };

    beforeAll(async () => {
      const submitted = await submitFile(analyst, pdf, 'invoice.pdf');
      expect(submitted.status).toBe(200);
      id = submitted.body.data.id;
      const task = await sandboxTask(id);
      await postResult(
        task,
        {
          sections: [
            { title: 'Dropped and ran a script', heuristic: { heur_id: 'DYN.1', name: 'Executes a dropped script', score: 700 }, tags: [{ type: 'network.dynamic.domain', value: 'c2.evil-domain.net' }] },
            { title: 'Contacted a host', heuristic: { heur_id: 'DYN.2', name: 'Network contact', score: 100 }, tags: [{ type: 'network.dynamic.ip', value: '185.220.101.4' }] },
          ],
        },
        files,
      );
      await finished(id);
      expect(await stateOf(id)).toBe('succ');
      const raw = await get(analyst, `/api/v2/samples/${id}/analysis.json`);
      expect(raw.status).toBe(200);
      expect(raw.body.api_version).toBeUndefined(); // still served raw: no new route shadows it
      analysis = raw.body;
    });

    const part = async (path: string) => {
      const answer = await get(analyst, `/api/v2/samples/${id}/analysis/${path}`);
      expect([answer.status, answer.headers['content-type']]).toEqual([200, expect.stringMatching(TG_JSON)]);
      expect(answer.body).toEqual({ api_version: 2, id: expect.any(Number), data: expect.anything() });
      return answer.body.data;
    };
    const missing = async (path: string, message: string) => {
      const answer = await get(analyst, `/api/v2/samples/${id}/${path}`);
      expect(answer.status).toBe(404);
      expect(answer.headers['content-type']).toMatch(TG_JSON);
      expect(answer.body).toEqual({ api_version: 2, id: expect.any(Number), error: { message, code: 404, errors: [{ code: 404, message }] } });
    };

    it('analysis/iocs lists the indicators as analysis.json does; iocs/<ioc> answers one, 404 for another name', async () => {
      const iocs = await part('iocs');
      expect(iocs).toEqual({ items: analysis.iocs });
      expect(iocs.items.map((indicator: { ioc: string }) => indicator.ioc)).toEqual(expect.arrayContaining(['DYN.1', 'DYN.2']));
      const one = await part('iocs/DYN.1');
      expect(one).toMatchObject({ ioc: 'DYN.1', title: 'Executes a dropped script', severity: 70, confidence: 100, hits: 1, category: ['Dynamic Analysis'] });
      expect(one.data).toEqual([{ sha256: sha256Of(pdf), service: SANDBOX, section_title: 'Dropped and ran a script' }]);
      expect((await part('iocs/DYN.2')).severity).toBe(10);
      await missing('analysis/iocs/DYN.404', `Sample ${id} has no indicator DYN.404.`);
    });

    it('analysis/artifacts maps the files by "1", "2"…; artifacts/<n> answers one, 404 past the end', async () => {
      const artifacts = await part('artifacts');
      expect(artifacts).toEqual({ items: analysis.artifacts });
      expect(artifacts.items['1']).toMatchObject({ sha256: sha256Of(pdf), path: 'invoice.pdf', type: 'document/pdf', origin: 'submitted', size: pdf.length });
      expect(await part('artifacts/1')).toEqual(artifacts.items['1']);
      await missing('analysis/artifacts/99', `Sample ${id} has no artifact 99.`);
      await missing('analysis/artifacts/constructor', `Sample ${id} has no artifact constructor.`);
    });

    it('analysis/metadata answers the metadata bare', async () => {
      const metadata = await part('metadata');
      expect(metadata).toEqual(analysis.metadata);
      expect(metadata.malware_desc).toEqual([expect.objectContaining({ filename: 'invoice.pdf', type: 'document/pdf', sha256: sha256Of(pdf) })]);
      expect(metadata.analysis_id).toBe(id);
    });

    it("analysis/processes answers the Sandbox's processes.json under items", async () => {
      expect(await part('processes')).toEqual({ items: processes });
    });

    it('analysis/network_streams answers one flow per address; network_streams/<n> one of them', async () => {
      const streams = await part('network_streams');
      expect(streams).toEqual({ items: analysis.network });
      const flows = Object.values(streams.items) as { dst: string }[];
      expect(flows.map((flow) => flow.dst)).toContain('185.220.101.4');
      const key = Object.keys(streams.items).find((n) => streams.items[n].dst === '185.220.101.4')!;
      expect(await part(`network_streams/${key}`)).toEqual({ dst: '185.220.101.4', dst_port: null, protocol: '' });
      await missing('analysis/network_streams/0', `Sample ${id} has no network stream 0.`);
    });

    it("analysis/annotations answers the observables and Threat Grid's network map keyed by IP", async () => {
      const annotations = await part('annotations');
      const observables = analysis.observables as { ips: string[] };
      expect(annotations.items).toEqual({ ...observables, network: Object.fromEntries(observables.ips.map((ip) => [ip, {}])) });
      expect(annotations.items.network['185.220.101.4']).toEqual({});
      expect(annotations.items.domains).toContain('c2.evil-domain.net');
      expect(annotations.items.hashes.sha256).toContain(sha256Of(pdf));
    });

    it('an unknown part of the analysis is "No such API"', async () => {
      await missing('analysis/behaviors', `No such API: GET /api/v2/samples/${id}/analysis/behaviors.`);
    });

    it('serves each raw artifact the Sandbox produced with its content type and exact bytes', async () => {
      for (const [name, type] of Object.entries(types)) {
        const answer = await getBytes(analyst, `/api/v2/samples/${id}/${name}`);
        expect([name, answer.status, answer.headers['content-type']]).toEqual([name, 200, type]);
        expect(answer.headers['content-disposition']).toBe(`attachment; filename="${name}"`);
        expect(answer.headers['x-content-type-options']).toBe('nosniff');
        expect([name, Buffer.compare(answer.body as Buffer, files[name])]).toEqual([name, 0]);
      }
      const html = await getBytes(analyst, `/api/v2/samples/${id}/report.html`);
      expect(html.headers['content-security-policy']).toMatch(/^sandbox\b/);
    });
  });

  describe('a sample no sandbox analysed', () => {
    const content = Buffer.concat([Buffer.from(`notes ${uniqueId('plain')}\n`), randomBytes(300_000)]);
    let id: string;

    beforeAll(async () => {
      id = (await submitFile(analyst, content, 'C:\\Users\\me\\notes.bin')).body.data.id;
      await finished(id);
    });

    it('a missing artifact is a 404 JSON error naming it', async () => {
      for (const name of ['report.html', 'screenshot.png', 'extracted-artifacts.zip']) {
        const answer = await get(analyst, `/api/v2/samples/${id}/${name}`);
        expect(answer.status).toBe(404);
        expect(answer.headers['content-type']).toMatch(TG_JSON);
        expect(answer.body.error).toMatchObject({ code: 404, message: `Sample ${id} has no ${name}: no analysis service produced one.` });
      }
    });

    it('its parts with nothing found are empty items, not errors', async () => {
      const processes = await get(analyst, `/api/v2/samples/${id}/analysis/processes`);
      expect([processes.status, processes.body.data]).toEqual([200, { items: {} }]);
      const iocs = await get(analyst, `/api/v2/samples/${id}/analysis/iocs`);
      expect(iocs.status).toBe(200);
      expect(Array.isArray(iocs.body.data.items)).toBe(true);
    });

    it('sample.zip holds the submitted file, named as submitted, opened with the password "infected" (ZipCrypto)', async () => {
      const answer = await getBytes(analyst, `/api/v2/samples/${id}/sample.zip`);
      expect(answer.status).toBe(200);
      expect(answer.headers['content-type']).toBe('application/zip');
      expect(answer.headers['content-disposition']).toBe(`attachment; filename="${id}.zip"`);
      const archive = answer.body as Buffer;
      expect(await unzip(archive, 'infected')).toEqual([{ name: 'notes.bin', content, encrypted: true, zipCrypto: true }]);
      await expect(unzip(archive, 'not-infected')).rejects.toThrow(zip.ERR_INVALID_PASSWORD);
    });

    it('sample.zip in AES-256 on request; an unknown encryption is a 400', async () => {
      const aes = await getBytes(analyst, `/api/v2/samples/${id}/sample.zip`).query({ zip_encryption: 'aes256' });
      expect(aes.status).toBe(200);
      expect(await unzip(aes.body as Buffer, 'infected')).toEqual([{ name: 'notes.bin', content, encrypted: true, zipCrypto: false }]);
      const bad = await get(analyst, `/api/v2/samples/${id}/sample.zip`).query({ zip_encryption: 'rot13' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe('zip_encryption must be one of aes256, zipcrypto; got "rot13".');
    });

    it('sample.zip is refused (403) to a user without file_download, who may still read the sample', async () => {
      expect((await get(bot, `/api/v2/samples/${id}`)).status).toBe(200);
      const refused = await get(bot, `/api/v2/samples/${id}/sample.zip`);
      expect(refused.status).toBe(403);
      expect(refused.headers['content-type']).toMatch(TG_JSON);
      expect(refused.body.error).toMatchObject({ code: 403, message: `User '${bot.uname}' does not have the 'file_download' role required by this API.` });
    });

    it('sample.zip of a sample whose file left the filestore is a 404 saying so', async () => {
      const gone = Buffer.from(`soon gone ${uniqueId('gone')}`);
      const goneId = (await submitFile(analyst, gone, 'gone.txt')).body.data.id as string;
      await finished(goneId);
      await api.get<Filestore>(FILESTORE).delete(sha256Of(gone));
      const answer = await get(analyst, `/api/v2/samples/${goneId}/sample.zip`);
      expect(answer.status).toBe(404);
      expect(answer.body.error).toMatchObject({ code: 404, message: `The file of sample ${goneId} (sha256 ${sha256Of(gone)}) is no longer in the filestore.` });
      const unknown = '0'.repeat(32);
      expect((await get(analyst, `/api/v2/samples/${unknown}/sample.zip`)).body.error).toMatchObject({ code: 404, message: `Sample ${unknown} not found.` });
    });
  });

  describe('a sample still running', () => {
    it('answers its analysis parts and artifacts 404 "not finished" until the Sandbox posts, then 200', async () => {
      const pdf = pdfOf(uniqueId('running'));
      const id = (await submitFile(analyst, pdf, 'running.pdf')).body.data.id as string;
      const task = await sandboxTask(id);
      expect(await stateOf(id)).not.toMatch(/^(succ|fail)$/);

      const notFinished = `The analysis of sample ${id} is not finished.`;
      for (const path of ['analysis/iocs', 'analysis/iocs/DYN.1', 'analysis/artifacts', 'analysis/artifacts/1', 'analysis/metadata', 'analysis/processes', 'analysis/network_streams', 'analysis/annotations']) {
        const answer = await get(analyst, `/api/v2/samples/${id}/${path}`);
        expect([path, answer.status, answer.body.error?.message]).toEqual([path, 404, notFinished]);
      }
      const report = await get(analyst, `/api/v2/samples/${id}/report.html`);
      expect([report.status, report.body.error?.message]).toEqual([404, `Sample ${id} has no report.html: the analysis is not finished.`]);
      // The submitted file is there from the start: sample.zip does not wait for the analysis.
      const early = await getBytes(analyst, `/api/v2/samples/${id}/sample.zip`);
      expect(early.status).toBe(200);
      expect((await unzip(early.body as Buffer, 'infected'))[0].content.toString()).toBe(pdf);

      await postResult(task, { sections: [] }, { 'report.html': Buffer.from('<p>done</p>') });
      await finished(id);
      expect((await get(analyst, `/api/v2/samples/${id}/analysis/metadata`)).status).toBe(200);
      const served = await getBytes(analyst, `/api/v2/samples/${id}/report.html`);
      expect([served.status, (served.body as Buffer).toString()]).toEqual([200, '<p>done</p>']);
    });
  });
});
