import { Injectable } from '@nestjs/common';
import { FileRecord, FilesRepository, FileTreeNode, ResultRecord, SubmissionRecord } from '@hopper/datastore';
import type { Clearance } from './clearance';
import { treeSha256s, visibleTree } from './full-submission-view';

/** A submission's file tree as one caller may see it (Assemblyline's `get_or_create_file_tree`). */
export interface CallerTree {
  tree: Record<string, FileTreeNode>;
  /** The highest classification of the files the caller sees (from UNRESTRICTED). */
  classification: string;
  /** Some file of the submission is above the caller's clearance and was left out, with what is below it. */
  filtered: boolean;
  /** The tree is not the whole of it: the submission still runs, a file or result it names is gone, or filtered. */
  partial: boolean;
  /** The sha256 of every supplementary file of the results the caller may see, each once. */
  supplementary: string[];
  /** The records of the submission's files the caller may see, by sha256. */
  files: Map<string, FileRecord>;
  /** The files the submission names that are no longer stored. */
  missingFiles: string[];
}

/**
 * Builds the file tree a caller may see from the tree the dispatcher stored when the submission ended (empty
 * before that). The files considered are Assemblyline's (those submitted, those with results or errors) and
 * every file of the stored tree: one the caller may not see is removed with all it extracted, which makes the
 * tree `filtered` and `partial`, as Assemblyline's does; one no longer stored is removed too (`partial`).
 */
@Injectable()
export class SubmissionTrees {
  constructor(private readonly files: FilesRepository) {}

  async of(submission: SubmissionRecord, results: readonly ResultRecord[], clearance: Clearance): Promise<CallerTree> {
    const stored = submission.file_tree ?? {};
    const sha256s = [
      ...new Set([
        ...treeSha256s(stored),
        ...submission.files.map((file) => file.sha256),
        ...submission.results.map((key) => key.slice(0, 64)),
        ...submission.errors.map((key) => key.slice(0, 64)),
      ]),
    ];
    // One lookup by _id per file, side by side: FerretDB serves `_id` equality from its index but scans for `$in`.
    const records = await Promise.all(sha256s.map((sha256) => this.files.findBySha256(sha256)));
    const files = new Map<string, FileRecord>();
    const missingFiles: string[] = [];
    let forbidden = 0;
    let classification = clearance.UNRESTRICTED;
    records.forEach((record, index) => {
      if (!record) missingFiles.push(sha256s[index]);
      else if (!clearance.maySee(record.classification)) forbidden++;
      else {
        files.set(record.sha256, record);
        classification = clearance.max(classification, record.classification);
      }
    });
    const found = new Set(results.map((result) => result._id));
    const missingResults = submission.results.some((key) => !found.has(key));
    const shownResults = results.filter((result) => files.has(result.sha256) && clearance.maySee(result.classification));
    return {
      tree: visibleTree(stored, new Set(files.keys())),
      classification,
      filtered: forbidden > 0,
      partial: submission.state !== 'completed' || missingFiles.length > 0 || forbidden > 0 || missingResults,
      supplementary: [...new Set(shownResults.flatMap((result) => result.response.supplementary.map((file) => file.sha256)))],
      files,
      missingFiles,
    };
  }
}
