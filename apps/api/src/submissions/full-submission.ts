import { Inject, Injectable } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { FileRecord, FilesRepository, ResultsRepository, SubmissionRecord } from '@hopper/datastore';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { keyedWithMissing, treeSha256s, visibleTree } from './full-submission-view';
import { errorView, resultView } from './result-view';
import { submissionView } from './submission-view';
import { VisibleSubmissions } from './visible-submissions';

/**
 * Assemblyline's full submission (`GET /api/v4/submission/full/<sid>/`, `get_full_results`): the Submission,
 * with `results` and `errors` as objects keyed by result key and error key instead of lists of keys,
 * `missing_result_keys` / `missing_error_keys` for keys nothing is stored under any more, the file tree and
 * `file_infos` (keyed by sha256) of the files the caller may see, `missing_file_keys` for files no longer
 * stored, and the classification raised to that of everything shown.
 *
 * Keys are Hopper's: a result's is `<sha256>.<service>.v<version>.c<digest of its inputs>` (Assemblyline's
 * shape: the service name and version, then a configuration key); an error's is `<result key>.<sid>.e`, or
 * `<sha256>.<name>.<what>.<sid>.e` for the errors the dispatcher records itself (limits reached). Assemblyline
 * ends error keys with `e<type code>`; Hopper's end with `e` alone (the key is set before the error's type is
 * known), so clients that parse the code (al_result_to_text) show the error's `response.status` instead.
 */
@Injectable()
export class FullSubmissions {
  constructor(
    private readonly visible: VisibleSubmissions,
    private readonly results: ResultsRepository,
    private readonly files: FilesRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  async of(auth: AuthenticatedUser, submission: SubmissionRecord) {
    const [results, errors] = await Promise.all([this.results.findResults(submission.results), this.results.findErrors(submission.errors)]);
    const shown = keyedWithMissing(submission.results, results, (record) => this.visible.maySee(auth, record.classification), resultView);
    const failed = keyedWithMissing(submission.errors, errors, () => true, errorView);

    // The tree is written when the submission ends; before that, the files are those submitted and those with results.
    const tree = submission.file_tree ?? {};
    const sha256s = [...new Set([...treeSha256s(tree), ...submission.files.map((file) => file.sha256), ...results.map((result) => result.sha256)])];
    const records = await Promise.all(sha256s.map((sha256) => this.files.findBySha256(sha256)));
    const missingFiles = sha256s.filter((_, index) => !records[index]);
    const visibleFiles = records.filter((record): record is FileRecord => record !== null && this.visible.maySee(auth, record.classification));
    const fileInfos = Object.fromEntries(visibleFiles.map((record) => [record.sha256, fileInfo(record)]));

    const shownClassifications = [...Object.values(shown.byKey), ...Object.values(fileInfos)].map((item) => item.classification);
    return {
      ...submissionView(submission),
      classification: shownClassifications.reduce((highest, next) => this.higher(highest, next), submission.classification),
      file_tree: visibleTree(tree, new Set(Object.keys(fileInfos))),
      file_infos: fileInfos,
      missing_file_keys: missingFiles,
      results: shown.byKey,
      missing_result_keys: shown.missing,
      errors: failed.byKey,
      missing_error_keys: failed.missing,
    };
  }

  /** The higher of two classifications; a value the engine refuses leaves the first unchanged. */
  private higher(a: string, b: string): string {
    try {
      return this.engine.max(a, b) ?? a;
    } catch {
      return a;
    }
  }
}
