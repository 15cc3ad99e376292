// Issue 17, "no database wait on intake": a sha256 ingest of a known file reads the file's record in Redis
// (FileRecords), which FilesRepository keeps on every write and deletion of `files`, instead of the document.
// The record must never show a file below its document's classification, whichever of a reader and a writer
// goes first, and must not outlive the file's deletion. Real Redis and FerretDB; the MongoDB commands the API
// sends are counted by the driver's command monitoring.
import { INestApplication } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import IORedis from 'ioredis';
import { Connection } from 'mongoose';
import request from 'supertest';
import { HopperConfig } from '@hopper/config';
import { FilesRepository, MONGO_CONNECTION, newFile } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FileRecords, RedisKeys } from '@hopper/queues';
import { addUserWithKey, startApi, TestUser } from './support/api-app';
import { isolatedConfig, removeTestKeys, uniqueId } from './support/test-env';

const SHA256_NOT_FOUND = 'SHA256 does not exist in our datastore';
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe('FileRecords: what a sha256 ingest knows of a file without reading `files`', () => {
  let config: HopperConfig;
  let app: INestApplication;
  let files: FilesRepository;
  let records: FileRecords;
  let filestore: Filestore;
  let redis: IORedis;
  let keys: RedisKeys;
  let clear: TestUser;
  let amber: TestUser;
  /** The `files` commands the API's connection sent (command name), since the last reset. */
  let filesCommands: string[] = [];

  beforeAll(async () => {
    const base = isolatedConfig('file-records', {
      classification: join(__dirname, 'fixtures/classification/enforced.yml'),
      // Nothing completes these ingests: quota slots would never come back.
      ui: { enforce_quota: false },
    });
    const url = new URL(base.mongo.url);
    url.searchParams.set('monitorCommands', 'true');
    config = { ...base, mongo: { ...base.mongo, url: url.toString() } };
    app = await startApi(config);
    files = app.get(FilesRepository);
    records = app.get(FileRecords);
    filestore = app.get(FILESTORE);
    redis = new IORedis(config.redis.url);
    keys = new RedisKeys(config.redis.prefix);
    app
      .get<Connection>(MONGO_CONNECTION)
      .getClient()
      .on('commandStarted', (event) => {
        const command = event.command as Record<string, unknown>;
        if (command[event.commandName] === 'files') filesCommands.push(event.commandName);
      });
    clear = await addUserWithKey(app, { classification: 'TLP:CLEAR' });
    amber = await addUserWithKey(app, { classification: 'TLP:AMBER' });
  });

  afterAll(async () => {
    await files.model.db.dropDatabase();
    await app.close();
    await redis.quit();
    await removeTestKeys(config);
  });

  /** A file in the filestore with its document, written by FilesRepository (as the ingester writes it). */
  async function storedFile(classification: string): Promise<string> {
    const bytes = Buffer.concat([Buffer.from(`${uniqueId('record')}\n`), randomBytes(2000)]);
    const sha256 = sha256Of(bytes);
    await filestore.put(sha256, Readable.from(bytes));
    const digests = { sha256, md5: 'd'.repeat(32), sha1: 'e'.repeat(40), size: bytes.length, entropy: 7.5 };
    await files.recordSeen(newFile(digests, { type: 'unknown', magic: 'data', mime: 'application/octet-stream' }, classification), new Date(), null);
    return sha256;
  }

  const ingestBySha256 = (who: TestUser, sha256: string) =>
    request(app.getHttpServer()).post('/api/v4/ingest/').set(who.headers).send({ sha256, name: 'known.bin', metadata: {} });

  it('writing a new document makes its record, so the first sha256 ingest reads nothing from `files`', async () => {
    const sha256 = await storedFile('TLP:CLEAR');
    expect(await records.read(sha256)).toEqual({ file: expect.objectContaining({ sha256, type: 'unknown', size: expect.any(Number) }), classifications: ['TLP:CLEAR'] });

    filesCommands = [];
    const answer = await ingestBySha256(clear, sha256).expect(200);
    expect(answer.body.api_response.ingest_id).toEqual(expect.any(String));
    expect(filesCommands).toEqual([]);
  });

  it('without a record the document is read once, and the record made from it serves the next lookups', async () => {
    const sha256 = await storedFile('TLP:CLEAR');
    await redis.del(keys.fileRecord(sha256)); // e.g. lapsed
    filesCommands = [];
    await ingestBySha256(clear, sha256).expect(200);
    expect(filesCommands).toEqual(['find']);

    filesCommands = [];
    await ingestBySha256(clear, sha256).expect(200);
    await ingestBySha256(clear, sha256).expect(200);
    expect(filesCommands).toEqual([]);
  });

  it('a raise of the classification by another writer refuses the next ingest of a user without clearance, with no read', async () => {
    const sha256 = await storedFile('TLP:CLEAR');
    await ingestBySha256(clear, sha256).expect(200);

    // Another process records a sighting at a higher classification (the ingester, an extraction…).
    await files.recordSeen(
      newFile({ sha256, md5: 'd'.repeat(32), sha1: 'e'.repeat(40), size: 10, entropy: 1 }, { type: 'unknown' }, 'TLP:AMBER'),
      new Date(),
      null,
      (stored, seen) => (stored === 'TLP:AMBER' || seen === 'TLP:AMBER' ? 'TLP:AMBER' : stored),
    );
    expect((await files.findBySha256(sha256))?.classification).toBe('TLP:AMBER');

    filesCommands = [];
    const refused = await ingestBySha256(clear, sha256).expect(404);
    expect(refused.body.api_error_message).toBe(SHA256_NOT_FOUND);
    await ingestBySha256(amber, sha256).expect(200);
    expect(filesCommands).toEqual([]);
  });

  it('a sighting counts before its write: a reader that copies an older document in keeps the sighting’s classification', async () => {
    const sha256 = await storedFile('TLP:CLEAR');
    await redis.del(keys.fileRecord(sha256));
    const before = await files.findBySha256(sha256); // a reader read the document…
    await records.seeing([{ sha256, classification: 'TLP:AMBER' }]); // …a writer announced its raise…
    await records.known([{ file: { ...before!, classification: before!.classification }, created: false }]); // …the reader's copy lands
    expect((await records.read(sha256))?.classifications.sort()).toEqual(['TLP:AMBER', 'TLP:CLEAR']);
    await ingestBySha256(clear, sha256).expect(404);
  });

  it('a record holding only sightings is not trusted: the document is read', async () => {
    const sha256 = await storedFile('TLP:CLEAR');
    await redis.del(keys.fileRecord(sha256));
    await records.seeing([{ sha256, classification: 'TLP:CLEAR' }]);
    expect(await records.read(sha256)).toBeNull();
    filesCommands = [];
    await ingestBySha256(clear, sha256).expect(200);
    expect(filesCommands).toEqual(['find']);
  });

  it('a deletion removes the record and its tombstone refuses a late copy of the deleted document; a new document is recorded', async () => {
    const sha256 = await storedFile('TLP:AMBER');
    const before = await files.findBySha256(sha256);
    await filestore.deleteMany([sha256]);
    expect(await files.deleteIds([sha256])).toBe(1);
    expect(await records.read(sha256)).toBeNull();

    // A reader that read the document before the deletion writes its copy after it: refused.
    await records.known([{ file: before!, created: false }]);
    expect(await records.read(sha256)).toBeNull();
    await ingestBySha256(amber, sha256).expect(404);

    // The file comes back at a lower classification: the new document's record holds that one alone.
    await filestore.put(sha256, Readable.from(Buffer.from('again')));
    await files.recordSeen(newFile({ sha256, md5: 'd'.repeat(32), sha1: 'e'.repeat(40), size: 5, entropy: 1 }, { type: 'unknown' }, 'TLP:CLEAR'), new Date(), null);
    expect(await records.read(sha256)).toEqual({ file: expect.objectContaining({ sha256, size: 5 }), classifications: ['TLP:CLEAR'] });
    filesCommands = [];
    await ingestBySha256(clear, sha256).expect(200);
    expect(filesCommands).toEqual([]);
  });

  it('a batch of sightings (the ingester’s recordSeenMany) records new files and raises known ones', async () => {
    const known = await storedFile('TLP:CLEAR');
    const fresh = sha256Of(randomBytes(64));
    const digests = (sha256: string) => ({ sha256, md5: 'd'.repeat(32), sha1: 'e'.repeat(40), size: 64, entropy: 1 });
    const now = new Date();
    filesCommands = [];
    const answers = await files.recordSeenMany(
      [
        { file: newFile(digests(fresh), { type: 'text/plain' }, 'TLP:CLEAR'), now, expiry: null },
        { file: newFile(digests(known), { type: 'unknown' }, 'TLP:AMBER'), now, expiry: null },
      ],
      (stored, seen) => (stored === 'TLP:AMBER' || seen === 'TLP:AMBER' ? 'TLP:AMBER' : stored),
    );
    expect(answers).toEqual([{ created: true }, { created: false }]);
    // The file without a record is inserted; the recorded one upserted (then read, and its classification raised).
    expect(filesCommands.slice(0, 2)).toEqual(['insert', 'update']);
    expect(filesCommands.filter((command) => command === 'insert')).toHaveLength(1);
    expect(await records.read(fresh)).toEqual({ file: expect.objectContaining({ sha256: fresh, type: 'text/plain' }), classifications: ['TLP:CLEAR'] });
    expect((await records.read(known))?.classifications.sort()).toEqual(['TLP:AMBER', 'TLP:CLEAR']);
  });
});
