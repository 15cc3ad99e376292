// The submission read routes and the file result route over submissions the API made and the dispatcher
// analysed (real Redis, MongoDB, filestore; built-in services), with the classification scheme enforced: a
// TLP:AMBER submission is invisible to a TLP:CLEAR user.
import { INestApplication, INestApplicationContext } from '@nestjs/common';
import { TextReader, Uint8ArrayReader, Uint8ArrayWriter, ZipWriter } from '@zip.js/zip.js';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { startDispatcher } from './support/dispatcher-harness';
import { eventually } from './support/ingester-harness';
import { isolatedConfig } from './support/test-env';

async function zipOf(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const writer = new ZipWriter(new Uint8ArrayWriter());
  for (const [name, content] of Object.entries(entries)) {
    await writer.add(name, typeof content === 'string' ? new TextReader(content) : new Uint8ArrayReader(new Uint8Array(content)));
  }
  return Buffer.from(await writer.close());
}

describe('submission and file result routes', () => {
  let config: HopperConfig;
  let api: INestApplication;
  let dispatcher: INestApplicationContext;
  let amber: TestUser;
  let clear: TestUser;
  let viewer: TestUser;
  let sid: string;
  let clearSid: string;
  let textSha: string;

  const get = (who: TestUser, path: string) => request(api.getHttpServer()).get(path).set(who.headers);

  async function submitFile(who: TestUser, content: Buffer, name: string, classification: string): Promise<string> {
    const answer = await request(api.getHttpServer())
      .post('/api/v4/submit/')
      .set(who.headers)
      .field('json', JSON.stringify({ name, params: { classification } }))
      .attach('bin', content, name);
    expect(answer.status).toBe(200);
    return answer.body.api_response.sid as string;
  }

  async function completed(who: TestUser, id: string): Promise<void> {
    await eventually(() => get(who, `/api/v4/submission/is_completed/${id}/`), (answer) => answer.body.api_response === true);
  }

  beforeAll(async () => {
    config = isolatedConfig('submission-api', { classification: join(__dirname, 'fixtures/classification/enforced.yml') });
    api = await startApi(config);
    dispatcher = await startDispatcher(config);
    amber = await addUserWithKey(api, { classification: 'TLP:AMBER' });
    clear = await addUserWithKey(api, { classification: 'TLP:CLEAR' });
    viewer = await addUserWithKey(api, { classification: 'TLP:AMBER', type: ['viewer'] });
    const text = 'exfil to http://evil-domain.net/drop and 185.220.101.4';
    textSha = createHash('sha256').update(text).digest('hex');
    const outer = await zipOf({ 'inner.zip': await zipOf({ 'note.txt': text }) });
    sid = await submitFile(amber, outer, 'outer.zip', 'TLP:AMBER');
    clearSid = await submitFile(clear, Buffer.from('an ordinary public memo'), 'memo.txt', 'TLP:CLEAR');
    await completed(amber, sid);
    await completed(clear, clearSid);
  });

  afterAll(async () => {
    await dispatcher?.close();
    await api?.close();
  });

  it('GET /submission/<sid>/ answers the completed submission', async () => {
    const answer = await get(amber, `/api/v4/submission/${sid}/`);
    expect(answer.status).toBe(200);
    expect(answer.body.api_response).toMatchObject({ sid, state: 'completed', classification: 'TLP:AMBER', file_count: 1, error_count: 0 });
    expect(answer.body.api_response.max_score).toBeGreaterThan(0);
    expect(answer.body.api_response.results.length).toBeGreaterThanOrEqual(5);
  });

  it('tree, full and summary show the 3 files, their results and the IOC tags by summary type', async () => {
    const tree = (await get(amber, `/api/v4/submission/tree/${sid}/`)).body.api_response;
    expect(tree.partial).toBe(false);
    const [root] = Object.values(tree.tree) as { name: string[]; children: Record<string, { name: string[]; children: Record<string, { name: string[] }> }> }[];
    expect(root.name).toEqual(['outer.zip']);
    const [inner] = Object.values(root.children);
    expect(inner.name).toEqual(['inner.zip']);
    expect(Object.values(inner.children).map((node) => node.name)).toEqual([['note.txt']]);

    const full = (await get(amber, `/api/v4/submission/full/${sid}/`)).body.api_response;
    expect(Object.keys(full.file_infos)).toHaveLength(3);
    const fullResults = Object.values(full.results) as { response: { service_name: string } }[];
    expect(fullResults.map((result) => result.response.service_name)).toEqual(expect.arrayContaining(['Extract', 'Characterize', 'IOC']));
    expect(full).toMatchObject({ errors: {}, missing_result_keys: [], missing_error_keys: [], missing_file_keys: [] });

    const summary = (await get(amber, `/api/v4/submission/summary/${sid}/`)).body.api_response;
    expect(summary.tags.ioc['network.static.ip']).toEqual([['185.220.101.4', 'info', false, 'TLP:AMBER']]);
    expect(summary.tags.ioc['network.static.domain'].map((entry: unknown[]) => entry[0])).toContain('evil-domain.net');
    expect(Object.keys(summary.tags)).toEqual(['behavior', 'attribution', 'ioc']);
    expect(summary.heuristics.info).toEqual(expect.arrayContaining([['IOC.1', 'Embedded URL'], ['IOC.2', 'Public IP address']]));
  });

  it('GET /submission/<sid>/file/<sha256>/ answers one file of the submission; a file outside it is 404', async () => {
    const answer = (await get(amber, `/api/v4/submission/${sid}/file/${textSha}/`)).body.api_response;
    expect(answer.file_info).toMatchObject({ sha256: textSha });
    expect(answer.results.map((result: { response: { service_name: string } }) => result.response.service_name).sort()).toEqual(['Characterize', 'IOC']);
    const outside = await get(amber, `/api/v4/submission/${sid}/file/${'0'.repeat(64)}/`);
    expect(outside.status).toBe(404);
  });

  it('GET /file/result/<sha256>/ answers the results of a file and its parents', async () => {
    const answer = (await get(amber, `/api/v4/file/result/${textSha}/`)).body.api_response;
    expect(answer.file_info.sha256).toBe(textSha);
    expect(answer.results.length).toBe(2);
    expect(answer.parents).toHaveLength(1);
    expect((await get(clear, `/api/v4/file/result/${textSha}/`)).status).toBe(404);
  });

  it('a TLP:AMBER submission answers 404 to a TLP:CLEAR user on every route, exactly as an unknown one', async () => {
    for (const path of [`${sid}/`, `full/${sid}/`, `summary/${sid}/`, `tree/${sid}/`, `is_completed/${sid}/`, `${sid}/file/${textSha}/`]) {
      const hidden = await get(clear, `/api/v4/submission/${path}`);
      const unknown = await get(clear, `/api/v4/submission/${path.replace(sid, 'nOsUcHsUbMiSsIoN')}`);
      expect([path, hidden.status]).toEqual([path, 404]);
      expect(hidden.body.api_error_message).toBe(unknown.body.api_error_message.replace('nOsUcHsUbMiSsIoN', sid));
    }
  });

  it('the list of a user holds only what the caller may see, filtered in the query, newest first', async () => {
    const own = (await get(amber, `/api/v4/submission/list/user/${amber.uname}/`)).body.api_response;
    expect(own).toMatchObject({ offset: 0, rows: 25, total: 1 });
    expect(own.items.map((item: { sid: string }) => item.sid)).toEqual([sid]);
    const seenByClear = (await get(clear, `/api/v4/submission/list/user/${amber.uname}/`)).body.api_response;
    expect(seenByClear).toMatchObject({ total: 0, items: [] });
    const clearOwn = (await get(amber, `/api/v4/submission/list/user/${clear.uname}/?rows=1`)).body.api_response;
    expect(clearOwn).toMatchObject({ rows: 1, total: 1 });
    const bad = await get(amber, `/api/v4/submission/list/user/${amber.uname}/?rows=-1`);
    expect(bad.status).toBe(400);
  });

  it('full leaves out what the caller may not see: a result above its clearance is neither shown nor missing, a file above it leaves the tree', async () => {
    const stored = (await api.get(SubmissionsRepository).findBySid(clearSid))!;
    const [hiddenKey] = stored.results;
    const [file] = stored.files;
    const results = api.get(ResultsRepository).results;
    const files = api.get(FilesRepository).model;
    await results.updateOne({ _id: hiddenKey }, { $set: { classification: 'TLP:AMBER' } }).exec();
    await files.updateOne({ _id: file.sha256 }, { $set: { classification: 'TLP:AMBER' } }).exec();
    try {
      const seenByClear = (await get(clear, `/api/v4/submission/full/${clearSid}/`)).body.api_response;
      expect(Object.keys(seenByClear.results)).not.toContain(hiddenKey);
      expect(seenByClear.missing_result_keys).toEqual([]);
      expect(seenByClear).toMatchObject({ file_tree: {}, file_infos: {}, missing_file_keys: [], classification: 'TLP:CLEAR' });
      // A caller cleared for them sees both, and the submission's classification raised to theirs.
      const seenByAmber = (await get(amber, `/api/v4/submission/full/${clearSid}/`)).body.api_response;
      expect(Object.keys(seenByAmber.results)).toContain(hiddenKey);
      expect(Object.keys(seenByAmber.file_tree)).toEqual([file.sha256]);
      expect(seenByAmber.classification).toBe('TLP:AMBER');
    } finally {
      await results.updateOne({ _id: hiddenKey }, { $set: { classification: stored.classification } }).exec();
      await files.updateOne({ _id: file.sha256 }, { $set: { classification: stored.classification } }).exec();
    }
  });

  it('DELETE needs submission_delete, hides nothing it may not see, and removes the submission', async () => {
    expect((await request(api.getHttpServer()).delete(`/api/v4/submission/${clearSid}/`).set(viewer.headers)).status).toBe(403);
    expect((await request(api.getHttpServer()).delete(`/api/v4/submission/${sid}/`).set(clear.headers)).status).toBe(404);
    // The same memo again: a second submission sharing the file and (from the results cache) its results.
    const againSid = await submitFile(clear, Buffer.from('an ordinary public memo'), 'memo-again.txt', 'TLP:CLEAR');
    await completed(clear, againSid);
    const first = (await api.get(SubmissionsRepository).findBySid(clearSid))!;
    const [{ sha256 }] = first.files;
    const results = api.get(ResultsRepository).results;
    const files = api.get(FilesRepository);
    const filestore = api.get<Filestore>(FILESTORE);
    expect(first.results.length).toBeGreaterThan(0);

    // assemblyline_client: Client.submission.delete(sid)
    const deleted = await request(api.getHttpServer()).delete(`/api/v4/submission/${clearSid}/`).set(clear.headers);
    expect(deleted.status).toBe(200);
    expect(deleted.body.api_response).toEqual({ success: true });
    expect((await get(clear, `/api/v4/submission/${clearSid}/`)).status).toBe(404);
    // What the other submission still holds stays: the file, its blob, the results both list.
    const again = (await api.get(SubmissionsRepository).findBySid(againSid))!;
    const shared = first.results.filter((key) => again.results.includes(key));
    expect(shared.length).toBeGreaterThan(0);
    expect(await results.countDocuments({ _id: { $in: shared } })).toBe(shared.length);
    expect(await files.findBySha256(sha256)).not.toBeNull();
    expect(await filestore.exists(sha256)).toBe(true);

    // Deleting the last submission that holds them takes its results, the file and its blob with it.
    expect((await request(api.getHttpServer()).delete(`/api/v4/submission/${againSid}/`).set(clear.headers)).status).toBe(200);
    expect(await results.countDocuments({ _id: { $in: again.results } })).toBe(0);
    expect(await files.findBySha256(sha256)).toBeNull();
    expect(await filestore.exists(sha256)).toBe(false);
  });
});
