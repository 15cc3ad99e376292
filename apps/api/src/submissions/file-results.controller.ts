import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiAlErrors, ApiAlResponse, ApiPaths, ApiQueries } from '../openapi/api-docs.decorators';
import { arrayOf, int, object, ref, sha256, str } from '../openapi/schema-builders';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileRecord, ResultRecord, ResultsRepository } from '@hopper/datastore';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { fileInfo } from '../files/file-info';
import { FILE_DOES_NOT_EXIST, FILE_DOES_NOT_EXIST_BARE } from '../files/file-messages';
import { VisibleFiles } from '../files/visible-files';
import { fileFindings } from './file-findings';
import { FileSubmissionMeta } from './file-submission-meta';
import { fileResultView } from './result-view';
import { VisibleSubmissions } from './visible-submissions';

/** Results of one file Hopper reads at most for these views, newest first. */
const MAX_FILE_RESULTS = 1000;
/** Assemblyline's `list_file_parents`: this many parent files at most. */
const MAX_PARENTS = 10;
/** Assemblyline's `result/<sha256>/<service>/?all`: this many versions at most. */
const MAX_SERVICE_RESULTS = 100;

/**
 * Assemblyline's file routes over results (`api/v4/file.py`): a file's results, those of one service, its
 * children and its score. A file above the caller's clearance answers 404 as an unknown one; results above it
 * are left out. The latest result of each service is the file's "active" one, as in Assemblyline.
 */
@ApiTags('file')
@AlApi()
@Controller('api/v4/file')
export class FileResultsController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly files: VisibleFiles,
    private readonly results: ResultsRepository,
    private readonly submissions: VisibleSubmissions,
    private readonly fileMeta: FileSubmissionMeta,
  ) {}

  /**
   * `get_file_results`: the file, the latest result of each service (older ones under `alternates`, by
   * service), their tags, heuristics, ATT&CK matrix and signatures, the parents (a result key per parent file,
   * 10 at most) and children, the submitters of the submissions holding the file (`metadata`), and the highest
   * classification shown.
   */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiAlResponse(ref('AlFileResults'))
  @ApiAlErrors(400, 404)
  @Get('result/:sha256/')
  @RequireRoles('submission_view')
  async result(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.files.get(auth, sha256, FILE_DOES_NOT_EXIST_BARE);
    const [results, parents, metadata] = await Promise.all([
      this.visibleResults(auth, record),
      this.results.results.find({ 'response.extracted.sha256': record.sha256 }, { sha256: 1, classification: 1, created: 1 }).sort({ created: -1 }).limit(MAX_FILE_RESULTS).lean().exec(),
      this.fileMeta.of(record.sha256, this.submissions.accessFilter(auth)),
    ]);
    const { active, alternates } = activeResults(results);
    const clearance = this.submissions.clearance(auth);
    const views = active.map((result) => fileResultView(result, record.classification, clearance, { hierarchy: true }));
    const findings = fileFindings(views, this.config.submission.verdicts, clearance, 'by-value-and-level');
    const parentKeys = new Map<string, string>();
    for (const parent of parents) {
      if (parentKeys.size >= MAX_PARENTS) break;
      if (this.files.maySee(auth, parent.classification) && !parentKeys.has(parent.sha256)) parentKeys.set(parent.sha256, parent._id);
    }
    return {
      classification: views.reduce((highest, view) => clearance.max(highest, view.classification), record.classification),
      file_info: fileInfo(record),
      results: views,
      tags: findings.tags,
      attack_matrix: findings.attack_matrix,
      heuristics: findings.heuristics,
      signatures: findings.signatures,
      parents: [...parentKeys.values()],
      childrens: childrenOf(active),
      metadata,
      alternates: alternatesByService(alternates),
      errors: [],
      file_viewer_only: true,
    };
  }

  /** `get_file_results_for_service`: the file and the latest result of `service` (the 100 latest with `all`). */
  @ApiPaths({ sha256: 'A file Hopper holds', service: 'A service name' })
  @ApiQueries({ all: { type: 'string', description: 'Present: the 100 latest results, not only the latest' } })
  @ApiAlResponse(object({ file_info: ref('AlFileInfo'), results: arrayOf(ref('AlResult')) }, { closed: true }))
  @ApiAlErrors(400, 404)
  @Get('result/:sha256/:service/')
  @RequireRoles('submission_view')
  async resultOfService(@Param('sha256') sha256: string, @Param('service') service: string, @Query() query: Record<string, unknown>, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.files.get(auth, sha256, FILE_DOES_NOT_EXIST_BARE);
    const clearance = this.submissions.clearance(auth);
    const results = (await this.visibleResults(auth, record)).filter((result) => result.response.service_name === service);
    const wanted = 'all' in query ? results.slice(0, MAX_SERVICE_RESULTS) : results.slice(0, 1);
    return { file_info: fileInfo(record), results: wanted.map((result) => fileResultView(result, record.classification, clearance)) };
  }

  /** `get_file_children`: the files the latest result of each service extracted, each once, as `{sha256, name}`. */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiAlResponse(arrayOf(object({ sha256, name: str }, { closed: true })))
  @ApiAlErrors(400, 404)
  @Get('children/:sha256/')
  @RequireRoles('submission_view')
  async children(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.files.get(auth, sha256, FILE_DOES_NOT_EXIST);
    return childrenOf(activeResults(await this.visibleResults(auth, record)).active);
  }

  /** `get_file_score`: the file, the sum of the latest score of each service, and the keys of those results. */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiAlResponse(object({ file_info: ref('AlFileInfo'), score: int, result_keys: arrayOf(str) }, { closed: true }))
  @ApiAlErrors(400, 404)
  @Get('score/:sha256/')
  @RequireRoles('submission_view')
  async score(@Param('sha256') sha256: string, @CurrentUser() auth: AuthenticatedUser) {
    const record = await this.files.get(auth, sha256, FILE_DOES_NOT_EXIST_BARE);
    const { active } = activeResults(await this.visibleResults(auth, record));
    return { file_info: fileInfo(record), score: active.reduce((sum, result) => sum + result.result.score, 0), result_keys: active.map((result) => result._id) };
  }

  /** The file's results the caller may see, newest first. */
  private async visibleResults(auth: AuthenticatedUser, record: FileRecord): Promise<ResultRecord[]> {
    const results = await this.results.results.find({ sha256: record.sha256 }).sort({ created: -1 }).limit(MAX_FILE_RESULTS).lean<ResultRecord[]>().exec();
    return results.filter((result) => this.files.maySee(auth, result.classification));
  }
}

