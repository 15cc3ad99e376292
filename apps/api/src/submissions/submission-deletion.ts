import { Inject, Injectable } from '@nestjs/common';
import { FilesRepository, ResultsRepository, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { reapFiles } from '@hopper/expiry';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FileGuard } from '@hopper/queues';

/** What a deletion removed besides the submission. */
export interface SubmissionDeleted {
  results: number;
  errors: number;
  files: number;
}

/**
 * Assemblyline's `delete_submission_tree`: the submission, its errors, the results no other submission lists,
 * and the files (document and blob) nothing else holds: no other submission lists them, no remaining result is
 * of them, and nobody saw them after the submission ended (a sighting since belongs to work not written yet).
 * Files are deleted under their FileGuard locks like the expiry sweeper's; a file being recorded is kept. A
 * submission still running keeps its quota slot until the dispatcher ends it (its dispatch task names the
 * submitter, so a deleted document does not stop the release).
 */
@Injectable()
export class SubmissionDeletion {
  constructor(
    private readonly submissions: SubmissionsRepository,
    private readonly results: ResultsRepository,
    private readonly files: FilesRepository,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly guard: FileGuard,
  ) {}

  /** Deletes the submission and what only it held; null when it was gone already. */
  async delete(submission: SubmissionRecord, now = new Date()): Promise<SubmissionDeleted | null> {
    const sid = submission.sid;
    if (!(await this.submissions.delete(sid))) return null;

    const errors = (await this.results.errors.deleteMany({ sid }).exec()).deletedCount;
    const keys = submission.results;
    const results = keys.length ? await this.results.findResults(keys) : [];
    const sharedKeys = await this.listedElsewhere('results', keys, sid);
    const ownKeys = keys.filter((key) => !sharedKeys.has(key));
    const removedResults = ownKeys.length ? (await this.results.results.deleteMany({ _id: { $in: ownKeys } }).exec()).deletedCount : 0;

    const shas = new Set(submission.files.map((file) => file.sha256));
    for (const result of results) {
      shas.add(result.sha256);
      for (const child of [...result.response.extracted, ...result.response.supplementary]) shas.add(child.sha256);
    }
    const ended = submission.times.completed ?? now;
    const reaped = await reapFiles({ files: this.files, filestore: this.filestore, guard: this.guard }, [...shas], (locked) => this.heldByNothingElse(locked, sid, ended));
    return { results: removedResults, errors, files: reaped.files };
  }

  /** Of the locked files, those no other submission or remaining result holds and nobody saw after `ended`. */
  private async heldByNothingElse(sha256s: string[], sid: string, ended: Date): Promise<Array<{ _id: string; size: number }>> {
    const [listed, analysed, records] = await Promise.all([
      this.submissions.model.find({ _id: { $ne: sid }, 'files.sha256': { $in: sha256s } }, { 'files.sha256': 1 }).lean<Array<{ files: Array<{ sha256: string }> }>>().exec(),
      this.results.results.find({ sha256: { $in: sha256s } }, { sha256: 1 }).lean<Array<{ sha256: string }>>().exec(),
      this.files.model.find({ _id: { $in: sha256s } }, { _id: 1, size: 1, 'seen.last': 1 }).lean<Array<{ _id: string; size: number; seen: { last: Date } }>>().exec(),
    ]);
    const held = new Set([...listed.flatMap((doc) => doc.files.map((file) => file.sha256)), ...analysed.map((doc) => doc.sha256)]);
    return records.filter((file) => !held.has(file._id) && file.seen.last <= ended).map((file) => ({ _id: file._id, size: file.size }));
  }

  /** Of `keys`, those another submission lists in `field` too. */
  private async listedElsewhere(field: 'results', keys: string[], sid: string): Promise<Set<string>> {
    if (!keys.length) return new Set();
    const others = await this.submissions.model.find({ _id: { $ne: sid }, [field]: { $in: keys } }, { [field]: 1 }).lean<Array<Record<string, string[]>>>().exec();
    const wanted = new Set(keys);
    return new Set(others.flatMap((doc) => doc[field].filter((key) => wanted.has(key))));
  }
}
