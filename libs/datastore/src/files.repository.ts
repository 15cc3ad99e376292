import { Connection, Model } from 'mongoose';
import type { AccessPartsOf } from './access-parts';
import { FILE_COLLECTION, FileRecord, fileRecordSchema } from './file-record';

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

/** How a file's stored classification and the one it is seen with now combine (e.g. the engine's max). */
export type ClassificationCombiner = (stored: string, seen: string) => string;

export class FilesRepository {
  readonly model: Model<FileRecord>;

  /** `accessPartsOf`: stores the access-control parts beside each classification (DatastoreModule gives it). */
  constructor(
    connection: Connection,
    private readonly accessPartsOf?: AccessPartsOf,
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
   * recordSeen, telling whether this sighting created the document. The expiry protocol's freshen side: a
   * sighting never succeeds on a document the sweeper marked (`deleting`); it waits until the deletion ended
   * and then creates the document anew. A caller holding the bytes commits them after this returns (so the
   * blob is written after any deletion of it); a caller whose blob was committed earlier checks that it is
   * still there when `inserted` (a deletion may have ended between its commit and this sighting).
   */
  async recordSighting(
    file: NewFile,
    now: Date,
    expiry: Date | null,
    combine?: ClassificationCombiner,
  ): Promise<{ record: FileRecord; inserted: boolean }> {
    const deadline = Date.now() + DELETION_WAIT_MS;
    for (let attempt = 0; ; attempt++) {
      const sighting = await this.trySighting(file, now, expiry);
      if (sighting) {
        const record = combine ? await this.combineClassification(sighting.record, file.classification, combine) : sighting.record;
        return { record, inserted: sighting.inserted };
      }
      if (Date.now() >= deadline) throw new FileBeingDeletedError(file.sha256);
      await sleep(Math.min(5 * 2 ** attempt, 200));
    }
  }

  /** One attempt of a sighting; null when the file is being deleted (the caller waits and tries again). */
  private async trySighting(file: NewFile, now: Date, expiry: Date | null): Promise<{ record: FileRecord; inserted: boolean } | null> {
    let seen;
    try {
      seen = await this.model
        .findOneAndUpdate(
          // A marked document does not match: the upsert then collides with it on _id (duplicate key).
          { _id: file.sha256, deleting: { $exists: false } },
          {
            $setOnInsert: {
              ...file,
              ...this.accessPartsOf?.(file.classification),
              _id: file.sha256,
              'seen.first': now,
              expiry_ts: expiry,
            },
            $inc: { 'seen.count': 1 },
            $set: { 'seen.last': now },
          },
          { upsert: true, returnDocument: 'after', lean: true, includeResultMetadata: true },
        )
        .exec();
    } catch (error) {
      // Being deleted, or a concurrent first sighting won the insert: either way the next attempt decides.
      if ((error as { code?: number }).code === DUPLICATE_KEY) return null;
      throw error;
    }
    const record = seen.value as FileRecord;
    const inserted = seen.lastErrorObject?.updatedExisting === false;
    // Extending by less than EXPIRY_STEP_MS is not worth a write (every sighting would cost one).
    const extends_ = record.expiry_ts !== null && (expiry === null || record.expiry_ts.getTime() + EXPIRY_STEP_MS <= expiry.getTime());
    if (!extends_) return { record, inserted };
    // Conditional, so that a concurrent sighting with a later expiry is never shortened, and so that a file
    // the sweeper marked in between is not extended (the sighting starts over once the deletion ended).
    const extended = await this.model
      .updateOne(
        { _id: file.sha256, deleting: { $exists: false }, expiry_ts: expiry === null ? { $ne: null } : { $ne: null, $lt: expiry } },
        { $set: { expiry_ts: expiry } },
      )
      .exec();
    if (extended.modifiedCount === 0) {
      const current = await this.model.findById(file.sha256, { deleting: 1 }).lean<Pick<FileRecord, 'deleting'>>().exec();
      if (!current || current.deleting !== undefined) return null;
    }
    return { record: { ...record, expiry_ts: expiry }, inserted };
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

  /** The file's document; null when there is none or it is being deleted (marked by the sweeper). */
  findBySha256(sha256: string): Promise<FileRecord | null> {
    return this.model.findOne({ _id: sha256, deleting: { $exists: false } }).lean<FileRecord>().exec();
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

  /**
   * The sweeper's side of the expiry protocol, step 1: marks (with `token`) up to `limit` files expired at
   * `now` and not yet marked, and answers those it marked with their sizes. From here no sighting succeeds on
   * them until finishDeletion removed them, so their blobs can go.
   */
  async markExpired(now: Date, limit: number, token: string): Promise<Array<{ _id: string; size: number }>> {
    const expired = await this.model
      .find({ expiry_ts: { $ne: null, $lt: now }, deleting: { $exists: false } }, { _id: 1 })
      .limit(limit)
      .lean<{ _id: string }[]>()
      .exec();
    if (!expired.length) return [];
    return this.mark(expired.map((doc) => doc._id), { expiry_ts: { $ne: null, $lt: now } }, now, token);
  }

  /**
   * Marks the files `ids` that `condition` (besides "not marked") still holds for, and answers those marked.
   * The expiry protocol's step 1 for files chosen by another rule (a deleted submission's files).
   */
  async mark(ids: string[], condition: Record<string, unknown>, now: Date, token: string): Promise<Array<{ _id: string; size: number }>> {
    await this.model.updateMany({ _id: { $in: ids }, deleting: { $exists: false }, ...condition }, { $set: { deleting: token, deleting_at: now } }).exec();
    return this.model.find({ _id: { $in: ids }, deleting: token }, { _id: 1, size: 1 }).lean<Array<{ _id: string; size: number }>>().exec();
  }

  /**
   * Marks blobs that no document names by inserting a marked document for each (a tombstone, no other field):
   * the insert fails for a sha256 that has a document, so only unnamed blobs are answered, and a sighting
   * waits for the tombstone like for any marked file.
   */
  async markUnreferenced(sha256s: string[], now: Date, token: string): Promise<string[]> {
    if (!sha256s.length) return [];
    try {
      await this.model.collection.insertMany(sha256s.map((sha256) => ({ _id: sha256, deleting: token, deleting_at: now }) as never), { ordered: false });
    } catch (error) {
      if ((error as { code?: number }).code !== DUPLICATE_KEY && !(error as { writeErrors?: unknown }).writeErrors) throw error;
    }
    const marked = await this.model.find({ _id: { $in: sha256s }, deleting: token }, { _id: 1 }).lean<{ _id: string }[]>().exec();
    return marked.map((doc) => doc._id);
  }

  /** Step 3 of the protocol: removes the documents still marked with `token` (their blobs are gone). */
  async finishDeletion(ids: string[], token: string): Promise<number> {
    if (!ids.length) return 0;
    const result = await this.model.deleteMany({ _id: { $in: ids }, deleting: token }).exec();
    return result.deletedCount;
  }

  /** Files a sweeper marked before `before` and never finished (it died): the next sweep finishes them. */
  staleMarks(before: Date, limit: number): Promise<Array<{ _id: string; size?: number; deleting: string }>> {
    return this.model
      .find({ deleting_at: { $lt: before } }, { _id: 1, size: 1, deleting: 1 })
      .limit(limit)
      .lean<Array<{ _id: string; size?: number; deleting: string }>>()
      .exec();
  }

  /** Of `sha256s`, those that have a document (marked or not). */
  async existing(sha256s: string[]): Promise<Set<string>> {
    if (!sha256s.length) return new Set();
    const found = await this.model.find({ _id: { $in: sha256s } }, { _id: 1 }).lean<{ _id: string }[]>().exec();
    return new Set(found.map((doc) => doc._id));
  }
}

/** A sighting waited this long for the deletion of its file to end, and it did not. */
export class FileBeingDeletedError extends Error {
  constructor(readonly sha256: string) {
    super(`File ${sha256} is being deleted by the expiry sweeper; try again`);
    this.name = 'FileBeingDeletedError';
  }
}

/** How long a sighting waits for the deletion of its file (a few blob deletes) to end. */
const DELETION_WAIT_MS = 10_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const DUPLICATE_KEY = 11000;
/** A file's life is extended in steps of at least this much. */
const EXPIRY_STEP_MS = 3600 * 1000;
