import { Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withAnswerHeaders } from '../../http/answer-headers';
import { ApiPaths, ApiQueries, ApiStreamedBody, ApiTgErrors, ApiTgResponse } from '../../openapi/api-docs.decorators';
import { object, ref, str } from '../../openapi/schema-builders';
import { TG_SUBMIT_FIELDS } from '../../openapi/tg-schemas';
import type { Response } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionsRepository } from '@hopper/datastore';
import { SubmissionProgress } from '@hopper/queues';
import { RequireRoles } from '../../auth/auth.decorators';
import { TgApi } from '../http/tg-api.decorator';
import { AuthInMultipart, TgRequest } from '../http/tg-auth.guard';
import { TgFields } from '../http/tg-fields';
import { TgSampleIntake } from '../submit/tg-sample-intake';
import { SampleAnalysis } from './sample-analysis';
import { SampleFinder } from './sample-finder';
import { sampleIds } from './sample-ids';
import { sampleLookup } from './sample-lookup';
import { sampleState, SAMPLE_STATUS } from './sample-state';
import { SampleView } from './sample-view';
import { tgPaging } from './tg-paging';
import { VisibleSamples } from './visible-samples';

/** Threat Grid's v2 sample routes: submit, read, state (one or many), threat. */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/samples')
export class SamplesController {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    private readonly intake: TgSampleIntake,
    private readonly samples: VisibleSamples,
    private readonly analysis: SampleAnalysis,
    private readonly submissions: SubmissionsRepository,
    private readonly progress: SubmissionProgress,
    private readonly finder: SampleFinder,
  ) {}

  /** Submits a file (multipart `sample`) or a URL (`url`) for analysis; answers the sample, state `wait`. */
  @ApiStreamedBody(
    {
      sample: { kind: 'file', description: 'The file, streamed (or give `url`)' },
      ...Object.fromEntries(Object.entries(TG_SUBMIT_FIELDS).map(([name, description]) => [name, { kind: 'text' as const, description }])),
    },
    undefined,
    object(Object.fromEntries(Object.entries(TG_SUBMIT_FIELDS).map(([name, description]) => [name, { ...str, description }])), { optional: Object.keys(TG_SUBMIT_FIELDS) }),
  )
  @ApiTgResponse(ref('TgSample'), { description: 'The sample, state `wait`' })
  @ApiTgErrors(400, 413, 415, 429)
  @Post()
  @HttpCode(200)
  @AuthInMultipart()
  @RequireRoles('submission_create')
  submit(@Req() request: TgRequest, @Res({ passthrough: true }) response: Response): Promise<SampleView> {
    return withAnswerHeaders(response, (headers) => this.intake.submit(request, headers));
  }

  /**
   * The samples a look-up key names (`id`, `sha256`, `md5`, `sha1`, `checksum`, `submission_id`: any the caller
   * may see), else the caller's organization's and its own; narrowed by `state`, `after`, `before`, `org_only`,
   * `user_only`; newest first, `data.items[]` with paging fields. A key Hopper does not support is a 400.
   */
  @ApiQueries({
    state: { type: 'string', description: 'Comma-separated states (wait, prep, run, proc, succ, fail)' },
    after: { type: 'string', description: 'Submitted after (ISO 8601)' },
    before: { type: 'string', description: 'Submitted before (ISO 8601)' },
    org_only: { type: 'boolean' },
    user_only: { type: 'boolean' },
    limit: { type: 'integer', minimum: 1 },
    offset: { type: 'integer', minimum: 0 },
  })
  @ApiQueries({ id: str, sha256: str, md5: str, sha1: str, checksum: str, submission_id: str })
  @ApiTgResponse(ref('TgSamplePage'))
  @ApiTgErrors(400)
  @Get()
  @RequireRoles('submission_view')
  async list(@Req() request: TgRequest) {
    const fields = TgFields.of(request);
    const paging = tgPaging(fields, { defaultLimit: 10 });
    const auth = request.auth!;
    const lookup = sampleLookup(fields);
    const filters = this.finder.filtersOf(fields, auth);
    const page = await this.finder.find(auth, lookup.length ? lookup : [{ filter: this.samples.ownFilter(auth) }], filters, paging);
    const items = await this.samples.views(request, page.items);
    return { current_item_count: items.length, index: paging.offset, items_per_page: paging.limit, total: page.total, items };
  }

  /** Batch state, `GET ?ids=["a","b"]` (older scripts). */
  @ApiQueries({ ids: { type: 'string', required: true, description: 'A JSON list of sample ids' } })
  @ApiTgResponse(ref('TgSampleStates'))
  @ApiTgErrors(400)
  @Get('state')
  @RequireRoles('submission_view')
  statesByQuery(@Req() request: TgRequest) {
    return this.states(request);
  }

  /** Batch state, `POST` with urlencoded `ids=["a","b"]` (the recommended call): `[{sample, state, status}]`. */
  @ApiStreamedBody({}, undefined, object({ ids: { ...str, description: 'A JSON list of sample ids' } }))
  @ApiTgResponse(ref('TgSampleStates'))
  @ApiTgErrors(400)
  @Post('state')
  @HttpCode(200)
  @RequireRoles('submission_view')
  statesByBody(@Req() request: TgRequest) {
    return this.states(request);
  }

  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgSample'))
  @ApiTgErrors(400, 404)
  @Get(':id')
  @RequireRoles('submission_view')
  async get(@Req() request: TgRequest, @Param('id') id: string): Promise<SampleView> {
    return this.samples.view(request, await this.samples.get(request.auth!, id));
  }

  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgSampleState'))
  @ApiTgErrors(400, 404)
  @Get(':id/state')
  @RequireRoles('submission_view')
  async state(@Req() request: TgRequest, @Param('id') id: string) {
    const record = await this.samples.get(request.auth!, id);
    const state = sampleState(record, record.state === 'submitted' ? (await this.progress.read(id)).stage : null);
    return { state, status: SAMPLE_STATUS[state] };
  }

  /** The threat of a finished sample: `data.score` (0-100) and its behavioral indicators. */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgThreat'))
  @ApiTgErrors(400, 404)
  @Get(':id/threat')
  @RequireRoles('submission_view')
  async threat(@Req() request: TgRequest, @Param('id') id: string) {
    const auth = request.auth!;
    const record = await this.samples.get(auth, id);
    const analysis = await this.analysis.analysis(request, auth, record);
    return {
      score: analysis.threat.threat_score,
      heuristic_score: record.max_score,
      max_severity: analysis.threat.max_severity,
      max_confidence: analysis.threat.max_confidence,
      count: analysis.threat.count,
      bis: analysis.iocs.map((indicator) => indicator.ioc),
      behaviors: analysis.iocs.map((indicator) => ({ name: indicator.ioc, title: indicator.title, threat: indicator.severity, hits: indicator.hits })),
      permalink: analysis.permalink,
    };
  }

  /**
   * The sample at a glance (pythreatgrid's `summary`): its identity and state, and once it has ended the threat
   * score, the counts of indicators, artifacts, domains and network flows, and the behaviors.
   */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgSampleSummary'))
  @ApiTgErrors(400, 404)
  @Get(':id/summary')
  @RequireRoles('submission_view')
  async summary(@Req() request: TgRequest, @Param('id') id: string) {
    const auth = request.auth!;
    const record = await this.samples.get(auth, id);
    const view = await this.samples.view(request, record);
    const analysis = record.state === 'submitted' ? null : await this.analysis.analysis(request, auth, record);
    return {
      sample: view.id,
      sha256: view.sha256,
      md5: view.md5,
      sha1: view.sha1,
      filename: view.filename,
      magic_type: analysis?.metadata.malware_desc[0]?.magic ?? '',
      state: view.state,
      status: view.status,
      submitted_at: view.submitted_at,
      completed_at: view.completed_at,
      threat_score: analysis?.threat.threat_score ?? null,
      heuristic_score: analysis ? record.max_score : null,
      stats: analysis && {
        iocs: analysis.iocs.length,
        artifacts: Object.keys(analysis.artifacts).length,
        extracted_files: Object.values(analysis.artifacts).filter((artifact) => artifact.origin === 'extracted').length,
        domains: Object.keys(analysis.domains).length,
        network: Object.keys(analysis.network).length,
      },
      behaviors: analysis?.iocs.map((indicator) => ({ name: indicator.ioc, title: indicator.title, threat: indicator.severity, hits: indicator.hits })) ?? [],
      permalink: view.permalink,
    };
  }

  private async states(request: TgRequest) {
    const auth = request.auth!;
    const ids = sampleIds(TgFields.of(request), request.body);
    const records = (await Promise.all(ids.map((id) => this.submissions.findBySid(id)))).filter(
      (record): record is NonNullable<typeof record> => record !== null && this.samples.maySee(auth, record),
    );
    const progress = await this.progress.readMany(records.filter((record) => record.state === 'submitted').map((record) => record.sid));
    return records.map((record) => {
      const state = sampleState(record, progress.get(record.sid)?.stage ?? null);
      return { sample: record.sid, state, status: SAMPLE_STATUS[state] };
    });
  }
}
