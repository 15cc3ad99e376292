import { Controller, Delete, Get, Inject, NotFoundException, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths } from '../openapi/api-docs.decorators';
import { bool, ref } from '../openapi/schema-builders';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, ResultsRepository, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { Page, parsePaging } from '../http/paging';
import { PagingQuery } from '../http/paging-query';
import { fileFindings } from './file-findings';
import { FileSubmissionMeta } from './file-submission-meta';
import { errorView, fileResultView } from './result-view';
import { SubmissionDeletion } from './submission-deletion';
import { submissionView, SubmissionView } from './submission-view';
import { FullSubmissions } from './full-submission';
import { SubmissionSummaries } from './submission-summary';
import { SubmissionTrees } from './submission-tree';
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
    private readonly results: ResultsRepository,
    private readonly deletion: SubmissionDeletion,
    private readonly fullSubmissions: FullSubmissions,
    private readonly summaries: SubmissionSummaries,
    private readonly trees: SubmissionTrees,
    private readonly fileMeta: FileSubmissionMeta,
  ) {}

  /** True once the submission has ended, completed or failed (so a client polling it never waits forever). */
  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(bool, { description: 'true once it completed or failed' })
  @ApiAlErrors(400, 404)
  @Get('is_completed/:sid/')
  @RequireRoles('submission_view')
  async isCompleted(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<boolean> {
    return (await this.visible.get(auth, sid)).state !== 'submitted';
  }

  /** The submission with its results and errors keyed by their keys, the keys gone missing, its file tree and files. */
  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(ref('AlFullSubmission'))
  @ApiAlErrors(400, 404)
  @Get('full/:sid/')
  @RequireRoles('submission_view')
  async full(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    return this.fullSubmissions.of(auth, await this.visible.get(auth, sid));
  }

  /**
   * Assemblyline's summary: tags by summary type (`submission.tag_types`), heuristics by level as `[heur_id,
   * name]`, the ATT&CK matrix, the file-to-finding map, each heuristic's sections, with what the caller may not
   * see left out (`filtered`).
   */
  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(ref('AlSubmissionSummary'))
  @ApiAlErrors(400, 404)
  @Get('summary/:sid/')
  @RequireRoles('submission_view')
  async summary(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    return this.summaries.of(auth, await this.visible.get(auth, sid));
  }

  /**
   * The file tree the caller may see (children by sha256): a file above its clearance leaves the tree with
   * what is below it (`filtered`); empty and `partial` while the submission runs.
   */
  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(ref('AlSubmissionTree'))
  @ApiAlErrors(400, 404)
  @Get('tree/:sid/')
  @RequireRoles('submission_view')
  async tree(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser) {
    const submission = await this.visible.get(auth, sid);
    const results = await this.results.findResults(submission.results);
    const { tree, classification, filtered, partial, supplementary } = await this.trees.of(submission, results, this.visible.clearance(auth));
    return { tree, classification, filtered, partial, supplementary };
  }

  /** The submissions of `user` the caller may see, newest first, paged with `offset` and `rows`. */
  @ApiPaths({ user: 'The submitter' })
  @ApiAlResponse(ref('AlSubmissionPage'))
  @ApiAlErrors(400)
  @Get('list/user/:user/')
  @RequireRoles('submission_view')
  async listForUser(@Param('user') user: string, @Query() query: PagingQuery, @CurrentUser() auth: AuthenticatedUser): Promise<Page<SubmissionView>> {
    const { offset, rows } = parsePaging(query, DEFAULT_SUBMISSION_ROWS);
    const page = await this.submissions.listBySubmitter(user, this.visible.accessFilter(auth), offset, rows);
    return { items: page.items.map(submissionView), offset, rows, total: page.total };
  }

  /**
   * One file of the submission, as Assemblyline's `get_file_submission_results` answers it: its details, the
   * results and errors the submission has for it, their tags, heuristics, ATT&CK matrix and signatures, the
   * submitters of the submissions holding the file (`metadata`), and the highest classification shown.
   */
  @ApiPaths({ sid: 'A submission id', sha256: 'A file of that submission' })
  @ApiAlResponse(ref('AlSubmissionFile'))
  @ApiAlErrors(400, 404)
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
    const clearance = this.visible.clearance(auth);
    const views = results.filter((result) => result.sha256 === key).map((result) => fileResultView(result, record.classification, clearance, { hierarchy: true }));
    const findings = fileFindings(views, this.config.submission.verdicts, clearance, 'by-value');
    return {
      classification: views.reduce((highest, view) => clearance.max(highest, view.classification), record.classification),
      file_info: fileInfo(record),
      results: views,
      tags: findings.tags,
      errors: errors.filter((error) => error.sha256 === key).map(errorView),
      attack_matrix: findings.attack_matrix,
      heuristics: findings.heuristics,
      signatures: findings.signatures,
      metadata: await this.fileMeta.of(record.sha256, this.visible.accessFilter(auth)),
    };
  }

  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(ref('AlSubmission'))
  @ApiAlErrors(400, 404)
  @Get(':sid/')
  @RequireRoles('submission_view')
  async get(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<SubmissionView> {
    return submissionView(await this.visible.get(auth, sid));
  }

  /**
   * Assemblyline's DELETE: the submission, its errors, the results and files nothing else holds
   * (SubmissionDeletion), and the quota slot of a submission still running.
   */
  @ApiPaths({ sid: 'A submission id' })
  @ApiAlResponse(ref('AlSuccess'))
  @ApiAlErrors(400, 404)
  @Delete(':sid/')
  @RequireRoles('submission_delete')
  async delete(@Param('sid') sid: string, @CurrentUser() auth: AuthenticatedUser): Promise<{ success: boolean }> {
    const submission: SubmissionRecord = await this.visible.get(auth, sid);
    if (!(await this.deletion.delete(submission))) throw new NotFoundException(submissionNotFound(sid));
    return { success: true };
  }
}
