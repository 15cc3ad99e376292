// Searching samples through the Threat Grid-compatible API as its clients do (pythreatgrid's search_samples
// and get_sample, err-threatgrid, pythreatgrid-search, the Splunk SOAR connector, Cisco's scripts: see
// ../shared/reference/threatgrid-client-wire.md), over real Redis, MongoDB protocol and filestore, with the
// real dispatcher, whose built-in IOC service tags the URLs, domains and IPs the samples hold.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig, uniqueId } from './support/test-env';
import { sandboxManifest, tgKey } from './support/threatgrid-client';

const DYNAMIC = 'Sandbox';
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const digest = (algorithm: string, data: string) => createHash(algorithm).update(data).digest('hex');
const day = (date: Date) => date.toISOString().slice(0, 10);
const HOUR = 3_600_000;

interface Sample {
  id: string;
  content: string;
  submission_id: number;
}

describe('Threat Grid-compatible search', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext | null = null;
  let analyst: TestUser;
  let colleague: TestUser;
  let acme: TestUser;
  let startedAt: Date;
  // analyst's sample with a URL, its domain and an IP; the colleague's (same organization) with the same IP
  // only; acme's copy of analyst's file (submitted later: it reuses the cached IOC result); acme's private
  // sample with the same IP; analyst's sample whose file vanished before dispatch (state fail).
  let dropper: Sample;
  let colleagues: Sample;
  let acmeCopy: Sample;
  let acmePrivate: Sample;
  let vanished: Sample;

  const server = () => api.getHttpServer();
  const get = (who: TestUser, path: string) => request(server()).get(path).query({ api_key: tgKey(who) });
  const submitFile = async (who: TestUser, content: string, filename: string, fields: Record<string, string | string[]> = {}): Promise<Sample> => {
    let call = request(server()).post('/api/v2/samples').field('api_key', tgKey(who));
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) call = call.field(name, one);
    const answer = await call.attach('sample', Buffer.from(content), filename);
    expect(answer.status).toBe(200);
    return { id: answer.body.data.id, content, submission_id: answer.body.data.submission_id };
  };
  const stateOf = async (who: TestUser, id: string): Promise<string> => (await get(who, `/api/v2/samples/${id}/state`)).body.data.state;
  const ended = (who: TestUser, sample: Sample) => eventually(() => stateOf(who, sample.id), (state) => state === 'succ' || state === 'fail');
  const sampleIds = (answer: request.Response): string[] => answer.body.data.items.map((item: { sample: string }) => item.sample);
  const listedIds = (answer: request.Response): string[] => answer.body.data.items.map((item: { id: string }) => item.id);
  const foundIds = (answer: request.Response): string[] => answer.body.data.items.map((entry: { item: { sample: string } }) => entry.item.sample);
  const sorted = (...samples: Sample[]) => samples.map((sample) => sample.id).sort();

  beforeAll(async () => {
    config = isolatedConfig('tgsearch', {
      ui: { default_quotas: { concurrent_submissions: 1000, daily_submissions: 0 } },
      services: {
        // Only PDFs would go to the sandbox: the text samples here complete with the built-in services.
        external: [sandboxManifest(DYNAMIC)],
      },
      threatgrid: {
        organizations: {
          default: { id: 1, submission_rate_limit: [{ samples: 1000, minutes: 1440 }] },
          acme: { id: 42, submission_rate_limit: [{ samples: 1000, minutes: 1440 }] },
        },
        dynamic_service: DYNAMIC,
      },
    });
    api = await startApi(config);
    analyst = await addUserWithKey(api);
    colleague = await addUserWithKey(api);
    acme = await addUserWithKey(api, { organization: 'acme' });
    startedAt = new Date(Date.now() - 1000);

    vanished = await submitFile(analyst, `this file will vanish ${uniqueId('v')}`, 'vanish.txt');
    await api.get(FilesRepository).model.deleteOne({ _id: digest('sha256', vanished.content) });
    dispatcher = await startDispatcher(config);

    dropper = await submitFile(analyst, `notes ${uniqueId('d')}: fetch http://evil-domain.net/drop then call 185.220.101.4\n`, 'dropper-notes.txt', {
      tags: 'campaign-x, wave-1',
    });
    colleagues = await submitFile(colleague, `colleague ${uniqueId('c')}: beacon to 185.220.101.4 and http://other-domain.org/x\n`, 'beacon.txt', {
      tags: 'campaign-y',
    });
    await Promise.all([ended(analyst, vanished), ended(analyst, dropper), ended(colleague, colleagues)]);
    // Later, so that its IOC result comes from the cache: the result's sid names dropper, not this sample.
    acmeCopy = await submitFile(acme, dropper.content, 'acme-copy.txt');
    acmePrivate = await submitFile(acme, `acme only ${uniqueId('p')}: 185.220.101.4\n`, 'secret.txt', { private: 'true' });
    await Promise.all([ended(acme, acmeCopy), ended(acme, acmePrivate)]);
  }, 120_000);

  afterAll(async () => {
    await dispatcher?.close();
    await api?.close();
  });

  it('the samples ended as the searches below expect, with the IOC tags in their analysis', async () => {
    expect(await stateOf(analyst, vanished.id)).toBe('fail');
    for (const sample of [dropper, colleagues]) expect(await stateOf(analyst, sample.id)).toBe('succ');
    for (const sample of [acmeCopy, acmePrivate]) expect(await stateOf(acme, sample.id)).toBe('succ');
    const observables = (await get(analyst, `/api/v2/samples/${dropper.id}/analysis.json`)).body.observables;
    expect(observables).toMatchObject({
      ips: expect.arrayContaining(['185.220.101.4']),
      domains: expect.arrayContaining(['evil-domain.net']),
      urls: expect.arrayContaining(['http://evil-domain.net/drop']),
    });
    // acme's copy reused dropper's IOC result from the cache: the result names dropper only, so searches go by
    // the result keys each submission lists, not by the results' sid.
    const [ioc] = await api.get(ResultsRepository).results.find({ sha256: digest('sha256', dropper.content), 'response.service_name': 'IOC' }).lean().exec();
    expect(ioc.sid).toBe(dropper.id);
    expect((await api.get(SubmissionsRepository).findBySid(acmeCopy.id))?.results).toContain(ioc._id);
  });

  describe('GET /api/v2/samples/search', () => {
    const search = (who: TestUser, query: Record<string, string>) => get(who, '/api/v2/samples/search').query(query);

    it('is routed before /samples/<id>, and without a search criterion answers 400 naming the accepted ones', async () => {
      const answer = await search(analyst, { org_only: 'True' });
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({
        message: 'Give one of the parameters checksum, ip, domain, url, tag to search samples.',
        code: 400,
        errors: [{ code: 400, message: 'Give one of the parameters checksum, ip, domain, url, tag to search samples.' }],
      });
      const unsupported = await search(analyst, { path: 'C:\\Windows\\evil.exe' });
      expect(unsupported.status).toBe(400);
      expect(unsupported.body.error.message).toBe('The parameter path is not supported by this server.');
      const two = await search(analyst, { checksum: digest('md5', dropper.content), tag: 'campaign-x' });
      expect(two.status).toBe(400);
    });

    it('finds a sample by the md5, sha1 and sha256 of its file, newest first, with Threat Grid item fields', async () => {
      for (const algorithm of ['md5', 'sha1', 'sha256']) {
        const answer = await search(analyst, { checksum: digest(algorithm, dropper.content).toUpperCase() });
        expect(answer.status).toBe(200);
        expect(answer.body.data).toMatchObject({ current_item_count: 2, index: 0, items_per_page: 10, total: 2 });
        expect(sampleIds(answer)).toEqual([acmeCopy.id, dropper.id]);
        expect(answer.body.data.items[1]).toEqual({
          sample: dropper.id,
          relation: 'checksum',
          sha256: digest('sha256', dropper.content),
          filename: 'dropper-notes.txt',
          state: 'succ',
          submitted_at: expect.stringMatching(TIME),
        });
      }
      expect((await search(analyst, { checksum: 'f'.repeat(40) })).body.data).toMatchObject({ current_item_count: 0, items: [] });
      expect((await search(analyst, { checksum: 'not-a-hash' })).status).toBe(400);
    });

    it("finds samples by an IP, a domain or a URL in their results' tags, only those the caller may see", async () => {
      const byIp = await search(analyst, { ip: '185.220.101.4' });
      expect(byIp.status).toBe(200);
      expect(sampleIds(byIp).sort()).toEqual(sorted(dropper, colleagues, acmeCopy));
      expect(byIp.body.data.items.every((item: { relation: string }) => item.relation === 'network-ip')).toBe(true);
      // acme sees its private sample too.
      expect(sampleIds(await search(acme, { ip: '185.220.101.4' })).sort()).toEqual(sorted(dropper, colleagues, acmeCopy, acmePrivate));

      const byDomain = await search(analyst, { domain: 'Evil-Domain.NET' });
      expect(sampleIds(byDomain)).toEqual([acmeCopy.id, dropper.id]);
      expect(byDomain.body.data.items[0].relation).toBe('network-domain');
      const byUrl = await search(analyst, { url: 'http://evil-domain.net/drop' });
      expect(sampleIds(byUrl)).toEqual([acmeCopy.id, dropper.id]);
      expect(byUrl.body.data.items[0].relation).toBe('network-url');
      // A URL is not its domain, nor the other way round.
      expect(sampleIds(await search(analyst, { domain: 'other-domain.org' }))).toEqual([colleagues.id]);
      expect(sampleIds(await search(analyst, { url: 'http://evil-domain.net/' }))).toEqual([]);
      expect(sampleIds(await search(analyst, { ip: '185.220.101.5' }))).toEqual([]);
      expect((await search(analyst, { ip: 'evil-domain.net' })).body.error.message).toBe('The parameter ip must be an IP address.');
    });

    it('finds samples by their Threat Grid tag', async () => {
      const answer = await search(analyst, { tag: 'campaign-x' });
      expect(sampleIds(answer)).toEqual([dropper.id]);
      expect(answer.body.data.items[0].relation).toBe('tag');
      expect(sampleIds(await search(analyst, { tag: 'wave-1' }))).toEqual([dropper.id]);
      expect(sampleIds(await search(analyst, { tag: 'campaign' }))).toEqual([]);
    });

    it("narrows to the caller's organization (org_only) or its own samples (user_only)", async () => {
      expect(sampleIds(await search(analyst, { ip: '185.220.101.4', org_only: 'True' })).sort()).toEqual(sorted(dropper, colleagues));
      expect(sampleIds(await search(analyst, { ip: '185.220.101.4', user_only: 'TRUE' }))).toEqual([dropper.id]);
      expect(sampleIds(await search(analyst, { ip: '185.220.101.4', org_only: 'False' })).sort()).toEqual(sorted(dropper, colleagues, acmeCopy));
      expect(sampleIds(await search(acme, { checksum: digest('md5', dropper.content), org_only: 'true' }))).toEqual([acmeCopy.id]);
    });

    it('narrows by submission time (after, before: ISO times, days, relative words); 400 for a date it cannot read', async () => {
      const now = new Date();
      const ip = '185.220.101.4';
      expect(sampleIds(await search(analyst, { ip, after: startedAt.toISOString() }))).toHaveLength(3);
      expect(sampleIds(await search(analyst, { ip, after: new Date(now.getTime() + HOUR).toISOString() }))).toEqual([]);
      expect(sampleIds(await search(analyst, { ip, before: startedAt.toISOString() }))).toEqual([]);
      expect(sampleIds(await search(analyst, { ip, after: day(new Date(now.getTime() - 24 * HOUR)), before: day(new Date(now.getTime() + 24 * HOUR)) }))).toHaveLength(3);
      expect(sampleIds(await search(analyst, { ip, after: day(new Date(now.getTime() + 24 * HOUR)) }))).toEqual([]);
      const bad = await search(analyst, { ip, after: '2024-13-01' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^The parameter after must be a date \(YYYY-MM-DD\)/);
    });

    it('takes its parameters from a urlencoded GET body, as err-threatgrid sends them (relative dates), and pages', async () => {
      const body = new URLSearchParams({ api_key: tgKey(analyst), ip: '185.220.101.4', after: '30 days ago', before: 'tomorrow', limit: '2' });
      const first = await request(server()).get('/api/v2/samples/search').type('form').send(body.toString());
      expect(first.status).toBe(200);
      expect(first.body.data).toMatchObject({ current_item_count: 2, index: 0, items_per_page: 2, total: 3 });
      body.set('offset', '2');
      const second = await request(server()).get('/api/v2/samples/search').type('form').send(body.toString());
      expect(second.body.data).toMatchObject({ current_item_count: 1, index: 2, items_per_page: 2 });
      expect([...sampleIds(first), ...sampleIds(second)].sort()).toEqual(sorted(dropper, colleagues, acmeCopy));
    });
  });

  describe('GET /api/v2/samples look-ups', () => {
    const list = (who: TestUser, query: Record<string, string>) => get(who, '/api/v2/samples').query(query);

    it('looks a sample up by md5, sha1 or checksum among all the samples the caller may see', async () => {
      const queries: Record<string, string>[] = [
        { md5: digest('md5', dropper.content) },
        { sha1: digest('sha1', dropper.content) },
        { checksum: digest('sha1', dropper.content) },
        { checksum: digest('md5', dropper.content) },
      ];
      for (const query of queries) {
        const answer = await list(analyst, query);
        expect(answer.status).toBe(200);
        expect(listedIds(answer)).toEqual([acmeCopy.id, dropper.id]);
        expect(answer.body.data.items[1]).toMatchObject({ id: dropper.id, md5: digest('md5', dropper.content), sha1: digest('sha1', dropper.content) });
      }
      expect(listedIds(await list(analyst, { md5: digest('md5', dropper.content), org_only: 'true' }))).toEqual([dropper.id]);
      expect(listedIds(await list(analyst, { md5: digest('md5', acmePrivate.content) }))).toEqual([]);
      expect(listedIds(await list(acme, { md5: digest('md5', acmePrivate.content) }))).toEqual([acmePrivate.id]);
      const wrongKind = await list(analyst, { md5: digest('sha1', dropper.content) });
      expect(wrongKind.status).toBe(400);
      expect(wrongKind.body.error.message).toBe('The parameter md5 must be an MD5 checksum (32 hexadecimal digits).');
    });

    it('looks a sample up by its integer submission_id', async () => {
      expect(Number.isInteger(dropper.submission_id)).toBe(true);
      expect(listedIds(await list(analyst, { submission_id: String(dropper.submission_id) }))).toEqual([dropper.id]);
      expect(listedIds(await list(analyst, { submission_id: String(acmePrivate.submission_id) }))).toEqual([]);
      expect((await list(analyst, { submission_id: 'abc' })).status).toBe(400);
    });

    it('applies state, before and after to a look-up (pythreatgrid sends a one-year window by default)', async () => {
      expect(listedIds(await list(analyst, { id: dropper.id, after: day(new Date(Date.now() - 365 * 24 * HOUR)), before: day(new Date(Date.now() + 24 * HOUR)) }))).toEqual([dropper.id]);
      expect(listedIds(await list(analyst, { id: dropper.id, after: new Date(Date.now() + HOUR).toISOString() }))).toEqual([]);
      expect(listedIds(await list(analyst, { id: vanished.id, state: 'fail' }))).toEqual([vanished.id]);
      expect(listedIds(await list(analyst, { id: vanished.id, state: 'succ' }))).toEqual([]);
    });

    it('answers 400 for a look-up key it does not support instead of listing other samples', async () => {
      for (const [name, value] of [
        ['ioc', 'CmdExecution'],
        ['submission_ids', `${dropper.submission_id},${colleagues.submission_id}`],
        ['ip', '185.220.101.4'],
      ]) {
        const answer = await list(analyst, { [name]: value });
        expect(answer.status).toBe(400);
        expect(answer.body.error).toEqual({
          message: `The parameter ${name} is not supported by this server.`,
          code: 400,
          errors: [{ code: 400, message: `The parameter ${name} is not supported by this server.` }],
        });
      }
    });

    it("keeps the default without a look-up key: the caller's organization's samples and its own", async () => {
      const analysts = listedIds(await list(analyst, { limit: '100' }));
      expect(analysts).toEqual(expect.arrayContaining([dropper.id, colleagues.id, vanished.id]));
      expect(analysts).not.toContain(acmeCopy.id);
      const acmes = listedIds(await list(acme, { limit: '100' }));
      expect(acmes.sort()).toEqual(sorted(acmeCopy, acmePrivate));
      expect(listedIds(await list(analyst, { limit: '100', user_only: 'true' })).sort()).toEqual(sorted(dropper, vanished));
    });
  });

  describe('GET /api/v2/search/submissions', () => {
    const find = (who: TestUser, query: Record<string, string>) => get(who, '/api/v2/search/submissions').query(query);

    it('narrows by state: succ|fail, comma-separated, one of them; 400 for an unknown state', async () => {
      const ended = foundIds(await find(analyst, { state: 'succ|fail' }));
      expect(ended.sort()).toEqual(sorted(dropper, colleagues, acmeCopy, vanished));
      expect(foundIds(await find(analyst, { state: 'succ,fail' })).sort()).toEqual(ended);
      expect(foundIds(await find(analyst, { state: 'fail' }))).toEqual([vanished.id]);
      expect(foundIds(await find(analyst, { state: 'succ' }))).not.toContain(vanished.id);
      expect(foundIds(await find(analyst, { state: 'wait|prep|run|proc' }))).toEqual([]);
      const unknown = await find(analyst, { state: 'done' });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe('The state "done" is not one of wait, prep, run, proc, succ, fail.');
    });

    it('finds the md5 and the sha1 of a file (the SOAR connector searches by its vault id, a sha1)', async () => {
      const byMd5 = await find(analyst, { q: digest('md5', dropper.content) });
      expect(byMd5.status).toBe(200);
      expect(foundIds(byMd5)).toEqual([acmeCopy.id, dropper.id]);
      expect(byMd5.body.data.items[1].item).toMatchObject({ sample: dropper.id, md5: digest('md5', dropper.content), state: 'succ' });
      expect(foundIds(await find(analyst, { q: digest('sha1', dropper.content).toUpperCase(), org_only: 'True' }))).toEqual([dropper.id]);
      expect(foundIds(await find(analyst, { q: digest('md5', 'no such file') }))).toEqual([]);
    });

    it('reads analysis.threat_score (advanced=true, as Cisco scripts send it) as the score', async () => {
      const all = await find(analyst, { q: 'analysis.threat_score:>=0', advanced: 'true', state: 'succ|fail' });
      expect(all.status).toBe(200);
      expect(foundIds(all).sort()).toEqual(sorted(dropper, colleagues, acmeCopy, vanished));
      // The text samples score far below 100.
      expect(foundIds(await find(analyst, { q: 'analysis.threat_score:100', advanced: 'true' }))).toEqual([]);
      expect((await find(analyst, { q: 'analysis.threat_score:>=101' })).status).toBe(400);
    });

    it("finds a domain, an IP or a URL in the results' tags; a file name stays a file-name search", async () => {
      expect(foundIds(await find(analyst, { q: 'evil-domain.net' }))).toEqual([acmeCopy.id, dropper.id]);
      expect(foundIds(await find(analyst, { q: 'evil-domain.net', org_only: 'true' }))).toEqual([dropper.id]);
      expect(foundIds(await find(analyst, { q: '185.220.101.4' })).sort()).toEqual(sorted(dropper, colleagues, acmeCopy));
      expect(foundIds(await find(acme, { q: '185.220.101.4', user_only: 'true' })).sort()).toEqual(sorted(acmeCopy, acmePrivate));
      expect(foundIds(await find(analyst, { q: 'http://evil-domain.net/drop' }))).toEqual([acmeCopy.id, dropper.id]);
      expect(foundIds(await find(analyst, { q: 'unknown-domain.net' }))).toEqual([]);
      expect(foundIds(await find(analyst, { q: 'dropper-notes.txt' }))).toEqual([dropper.id]);
    });

    it('narrows by after and before; 400 for a date it cannot read', async () => {
      expect(foundIds(await find(analyst, { q: 'evil-domain.net', after: startedAt.toISOString() }))).toHaveLength(2);
      expect(foundIds(await find(analyst, { q: 'evil-domain.net', before: startedAt.toISOString() }))).toEqual([]);
      const bad = await find(analyst, { before: 'next tuesday' });
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toMatch(/^The parameter before must be a date/);
    });
  });
});
