import { Connection, Model } from 'mongoose';
import type { AccessPartsOf } from './access-parts';
import { FILE_COLLECTION, FileRecord, fileRecordSchema, fileFactsOf } from './file-record';
import type { FileRecordMirror } from './file-record-mirror';
import { byEachId, deleteEachById } from './by-each-id';
import { duplicateKeyErrors } from './duplicate-keys';

export type NewFile = Omit<FileRecord, '_id' | 'seen' | 'expiry_ts'>;

/** The `files` document of bytes just measured (hashes, entropy) and identified (type, magic, mime). */
export function newFile(
  digests: Pick<NewFile, 'sha256' | 'md5' | 'sha1' | 'size' | 'entropy'>,
  identity: { type: string; magic?: string; mime?: string },
  classification: string,
): NewFile {
  const { sha256, md5, sha1, size, entropy } = digests;
  return { sha256, md5, sha1, size, entropy, type: identity.type, magic: identity.magic, mime: identity.mime, classification } as NewFile;
}

/** One sighting of a file: what it is, when it was seen, and until when the sighting keeps it (null: forever). */
export interface FileSighting {
  file: NewFile;
  now: Date;
  expiry: Date | null;
}

/** How a file's stored classification and the one it is seen with now combine (e.g. the engine's max). */
export type ClassificationCombiner = (stored: string, seen: string) => string;

export class FilesRepository {
  readonly model: Model<FileRecord>;

