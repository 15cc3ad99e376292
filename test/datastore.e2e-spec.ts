import { Connection } from 'mongoose';
import { SubmissionParamsSchema } from '@hopper/messages';
import { AlertsRepository, connectMongo, FilesRepository, NewFile, NewSubmission, pingMongo, ResultRecord, ResultsRepository, SubmissionsRepository } from '@hopper/datastore';
import { mongoUrlFor, uniqueId } from './support/test-env';

const day = 24 * 3600 * 1000;
const t0 = new Date('2026-01-01T00:00:00Z');

function fileNamed(n: number): NewFile {
  const hex = n.toString(16).padStart(2, '0');
  return {
    sha256: hex.repeat(32),
    md5: hex.repeat(16),
    sha1: hex.repeat(20),
    size: n,
    type: 'text/plain',
    classification: 'TLP:C',
  };
}

describe('datastore on the MongoDB-wire server', () => {
  let connection: Connection;
  let files: FilesRepository;

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(`hopper_test_${uniqueId('datastore')}`));
    files = new FilesRepository(connection);
    await files.ensureIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('answers a ping', async () => {
    await expect(pingMongo(connection)).resolves.toBeUndefined();
  });

  it('creates a file on first sight and counts later sightings', async () => {
    const file = fileNamed(1);
    const first = await files.recordSeen(file, t0, new Date(t0.getTime() + 30 * day));
    expect(first).toMatchObject({ _id: file.sha256, md5: file.md5, seen: { count: 1, first: t0, last: t0 } });

    const later = new Date(t0.getTime() + day);
    const second = await files.recordSeen({ ...file, type: 'ignored on update' }, later, new Date(later.getTime() + 30 * day));
    expect(second.seen).toEqual({ count: 2, first: t0, last: later });
    expect(second.type).toBe('text/plain');
    expect(await files.model.countDocuments({ _id: file.sha256 })).toBe(1);
  });

  it('records many sightings in one bulkWrite: new files created, known ones counted, raised and extended as recordSeen does', async () => {
    const known = fileNamed(2);
    await files.recordSeen({ ...known, classification: 'A' }, t0, new Date(t0.getTime() + 5 * day));
    const fresh = fileNamed(3);
    const later = new Date(t0.getTime() + day);
    const highest = (stored: string, seen: string) => (seen > stored ? seen : stored);
    const answers = await files.recordSeenMany(
      [
        { file: { ...known, classification: 'C' }, now: later, expiry: new Date(t0.getTime() + 20 * day) },
        { file: fresh, now: later, expiry: null },
        { file: { ...fresh, classification: 'B' }, now: later, expiry: null },
      ],
      highest,
    );
    expect(answers).toEqual([{ created: false }, { created: true }, { created: false }]);
    expect(await files.findBySha256(known.sha256)).toMatchObject({ classification: 'C', seen: { count: 2, first: t0, last: later }, expiry_ts: new Date(t0.getTime() + 20 * day) });
    expect(await files.findBySha256(fresh.sha256)).toMatchObject({ seen: { count: 2, first: later, last: later } });
    expect((await files.findBySha256(fresh.sha256))!.classification).toBe(highest(fresh.classification, 'B'));
  });

  it('stores a new file by insert with what a first sighting by upsert sets', async () => {
    const file = fileNamed(40);
    const expiry = new Date(t0.getTime() + 30 * day);
    expect(await files.recordSeenMany([{ file, now: t0, expiry }])).toEqual([{ created: true }]);
    // The bulkWrite's upsert ($setOnInsert of the file, then seen.count and seen.last) made exactly this.
    expect(await files.findBySha256(file.sha256)).toEqual({ ...file, _id: file.sha256, seen: { count: 1, first: t0, last: t0 }, expiry_ts: expiry });
  });

  it('keeps the sha256 unique: a second insert of the same id is refused', async () => {
    const file = fileNamed(2);
    await files.recordSeen(file, t0, null);
    const duplicate = { ...file, _id: file.sha256, seen: { count: 1, first: t0, last: t0 }, expiry_ts: null };
    await expect(files.model.create(duplicate)).rejects.toMatchObject({ code: 11000 });
  });

  // The loser of the insert race gets a duplicate-key error that recordSeen must absorb. (The count
  // itself is exact on MongoDB; FerretDB v1 applies $inc without isolation, see docs/architecture.md.)
  it('records concurrent first sightings of one file as one document, without errors', async () => {
    const file = fileNamed(3);
    const outcomes = await Promise.allSettled(Array.from({ length: 8 }, () => files.recordSeen(file, t0, null)));
    expect(outcomes.filter((outcome) => outcome.status === 'rejected')).toEqual([]);
    expect(await files.model.countDocuments({ _id: file.sha256 })).toBe(1);
  });

  it('extends expiry to the later date and never shortens it', async () => {
    const file = fileNamed(4);
    await files.recordSeen(file, t0, new Date(t0.getTime() + 10 * day));
    await files.recordSeen(file, t0, new Date(t0.getTime() + 5 * day));
    expect((await files.findBySha256(file.sha256))?.expiry_ts).toEqual(new Date(t0.getTime() + 10 * day));
    await files.recordSeen(file, t0, new Date(t0.getTime() + 20 * day));
    expect((await files.findBySha256(file.sha256))?.expiry_ts).toEqual(new Date(t0.getTime() + 20 * day));
    // Less than an hour more is not worth a write on every sighting.
    await files.recordSeen(file, t0, new Date(t0.getTime() + 20 * day + 59 * 60_000));
    expect((await files.findBySha256(file.sha256))?.expiry_ts).toEqual(new Date(t0.getTime() + 20 * day));
    await files.recordSeen(file, t0, null); // "keep forever" wins over any date
    await files.recordSeen(file, t0, new Date(t0.getTime() + 30 * day));
    expect((await files.findBySha256(file.sha256))?.expiry_ts).toBeNull();
  });

  it('finds only expired records for the sweeper, and deletes by id', async () => {
    const expired = fileNamed(5);
    const alive = fileNamed(6);
    const forever = fileNamed(7);
    await files.recordSeen(expired, t0, new Date(t0.getTime() + day));
    await files.recordSeen(alive, t0, new Date(t0.getTime() + 100 * day));
    await files.recordSeen(forever, t0, null);

    const later = new Date(t0.getTime() + 2 * day);
    const found = (await files.expired(later, 1000)).map((doc) => doc._id);
    expect(found).toContain(expired.sha256);
    expect(found).not.toContain(alive.sha256);
    expect(found).not.toContain(forever.sha256);
    // Read again under the deletion lock: a file freshened meanwhile no longer qualifies.
    expect((await files.stillExpired([expired.sha256, alive.sha256], later)).map((doc) => doc._id)).toEqual([expired.sha256]);
    expect(await files.deleteIds([expired.sha256])).toBe(1);
    expect(await files.existing([expired.sha256, alive.sha256, forever.sha256])).toEqual(new Set([alive.sha256, forever.sha256]));
  });
});

