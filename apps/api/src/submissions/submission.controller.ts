import { Controller, Delete, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { SubmissionQuotas } from '@hopper/queues';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { Page, parsePaging } from '../http/paging';
import { errorView, resultView } from './result-view';
import { submissionView, SubmissionView } from './submission-view';
import { FullSubmissions } from './full-submission';
import { summaryMap } from './summary-map';
import { summarize } from './tag-summary';
import { submissionNotFound, VisibleSubmissions } from './visible-submissions';

/** Assemblyline's default page size of the submission list. */
export const DEFAULT_SUBMISSION_ROWS = 25;

/**
 * Assemblyline's submission routes (`api/v4/submission.py`): a submission, its full results, its summary,
 * its file tree, one file's results, whether it ended, a user's list, and deletion. Static paths are declared
 * before `:sid/` so that "full" or "list" are never taken for a sid.
 */
@ApiTags('submission')
@AlApi()
@Controller('api/v4/submission')
export class SubmissionController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly visible: VisibleSubmissions,
    private readonly submissions: SubmissionsRepository,
    private readonly files: FilesRepository,
    private readonly quotas: SubmissionQuotas,
    private readonly fullSubmissions: FullSubmissions,
  ) {}

  /** True once the submission has ended, completed or failed (so a client polling it never waits forever). */
  @Get('is_completed/:sid/')
  @RequireRoles('submission_view')
  async isCompleted(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<boolean> {
    return (await this.visible.get(auth, sid)).state !== 'submitted';
  }

  /** The submission with its results and errors keyed by their keys, the keys gone missing, its file tree and files. */
  @Get('full/:sid/')
  @RequireRoles('submission_view')
  async full(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    return this.fullSubmissions.of(auth, await this.visible.get(auth, sid));
  }

  /** Tags grouped by `submission.tag_types` (attribution, behavior, ioc), heuristics by level, and the file-to-finding map. */
  @Get('summary/:sid/')
  @RequireRoles('submission_view')
  async summary(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    const submission = await this.visible.get(auth, sid);
    const results = await this.visible.resultsOf(auth, submission);
    const { tags, heuristics } = summarize(results, this.config.submission.tag_types, this.config.submission.verdicts);
    const map = summaryMap(results, this.config.submission.tag_types);
    return { classification: submission.classification, filtered: false, partial: submission.state === 'submitted', map, tags, heuristics, attack_matrix: {} };
  }

  /** The file tree (children by sha256); empty and `partial` while the submission runs. */
  @Get('tree/:sid/')
  @RequireRoles('submission_view')
  async tree(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    const submission = await this.visible.get(auth, sid);
    return { classification: submission.classification, filtered: false, partial: submission.state === 'submitted', supplementary: [], tree: submission.file_tree ?? {} };
  }

  /** The submissions of `user` the caller may see, newest first, paged with `offset` and `rows`. */
  @Get('list/user/:user/')
  @RequireRoles('submission_view')
  async listForUser(@Param('user') user: string, @Query() query: { offset?: unknown; rows?: unknown }, @CurrentUser() auth: AuthenticatedUser): Promise<Page<SubmissionView>> {
    const { offset, rows } = parsePaging(query, DEFAULT_SUBMISSION_ROWS);
    const page = await this.submissions.listBySubmitter(user, this.visible.accessFilter(auth), offset, rows);
    return { items: page.items.map(submissionView), offset, rows, total: page.total };
  }

  /** One file of the submission: its details, and the results and errors the submission has for it. */
  @Get(':sid/file/:sha256/')
  @RequireRoles('submission_view')
  async file(@Param('sid') sid: string, @Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser) {
    const submission = await this.visible.get(auth, sid);
    const key = sha256.toLowerCase();
    const [results, errors, record] = await Promise.all([this.visible.resultsOf(auth, submission), this.visible.errorsOf(submission), this.files.findBySha256(key)]);
    const inSubmission = results.some((result) => result.sha256 === key) || submission.files.some((file) => file.sha256 === key);
    if (!record || !inSubmission || !this.visible.maySee(auth, record.classification)) {
      throw new NotFoundException(`File ${sha256} is not part of submission ${sid}`);
    }
    return {
      file_info: fileInfo(record),
      results: results.filter((result) => result.sha256 === key).map(resultView),
      errors: errors.filter((error) => error.sha256 === key).map(errorView),
      childrens: results.filter((result) => result.sha256 === key).flatMap((result) => result.response.extracted.map(({ name, sha256: child }) => ({ name, sha256: child }))),
    };
  }

  @Get(':sid/')
  @RequireRoles('submission_view')
  async get(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<SubmissionView> {
    return submissionView(await this.visible.get(auth, sid));
  }

  /**
   * Deletes the submission document (its results stay: they are the results cache, shared by key). A
   * submission still running gives its submitter's quota item back here, since its completion will find no
   * submission to release it from.
   */
  @Delete(':sid/')
  @RequireRoles('submission_delete')
  async delete(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<{ success: boolean }> {
    const submission: SubmissionRecord = await this.visible.get(auth, sid);
    if (!(await this.submissions.delete(sid))) throw new NotFoundException(submissionNotFound(sid));
    const submitter = (submission.params as { submitter?: unknown }).submitter;
    if (submission.state === 'submitted' && typeof submitter === 'string') await this.quotas.release(submitter, sid);
    return { success: true };
  }
}
