import { Controller, Get, Inject, Param, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { RequireRoles } from '../../auth/auth.decorators';
import { TgApi } from '../http/tg-api.decorator';
import { sendTgJson, TgError } from '../http/tg-envelope';
import type { TgRequest } from '../http/tg-auth.guard';
import { SampleAnalysis } from './sample-analysis';
import { VisibleSamples } from './visible-samples';

/** The artifacts Threat Grid serves per sample, by the name a service gave its supplementary file. */
const ARTIFACT_TYPES: Readonly<Record<string, string>> = {
  'processes.json': 'application/json',
  'network.pcap': 'application/vnd.tcpdump.pcap',
  'video.webm': 'video/webm',
};

/**
 * Threat Grid's result files, served raw (no envelope): analysis.json rendered from Hopper's results, and the
 * supplementary files a dynamic-analysis service produced. A missing one is a 404 with a JSON error.
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/samples')
export class SampleArtifactsController {
  constructor(
    private readonly samples: VisibleSamples,
    private readonly analysis: SampleAnalysis,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {}

  @Get(':id/analysis.json')
  @RequireRoles('submission_view')
  async analysisJson(@Req() request: TgRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const auth = request.auth!;
    const analysis = await this.analysis.analysis(request, auth, await this.samples.get(auth, id));
    sendTgJson(response, 200, analysis);
  }

  // `viedo.webm` is how Threat Grid's own integration guide spells it; scripts copied from it keep working.
  @Get([':id/processes.json', ':id/network.pcap', ':id/video.webm', ':id/viedo.webm'])
  @RequireRoles('submission_view')
  async artifact(@Req() request: TgRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const name = request.path.slice(request.path.lastIndexOf('/') + 1).replace('viedo', 'video');
    const auth = request.auth!;
    const record = await this.samples.get(auth, id);
    const found = await this.analysis.artifact(auth, record, name);
    if (!found) {
      const why = record.state === 'submitted' ? 'the analysis is not finished' : 'no analysis service produced one';
      throw new TgError(`Sample ${id} has no ${name}: ${why}.`, 404);
    }
    const body = await this.filestore.get(found.ref.sha256);
    response.status(200).setHeader('Content-Type', ARTIFACT_TYPES[name]);
    response.setHeader('Content-Length', String(found.ref.size));
    response.setHeader('Content-Disposition', `attachment; filename="${name}"`);
    await pipeline(body, response);
  }
}
