import { Injectable } from '@nestjs/common';
import { ResultsRepository, SubmissionRecord } from '@hopper/datastore';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { keyedWithMissing } from './full-submission-view';
import { errorView, fileResultView } from './result-view';
import { submissionView } from './submission-view';
import { SubmissionTrees } from './submission-tree';
import { VisibleSubmissions } from './visible-submissions';

/**
 * Assemblyline's full submission (`GET /api/v4/submission/full/<sid>/`, `get_full_results`): the Submission,
 * with `results` and `errors` as objects keyed by result key and error key instead of lists of keys,
 * `missing_result_keys` / `missing_error_keys` for keys nothing is stored under any more, the file tree
 * (as `GET …/tree/<sid>/` answers it to the caller) and `file_infos` (keyed by sha256) of the files the caller
 * may see, `missing_file_keys` for files no longer stored, and the classification raised to that of
 * everything shown.
 *
 * Keys are Hopper's: a result's is `<sha256>.<service>.v<version>.c<digest of its inputs>` (Assemblyline's
 * shape: the service name and version, then a configuration key); an error's is `<result key>.<sid>.e<type
 * code>`, or `<sha256>.<name>.<what>.<sid>.e<type code>` for the errors the dispatcher records itself (a
 * service that is not there, limits reached). The type code is Assemblyline's (error-key.ts), added to the
 * stored key when shown; a missing error key has no type to show, so it is listed as stored (ending `.e`).
 */
@Injectable()
export class FullSubmissions {
  constructor(
    private readonly visible: VisibleSubmissions,
    private readonly results: ResultsRepository,
    private readonly trees: SubmissionTrees,
  ) {}

  async of(auth: AuthenticatedUser, submission: SubmissionRecord) {
    const clearance = this.visible.clearance(auth);
    const [results, errors] = await Promise.all([this.results.findResults(submission.results), this.results.findErrors(submission.errors)]);
    const tree = await this.trees.of(submission, results, clearance);
    // As Assemblyline's: a result shows when the caller may see it and its file (no result of a hidden file).
    const shown = keyedWithMissing(
      submission.results,
      results,
      (record) => tree.files.has(record.sha256) && clearance.maySee(record.classification),
      (record) => fileResultView(record, tree.files.get(record.sha256)!.classification, clearance),
    );
    const failed = keyedWithMissing(submission.errors, errors, () => true, errorView);
    const fileInfos = Object.fromEntries([...tree.files.values()].map((record) => [record.sha256, fileInfo(record)]));

    const shownClassifications = [...Object.values(shown.byKey), ...Object.values(fileInfos)].map((item) => item.classification);
    return {
      ...submissionView(submission),
      classification: shownClassifications.reduce((highest, next) => clearance.max(highest, next), submission.classification),
      file_tree: tree.tree,
      file_infos: fileInfos,
      missing_file_keys: tree.missingFiles,
      results: shown.byKey,
      missing_result_keys: shown.missing,
      errors: Object.fromEntries(Object.values(failed.byKey).map((error) => [error.key, error])),
      missing_error_keys: failed.missing,
    };
  }
}
