import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ApiPaths, ApiTgErrors, ApiTgResponse } from '../../openapi/api-docs.decorators';
import { mapOf, ref } from '../../openapi/schema-builders';
import type { ThreatGridAnalysis } from '../analysis';
import { RequireRoles } from '../../auth/auth.decorators';
import { TgApi } from '../http/tg-api.decorator';
import { TgError } from '../http/tg-envelope';
import type { TgRequest } from '../http/tg-auth.guard';
import { AnalysisEntryPart, analysisEntry, AnalysisPart, analysisPart, ENTRY_NOUNS } from './analysis-parts';
import { SampleAnalysis } from './sample-analysis';
import { VisibleSamples } from './visible-samples';

/**
 * Threat Grid's "specific elements of analysis.json", enveloped like every v2 route: each is cut from the same
 * rendered analysis (see analysis-parts.ts), and answers the same 404 as analysis.json while the sample runs.
 * One route per part, rather than `:part`, so an unknown part stays the catch-all "No such API" 404.
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/samples')
@RequireRoles('submission_view')
export class SampleAnalysisPartsController {
  constructor(
    private readonly samples: VisibleSamples,
    private readonly analysis: SampleAnalysis,
  ) {}

  /** `data.items[]`: the indicators, most severe first. */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgAnalysisItems'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/iocs')
  iocs(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'iocs');
  }

  /** One indicator by its `ioc` name (the Assemblyline heuristic id). */
  @ApiPaths({ id: 'A sample id', ioc: 'The indicator name (the heuristic id)' })
  @ApiTgResponse(ref('TgIndicator'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/iocs/:ioc')
  ioc(@Req() request: TgRequest, @Param('id') id: string, @Param('ioc') ioc: string) {
    return this.entry(request, id, 'iocs', ioc);
  }

  /** `data.items`: the file tree's files keyed "1", "2"… */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgAnalysisItems'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/artifacts')
  artifacts(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'artifacts');
  }

  @ApiPaths({ id: 'A sample id', artifact: 'The artifact key ("1", "2"…)' })
  @ApiTgResponse(mapOf())
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/artifacts/:artifact')
  artifact(@Req() request: TgRequest, @Param('id') id: string, @Param('artifact') key: string) {
    return this.entry(request, id, 'artifacts', key);
  }

  /** `data`: analysis.json's `metadata` (malware_desc, sandcastle_env, times, permalink). */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(mapOf())
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/metadata')
  metadata(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'metadata');
  }

  /** `data.items`: the sandbox's processes.json as analysis.json inlines it (`{}` when none, or over 4 MiB). */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgAnalysisItems'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/processes')
  processes(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'processes');
  }

  /** `data.items`: one flow per address seen, keyed "1", "2"… */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgAnalysisItems'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/network_streams')
  networkStreams(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'network_streams');
  }

  @ApiPaths({ id: 'A sample id', stream: 'The stream key ("1", "2"…)' })
  @ApiTgResponse(mapOf())
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/network_streams/:stream')
  networkStream(@Req() request: TgRequest, @Param('id') id: string, @Param('stream') key: string) {
    return this.entry(request, id, 'network_streams', key);
  }

  /** `data.items`: `network` keyed by IP (no enrichment) and Hopper's observables. */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiTgResponse(ref('TgAnalysisItems'))
  @ApiTgErrors(400, 404)
  @Get(':id/analysis/annotations')
  annotations(@Req() request: TgRequest, @Param('id') id: string) {
    return this.part(request, id, 'annotations');
  }

  private async part(request: TgRequest, id: string, part: AnalysisPart) {
    return analysisPart(await this.render(request, id), part);
  }

  private async entry(request: TgRequest, id: string, part: AnalysisEntryPart, key: string) {
    const found = analysisEntry(await this.render(request, id), part, key);
    if (found === null) throw new TgError(`Sample ${id} has no ${ENTRY_NOUNS[part]} ${key}.`, 404);
    return found;
  }

  private async render(request: TgRequest, id: string): Promise<ThreatGridAnalysis> {
    const auth = request.auth!;
    return this.analysis.analysis(request, auth, await this.samples.get(auth, id));
  }
}
