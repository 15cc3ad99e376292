import { Inject, Injectable } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository, SubmissionRecord } from '@hopper/datastore';
import type { AuthenticatedUser } from '../auth/auth.service';
import { summaryView } from './submission-summary-view';
import { VisibleSubmissions } from './visible-submissions';

/**
 * `GET /api/v4/submission/summary/<sid>/` for one caller: the submission's results and the classification of
 * each of their files, summarised as Assemblyline's `get_summary` does (submission-summary-view.ts). Partial
 * while the submission runs, or when results or files it names are gone. Built on each call (Assemblyline
 * caches the complete ones).
 */
@Injectable()
export class SubmissionSummaries {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly visible: VisibleSubmissions,
    private readonly results: ResultsRepository,
    private readonly files: FilesRepository,
  ) {}

  async of(auth: AuthenticatedUser, submission: SubmissionRecord) {
    const results = await this.results.findResults(submission.results);
    const sha256s = [...new Set(results.map((result) => result.sha256))];
    const records = await Promise.all(sha256s.map((sha256) => this.files.findBySha256(sha256)));
    const fileClassifications = new Map(records.flatMap((record) => (record ? [[record.sha256, record.classification] as const] : [])));
    const found = new Set(results.map((result) => result._id));
    const missing = submission.results.some((key) => !found.has(key)) || fileClassifications.size < sha256s.length;
    const { tag_types: tagTypes, verdicts } = this.config.submission;
    return summaryView({
      results,
      fileClassifications,
      clearance: this.visible.clearance(auth),
      verdicts,
      tagTypes,
      partial: submission.state !== 'completed' || missing,
    });
  }
}