/** Assemblyline's `list_file_active_keys`: of results newest first, the first of each service, and the others. */
function activeResults(results: readonly ResultRecord[]): { active: ResultRecord[]; alternates: ResultRecord[] } {
  const services = new Set<string>();
  const active: ResultRecord[] = [];
  const alternates: ResultRecord[] = [];
  for (const result of results) {
    if (services.has(result.response.service_name)) alternates.push(result);
    else {
      services.add(result.response.service_name);
      active.push(result);
    }
  }
  return { active, alternates };
}

/** The files the results extracted, each once, in order. */
function childrenOf(results: readonly ResultRecord[]): { sha256: string; name: string }[] {
  const seen = new Set<string>();
  return results.flatMap((result) =>
    result.response.extracted.flatMap(({ sha256, name }) => {
      if (seen.has(sha256)) return [];
      seen.add(sha256);
      return [{ sha256, name }];
    }),
  );
}

/** Older results by service, with the fields Assemblyline lists them by (key, creation, version, score). */
function alternatesByService(results: readonly ResultRecord[]) {
  const byService: Record<string, { id: string; created: string; response: { service_name: string; service_version: string }; result: { score: number } }[]> = {};
  for (const result of results) {
    (byService[result.response.service_name] ??= []).push({
      id: result._id,
      created: new Date(result.created).toISOString(),
      response: { service_name: result.response.service_name, service_version: result.response.service_version },
      result: { score: result.result.score },
    });
  }
  return byService;
}
