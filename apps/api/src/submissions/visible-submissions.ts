import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE } from '@hopper/config';
import { ResultRecord, ResultsRepository, ServiceErrorRecord, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import type { AuthenticatedUser } from '../auth/auth.service';
import { Clearance, clearanceFor } from './clearance';

/** Assemblyline's text for an unknown submission; Hopper answers it for a hidden one too. */
export const submissionNotFound = (sid: string): string => `Submission ID ${sid} does not exists.`;

/**
 * Submissions, their results and errors as a caller may see them: a submission above the caller's clearance
 * answers the same 404 as an unknown one, and results above it are left out.
 */
@Injectable()
export class VisibleSubmissions {
  constructor(
    private readonly submissions: SubmissionsRepository,
    private readonly results: ResultsRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
  ) {}

  async get(auth: AuthenticatedUser, sid: string): Promise<SubmissionRecord> {
    const record = await this.submissions.findBySid(sid);
    if (!record || !this.maySee(auth, record.classification)) throw new NotFoundException(submissionNotFound(sid));
    return record;
  }

  async resultsOf(auth: AuthenticatedUser, submission: SubmissionRecord): Promise<ResultRecord[]> {
    const results = await this.results.findResults(submission.results);
    return results.filter((result) => this.maySee(auth, result.classification));
  }

  errorsOf(submission: SubmissionRecord): Promise<ServiceErrorRecord[]> {
    return this.results.findErrors(submission.errors);
  }

  maySee(auth: AuthenticatedUser, classification: string): boolean {
    return this.engine.isAccessible(auth.user.classification, classification, { ignoreInvalid: true });
  }

  /** The caller's clearance, for the views that combine classifications. */
  clearance(auth: AuthenticatedUser): Clearance {
    return clearanceFor(this.engine, auth.user.classification);
  }

  accessFilter(auth: AuthenticatedUser): Record<string, unknown> {
    return this.engine.mongoAccessFilter(auth.user.classification);
  }
}