describe('results on the MongoDB-wire server', () => {
  let connection: Connection;
  let results: ResultsRepository;

  function result(key: string, sid: string, score: number): ResultRecord {
    const at = new Date(t0.getTime() + score);
    return {
      _id: key,
      sha256: 'ab'.repeat(32),
      type: 'text/plain',
      size: 1,
      classification: 'TLP:C',
      created: at,
      expiry_ts: null,
      sid,
      response: {
        service_name: 'Characterize',
        service_version: '1',
        service_category: 'Static Analysis',
        extracted: [],
        supplementary: [],
        milestones: { service_started: at, service_completed: at },
      },
      result: { score, sections: [] },
      tags: [],
    };
  }

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(`hopper_test_${uniqueId('results')}`));
    results = new ResultsRepository(connection);
    await results.ensureIndexes();
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('stores a batch of new results, and a batch holding a key already stored replaces that result and stores the rest', async () => {
    await results.saveResults([result('k1', 'first', 1), result('k2', 'first', 2)]);
    expect(await results.findResults(['k1', 'k2'])).toMatchObject([{ _id: 'k1', sid: 'first', result: { score: 1 } }, { _id: 'k2', sid: 'first', result: { score: 2 } }]);

    // k2 is taken (a re-run with ignore_cache, say): the insert of it is refused, and the batch goes again as replacements.
    await results.saveResults([result('k3', 'second', 3), result('k2', 'second', 20), result('k4', 'second', 4)]);
    expect(await results.findResults(['k1', 'k2', 'k3', 'k4'])).toMatchObject([
      { _id: 'k1', sid: 'first', result: { score: 1 } },
      { _id: 'k2', sid: 'second', result: { score: 20 } },
      { _id: 'k3', sid: 'second', result: { score: 3 } },
      { _id: 'k4', sid: 'second', result: { score: 4 } },
    ]);
    expect(await results.results.countDocuments({})).toBe(4);
  });

  it('keeps the later of two results under one key in one batch', async () => {
    await results.saveResults([result('k5', 'one', 5), result('k5', 'other', 50)]);
    expect(await results.findResult('k5')).toMatchObject({ sid: 'other', result: { score: 50 } });
  });
});