  /**
   * `accessPartsOf`: stores the access-control parts beside each classification (DatastoreModule gives it).
   * `mirror`: the copy of each file outside the database that sha256 lookups read (DatastoreModule gives it;
   * a process that writes `files` without it leaves those lookups a stale copy).
   */
  constructor(
    connection: Connection,
    private readonly accessPartsOf?: AccessPartsOf,
    private readonly mirror?: FileRecordMirror,
  ) {
    this.model = connection.models[FILE_COLLECTION] ?? connection.model<FileRecord>(FILE_COLLECTION, fileRecordSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * Records a sighting of the file: creates it on first sight, otherwise bumps the seen counter and
   * extends its life. `expiry` null means "keep forever", which wins over any date.
   */
  async recordSeen(file: NewFile, now: Date, expiry: Date | null, combine?: ClassificationCombiner): Promise<FileRecord> {
    return (await this.recordSighting(file, now, expiry, combine)).record;
  }

  /**
   * recordSeen, telling whether this sighting created the document. A caller holding the bytes commits them
   * after this returns, inside FileGuard.sighting (the expiry protocol: no deletion of the file can interleave);
   * a caller whose blob was committed before checks that it is still there when `inserted`.
   */
  async recordSighting(
    file: NewFile,
    now: Date,
    expiry: Date | null,
    combine?: ClassificationCombiner,
  ): Promise<{ record: FileRecord; inserted: boolean }> {
    await this.mirror?.seeing([file]);
    const seen = await retryOnDuplicateKey(() =>
      this.model
        .findOneAndUpdate({ _id: file.sha256 }, this.sightingUpdate(file, now, expiry), {
          upsert: true,
          returnDocument: 'after',
          lean: true,
          includeResultMetadata: true,
        })
        .exec(),
    );
    const inserted = seen.lastErrorObject?.updatedExisting === false;
    const record = await this.afterSighting(seen.value as FileRecord, file, expiry, combine);
    await this.mirror?.known([{ file: fileFactsOf(record), created: inserted }]);
    return { record, inserted };
  }

  /**
   * `recordSeen` of many sightings: answers, per sighting, whether it created the document. The first sighting
   * in the batch of a file the mirror had no record of (most likely new to Hopper) is inserted (one unordered
   * `insertMany`: FerretDB spends about half as much on an insert as on an upsert, which reads before it
   * writes); the others, and any insert refused because the document exists after all, go as one `bulkWrite`
   * of upserts. A file already stored is then read and its classification and life adjusted as `recordSeen`
   * does, one by one.
   */
  async recordSeenMany(sightings: readonly FileSighting[], combine?: ClassificationCombiner): Promise<Array<{ created: boolean }>> {
    if (sightings.length === 0) return [];
    // No mirror (tools, the repository's tests): every file is tried as new; a refused insert is upserted.
    const recorded = (await this.mirror?.seeing(sightings.map(({ file }) => file))) ?? new Set<string>();
    const firstOfNew = new Set<string>();
    const candidates: number[] = [];
    sightings.forEach(({ file }, index) => {
      if (recorded.has(file.sha256) || firstOfNew.has(file.sha256)) return;
      firstOfNew.add(file.sha256);
      candidates.push(index);
    });
    const inserted = await this.insertNew(candidates.map((index) => sightings[index]));
    const documents: Array<{ file: FileRecord | NewFile; created: boolean } | null> = sightings.map(() => null);
    candidates.forEach((index, k) => {
      if (inserted[k]) documents[index] = { file: sightings[index].file, created: true };
    });
    const upserts = sightings.flatMap((_, index) => (documents[index] === null ? [index] : []));
    const upserted = await this.upsertSightings(upserts.map((index) => sightings[index]), combine);
    upserts.forEach((index, k) => (documents[index] = upserted[k]));
    const written = documents.filter((document) => document !== null);
    if (written.length) await this.mirror?.known(written.map(({ file, created }) => ({ file: fileFactsOf(file), created })));
    return documents.map((document) => ({ created: document?.created ?? false }));
  }

  /**
   * Inserts each sighting's file as its first sighting makes it (what `sightingUpdate` would upsert); answers,
   * per sighting, whether it was inserted (false: the document exists). Duplicate-key errors are read by index,
   * which FerretDB v1 numbers right for inserts (not for the updates of a `bulkWrite`).
   */
  private async insertNew(sightings: readonly FileSighting[]): Promise<boolean[]> {
    if (sightings.length === 0) return [];
    const documents = sightings.map(({ file, now, expiry }) => ({
      ...file,
      ...this.accessPartsOf?.(file.classification),
      _id: file.sha256,
      seen: { first: now, count: 1, last: now },
      expiry_ts: expiry,
    }));
    try {
      await this.model.collection.insertMany(documents as never[], { ordered: false });
      return documents.map(() => true);
    } catch (error) {
      const duplicates = duplicateKeyErrors(error);
      if (!duplicates) throw error;
      const refused = new Set(duplicates.map((duplicate) => duplicate.index));
      return documents.map((_, index) => !refused.has(index));
    }
  }

  /**
   * Sightings as one `bulkWrite` of upserts: per sighting, what its document now holds and whether this
   * sighting created it (null: a retried one, whose `recordSeen` has told the mirror already).
   */
  private async upsertSightings(
    sightings: readonly FileSighting[],
    combine?: ClassificationCombiner,
  ): Promise<Array<{ file: FileRecord | NewFile; created: boolean } | null>> {
    if (sightings.length === 0) return [];
    const operations = sightings.map(({ file, now, expiry }) => ({
      updateOne: { filter: { _id: file.sha256 }, update: this.sightingUpdate(file, now, expiry), upsert: true },
    }));
    let upserted: Record<number, unknown>;
    let failed = new Set<number>();
    try {
      upserted = (await this.model.collection.bulkWrite(operations as never, { ordered: false })).upsertedIds;
    } catch (error) {
      // Two first sightings racing from two processes: the loser's upsert fails with a duplicate key; it
      // goes again alone below (the winner's document is there by then). Anything else is the batch's failure.
      const bulk = error as { result?: { upsertedIds?: Record<number, unknown> } };
      const duplicates = duplicateKeyErrors(error);
      if (!duplicates) throw error;
      upserted = bulk.result?.upsertedIds ?? {};
      failed = new Set(duplicates.map((writeError) => writeError.index));
    }
    // By _id, not by the index the server reports (FerretDB v1 misnumbers it); the first sighting of a file
    // in the batch is the one that created it.
    const created = new Set(Object.values(upserted).map(String));
    return Promise.all(
      sightings.map(async ({ file, now, expiry }, index) => {
        if (failed.has(index)) {
          await this.recordSeen(file, now, expiry, combine);
          return null;
        }
        if (created.delete(file.sha256)) return { file, created: true };
        const stored = await this.findBySha256(file.sha256);
        return stored ? { file: await this.afterSighting(stored, file, expiry, combine), created: false } : null;
      }),
    );
  }

  /** Creates the document on first sight (with everything `file` says), otherwise counts the sighting. */
  private sightingUpdate(file: NewFile, now: Date, expiry: Date | null) {
    return {
      $setOnInsert: { ...file, ...this.accessPartsOf?.(file.classification), _id: file.sha256, 'seen.first': now, expiry_ts: expiry },
      $inc: { 'seen.count': 1 },
      $set: { 'seen.last': now },
    };
  }

  /** After a sighting of a stored file: its classification raised to the sighting's, its life extended. */
  private async afterSighting(seen: FileRecord, file: NewFile, expiry: Date | null, combine?: ClassificationCombiner): Promise<FileRecord> {
    let record = seen;
    if (combine) record = await this.combineClassification(record, file.classification, combine);
    // Extending by less than EXPIRY_STEP_MS is not worth a write (every sighting would cost one).
    const extends_ = record.expiry_ts !== null && (expiry === null || record.expiry_ts.getTime() + EXPIRY_STEP_MS <= expiry.getTime());
    if (!extends_) return record;
    // Conditional, so that a concurrent sighting with a later expiry is never shortened.
    await this.model
      .updateOne(
        { _id: file.sha256, expiry_ts: expiry === null ? { $ne: null } : { $ne: null, $lt: expiry } },
        { $set: { expiry_ts: expiry } },
      )
      .exec();
    return { ...record, expiry_ts: expiry };
  }

  /**
   * Raises the stored classification to what `combine` makes of it and the new sighting's. A compare-and-set
   * on the old value, retried when a concurrent sighting changed it first, so no raise is lost.
   */
  private async combineClassification(record: FileRecord, seen: string, combine: ClassificationCombiner): Promise<FileRecord> {
    let current = record;
    for (let attempt = 0; attempt < 10; attempt++) {
      const wanted = combine(current.classification, seen);
      if (wanted === current.classification) return current;
      const raised = { classification: wanted, ...this.accessPartsOf?.(wanted) };
      const result = await this.model
        .updateOne({ _id: current._id, classification: current.classification }, { $set: raised })
        .exec();
      if (result.modifiedCount === 1) return { ...current, ...raised };
      const fresh = await this.findBySha256(current._id);
      if (!fresh) return current;
      current = { ...current, classification: fresh.classification };
    }
    throw new Error(`could not update the classification of file ${record._id}: too much contention`);
  }

  findBySha256(sha256: string): Promise<FileRecord | null> {
    return this.model.findById(sha256).lean<FileRecord>().exec();
  }

  /** The sha256s of the files with this md5 or sha1 (both indexed), at most `limit` of them. */
  async sha256sByDigest(algorithm: 'md5' | 'sha1', digest: string, limit: number): Promise<string[]> {
    const found = await this.model
      .find({ [algorithm]: digest }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    return found.map((doc) => doc._id);
  }

  /** Up to `limit` files past their expiry at `now`, with their sizes (found by the expiry_ts index). */
  expired(now: Date, limit: number): Promise<Array<{ _id: string; size: number }>> {
    return this.model
      .find({ expiry_ts: { $ne: null, $lt: now } }, { _id: 1, size: 1 })
      .limit(limit)
      .lean<Array<{ _id: string; size: number }>>()
      .exec();
  }

  /** Of `sha256s`, the files still past their expiry at `now` (read again once they are locked for deletion). */
  async stillExpired(sha256s: readonly string[], now: Date): Promise<Array<{ _id: string; size: number }>> {
    return byEachId(sha256s, (sha256) =>
      this.model
        .findOne({ _id: sha256, expiry_ts: { $ne: null, $lt: now } }, { _id: 1, size: 1 })
        .lean<{ _id: string; size: number }>()
        .exec(),
    );
  }

  /** Of `sha256s`, those that have a document. */
  async existing(sha256s: readonly string[]): Promise<Set<string>> {
    const found = await byEachId(sha256s, (sha256) => this.model.findById(sha256, { _id: 1 }).lean<{ _id: string }>().exec());
    return new Set(found.map((doc) => doc._id));
  }

  /** Deletes the documents (the caller holds their files' deletion locks and deleted their blobs). */
  async deleteIds(sha256s: readonly string[]): Promise<number> {
    const deleted = await deleteEachById(this.model, sha256s);
    await this.mirror?.deleted(sha256s);
    return deleted;
  }
}

const DUPLICATE_KEY = 11000;
/** A file's life is extended in steps of at least this much. */
const EXPIRY_STEP_MS = 3600 * 1000;

/**
 * Two first sightings of one file race to insert it; the server refuses the loser's insert with a
 * duplicate-key error, and the retry finds the winner's document and updates it instead.
 */
async function retryOnDuplicateKey<T>(operation: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY || attempt >= attempts) throw error;
    }
  }
}
