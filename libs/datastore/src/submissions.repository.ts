import { Connection, Model } from 'mongoose';
import type { AccessPartsOf } from './access-parts';
import { encodeMetadata } from './metadata-codec';
import { storedSubmission } from './stored-submission';
import { SUBMISSION_COLLECTION, SubmissionRecord, submissionRecordSchema, SubmissionState } from './submission-record';

export type NewSubmission = Omit<SubmissionRecord, '_id' | 'file_tree'> & { file_tree?: SubmissionRecord['file_tree'] };

export interface SubmissionOutcome {
  state: Exclude<SubmissionState, 'submitted'>;
  max_score: number;
  errors: string[];
  results: string[];
  failure: string | null;
  completed: Date;
  file_tree?: SubmissionRecord['file_tree'];
}

/** One page of a list, as Assemblyline's searches answer it. */
export interface SubmissionPage {
  items: SubmissionRecord[];
  total: number;
}

export class SubmissionsRepository {
  readonly model: Model<SubmissionRecord>;

  constructor(
    connection: Connection,
    private readonly accessPartsOf?: AccessPartsOf,
  ) {
    this.model =
      connection.models[SUBMISSION_COLLECTION] ?? connection.model<SubmissionRecord>(SUBMISSION_COLLECTION, submissionRecordSchema);
  }

  async ensureIndexes(): Promise<void> {
    await this.model.createIndexes();
  }

  /**
   * Creates the submission unless one with its sid exists, and answers the stored one: a retried step (a
   * worker that crashed after the insert) never makes a second submission nor overwrites the first.
   */
  async createIfAbsent(submission: NewSubmission): Promise<SubmissionRecord> {
    const parts = this.accessPartsOf?.(submission.classification) ?? {};
    const record: SubmissionRecord = { file_tree: null, ...submission, ...parts, _id: submission.sid };
    try {
      // The driver's insert: the record is built by Hopper's own code, so mongoose's casting and document
      // machinery would only cost time on the ingester's hot path. Metadata keys are stored encoded.
      await this.model.collection.insertOne({ ...record, metadata: encodeMetadata(record.metadata ?? {}) } as never);
      return record;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.findBySid(submission.sid);
      if (!existing) throw error;
      return existing;
    }
  }

  /**
   * `createIfAbsent` of many submissions in one round trip (an unordered `insertMany`): answers the stored
   * record of each, in order. A sid that exists already (a retried job) is read back and answered as stored.
   */
  async createManyIfAbsent(submissions: readonly NewSubmission[]): Promise<SubmissionRecord[]> {
    const records = submissions.map((submission): SubmissionRecord => ({
      file_tree: null,
      ...submission,
      ...(this.accessPartsOf?.(submission.classification) ?? {}),
      _id: submission.sid,
    }));
    let duplicates = new Set<number>();
    try {
      await this.model.collection.insertMany(records.map((record) => ({ ...record, metadata: encodeMetadata(record.metadata ?? {}) })) as never[], { ordered: false });
    } catch (error) {
      const bulk = error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } };
      const writeErrors = Array.isArray(bulk.writeErrors) ? bulk.writeErrors : bulk.writeErrors ? [bulk.writeErrors] : [];
      if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== 11000)) throw error;
      duplicates = new Set(writeErrors.map((writeError) => writeError.index));
    }
    return Promise.all(
      records.map(async (record, index) => {
        if (!duplicates.has(index)) return record;
        const existing = await this.findBySid(record.sid);
        if (!existing) throw new Error(`submission ${record.sid}: duplicate key, yet not found`);
        return existing;
      }),
    );
  }

  async findBySid(sid: string): Promise<SubmissionRecord | null> {
    return storedSubmission(await this.model.findById(sid).lean<SubmissionRecord>().exec());
  }

  /** Ends a submission that is still running; false when it had already ended (the first outcome stays). */
  async finish(sid: string, outcome: SubmissionOutcome): Promise<boolean> {
    const { completed, ...fields } = outcome;
    const result = await this.model
      .updateOne(
        { _id: sid, state: 'submitted' },
        { $set: { ...fields, error_count: outcome.errors.length, 'times.completed': completed } },
      )
      .exec();
    return result.modifiedCount === 1;
  }

  /**
   * The submissions of `submitter` that `filter` (the caller's classification filter) lets through, newest
   * first, from `offset`. The filter is part of the query, so the total counts only those too.
   */
  async listBySubmitter(submitter: string, filter: Record<string, unknown>, offset: number, rows: number): Promise<SubmissionPage> {
    return this.list({ ...filter, 'params.submitter': submitter }, offset, rows);
  }

  /** The submissions `query` matches (the caller puts its classification filter in it), newest first, from `offset`. */
  async list(query: Record<string, unknown>, offset: number, rows: number): Promise<SubmissionPage> {
    const [total, items] = await Promise.all([
      this.model.countDocuments(query).exec(),
      // limit(0) would mean "no limit" to MongoDB.
      rows === 0 ? Promise.resolve([]) : this.model.find(query).sort({ 'times.submitted': -1, _id: 1 }).skip(offset).limit(rows).lean<SubmissionRecord[]>().exec(),
    ]);
    return { items: items.map((item) => storedSubmission(item)), total };
  }

  /** Deletes the submission document; false when there was none. */
  async delete(sid: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: sid }).exec();
    return result.deletedCount === 1;
  }
}