describe('metadata on the MongoDB-wire server (dotted keys, `$`, the escape character)', () => {
  let connection: Connection;
  let submissions: SubmissionsRepository;
  let alerts: AlertsRepository;
  // What Assemblyline's flatten() makes of nested metadata, and keys only an encoding lets the server store.
  const metadata = { 'case.id': '42', 'case.owner.team': 'cirt', $leading: 'x', 'mid$dle': 'y', '100%': 'p', 'per%2Ecent': 'q', plain: 'a.b$c' };

  function submission(sid: string): NewSubmission {
    return {
      sid,
      classification: 'TLP:C',
      params: SubmissionParamsSchema.parse({ classification: 'TLP:C', submitter: 'codec' }),
      metadata,
      files: [],
      file_count: 0,
      state: 'submitted',
      times: { submitted: t0, completed: null },
      scan_key: null,
      max_score: 0,
      error_count: 0,
      errors: [],
      results: [],
      failure: null,
      expiry_ts: null,
    };
  }

  beforeAll(async () => {
    connection = await connectMongo(mongoUrlFor(`hopper_test_${uniqueId('metadata')}`));
    submissions = new SubmissionsRepository(connection);
    alerts = new AlertsRepository(connection, () => ({ __access_lvl__: 0, __access_req__: [], __access_grp1__: [], __access_grp2__: [] }));
  });

  afterAll(async () => {
    await connection.dropDatabase();
    await connection.close();
  });

  it('stores a submission whose metadata keys hold dots and dollars, and every read gives them back unchanged', async () => {
    const sid = uniqueId('sid');
    expect((await submissions.createIfAbsent(submission(sid))).metadata).toEqual(metadata);
    expect((await submissions.findBySid(sid))?.metadata).toEqual(metadata);
    expect((await submissions.list({ sid }, 0, 10)).items.map((item) => item.metadata)).toEqual([metadata]);
    // A retried create answers the stored submission, decoded too.
    expect((await submissions.createIfAbsent(submission(sid))).metadata).toEqual(metadata);
    const raw = await submissions.model.collection.findOne({ _id: sid as never });
    expect(Object.keys(raw!.metadata as object).some((key) => key.includes('.') || key.startsWith('$'))).toBe(false);
  });

  it('stores an alert whose metadata keys hold dots and dollars, and every read gives them back unchanged', async () => {
    const sid = uniqueId('alert');
    const alert = { alert_id: sid, sid, ts: t0, score: 1000, classification: 'TLP:C', submitter: 'codec', file: { name: 'x', sha256: 'a'.repeat(64), size: 1 }, metadata, ingest_ids: ['i1'] };
    expect(await alerts.raiseOnce(alert)).toBe('raised');
    expect(await alerts.raiseOnce({ ...alert, ingest_ids: ['i2'] })).toBe('existing');
    expect((await alerts.findById(sid))?.metadata).toEqual(metadata);
    expect((await alerts.findBySid(sid))?.metadata).toEqual(metadata);
    expect((await alerts.list({ sid }, 0, 10)).items.map((item) => item.metadata)).toEqual([metadata]);
  });
});
