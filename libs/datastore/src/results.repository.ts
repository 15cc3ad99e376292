import { Connection, Model } from 'mongoose';
import { byEachId } from './by-each-id';
import { duplicateKeyErrors } from './duplicate-keys';
import { RESULT_COLLECTION, ResultRecord, resultRecordSchema } from './result-record';
import { SERVICE_ERROR_COLLECTION, ServiceErrorRecord, serviceErrorRecordSchema } from './service-error-record';

/** What findTagged answers of each result. */
export type TaggedResult = Pick<ResultRecord, '_id' | 'classification' | 'tags'>;

/** Service results (the results cache) and service errors. */
export class ResultsRepository {
  readonly results: Model<ResultRecord>;
  readonly errors: Model<ServiceErrorRecord>;

  constructor(connection: Connection) {
    this.results = connection.models[RESULT_COLLECTION] ?? connection.model<ResultRecord>(RESULT_COLLECTION, resultRecordSchema);
    this.errors =
      connection.models[SERVICE_ERROR_COLLECTION] ?? connection.model<ServiceErrorRecord>(SERVICE_ERROR_COLLECTION, serviceErrorRecordSchema);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.results.createIndexes(), this.errors.createIndexes()]);
  }

  findResult(key: string): Promise<ResultRecord | null> {
    return this.results.findById(key).lean<ResultRecord>().exec();
  }

  /** The results stored under `keys` (those that exist, in the order of `keys`). */
  findResults(keys: readonly string[]): Promise<ResultRecord[]> {
    return byEachId(keys, (key) => this.results.findById(key).lean<ResultRecord>().exec());
  }

  /**
   * The newest results (at most `limit`) with a tag of one of `types` and a tag of one of `values`: their key,
   * classification and tags. The MongoDB-wire server in development (FerretDB v1) has no `$elemMatch` on
   * sub-documents, so the type and the value may be those of two different tags: callers check the pair.
   */
  findTagged(types: readonly string[], values: readonly string[], limit: number): Promise<TaggedResult[]> {
    return this.results
      .find({ 'tags.value': { $in: values }, 'tags.type': { $in: types } }, { _id: 1, classification: 1, tags: 1 })
      .sort({ created: -1 })
      .limit(limit)
      .lean<TaggedResult[]>()
      .exec();
  }

  /** Stores the result under its key, replacing an older one: one document per key whoever wrote it. */
  async saveResult(record: ResultRecord): Promise<void> {
    await this.results.collection.replaceOne({ _id: record._id } as never, record as never, { upsert: true });
  }

  /**
   * `saveResult` of many results in one round trip. Inserted first (one unordered `insertMany`): a result is
   * stored where nothing was (the runner looked its key up, or the file is new to Hopper), and an insert costs
   * FerretDB about half of a replacing upsert, which reads before it writes (`e2e-pipeline`, docs/operations.md).
   * A key already taken (ignore_cache, a retry, two submissions of one file at once) fails that insert only;
   * the batch is then written again as replacing upserts, so the outcome is `saveResult`'s: this record under
   * its key. The whole batch, not the refused ones by index: FerretDB v1 misnumbers bulk write errors, and
   * replacing a just-inserted record with itself changes nothing.
   */
  async saveResults(records: readonly ResultRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await this.results.collection.insertMany(records as never[], { ordered: false });
    } catch (error) {
      if (!duplicateKeyErrors(error)) throw error;
      await this.results.collection.bulkWrite(
        records.map((record) => ({ replaceOne: { filter: { _id: record._id }, replacement: record, upsert: true } })) as never,
        { ordered: false },
      );
    }
  }

  /** Stores the error under its key (a re-run of the same submission overwrites its own earlier error). */
  async saveError(record: ServiceErrorRecord): Promise<void> {
    await this.errors.collection.replaceOne({ _id: record._id } as never, record as never, { upsert: true });
  }

  findError(key: string): Promise<ServiceErrorRecord | null> {
    return this.errors.findById(key).lean<ServiceErrorRecord>().exec();
  }

  /** The errors stored under `keys` (those that exist, in the order of `keys`). */
  findErrors(keys: readonly string[]): Promise<ServiceErrorRecord[]> {
    return byEachId(keys, (key) => this.errors.findById(key).lean<ServiceErrorRecord>().exec());
  }
}
