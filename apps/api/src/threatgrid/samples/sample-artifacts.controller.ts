import { Controller, Get, Inject, Logger, Param, Req, Res } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiPaths, ApiQueries, ApiRawResponse, ApiTgErrors } from '../../openapi/api-docs.decorators';
import { oneOfValues, ref } from '../../openapi/schema-builders';
import type { Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { RequireRoles } from '../../auth/auth.decorators';
import { TgApi } from '../http/tg-api.decorator';
import { TgFields } from '../http/tg-fields';
import { sendTgJson, TgError } from '../http/tg-envelope';
import type { TgRequest } from '../http/tg-auth.guard';
import { ARTIFACT_ROUTES, ARTIFACT_TYPES, artifactNameOf } from './artifact-types';
import { SampleAnalysis } from './sample-analysis';
import { SampleZip, sampleZipEncryption } from './sample-zip';
import { VisibleSamples } from './visible-samples';

/**
 * Threat Grid's result files, served raw (no envelope): analysis.json rendered from Hopper's results, the
 * supplementary files a dynamic-analysis service produced (artifact-types.ts), and the submitted file as
 * sample.zip. A missing one is a 404 with a JSON error.
 */
@ApiTags('threatgrid')
@TgApi(2)
@Controller('api/v2/samples')
export class SampleArtifactsController {
  private readonly logger = new Logger(SampleArtifactsController.name);

  constructor(
    private readonly samples: VisibleSamples,
    private readonly analysis: SampleAnalysis,
    private readonly sampleZip: SampleZip,
    @Inject(FILESTORE) private readonly filestore: Filestore,
  ) {}

  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiResponse({ status: 200, description: 'analysis.json, raw (no envelope)', schema: ref('TgAnalysis') })
  @ApiTgErrors(400, 404)
  @Get(':id/analysis.json')
  @RequireRoles('submission_view')
  async analysisJson(@Req() request: TgRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const auth = request.auth!;
    const analysis = await this.analysis.analysis(request, auth, await this.samples.get(auth, id));
    sendTgJson(response, 200, analysis);
  }

  /**
   * The submitted file in a zip protected with `infected` (ZipCrypto unless `zip_encryption=aes256`), streamed
   * as it is read from the filestore. Downloading a sample is downloading the file: `file_download` as well.
   */
  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiQueries({ zip_encryption: oneOfValues('zipcrypto', 'aes256') })
  @ApiRawResponse('application/zip', 'The sample in a zip protected with "infected", streamed')
  @ApiTgErrors(400, 404)
  @Get(':id/sample.zip')
  @RequireRoles('submission_view', 'file_download')
  async sampleZipFile(@Req() request: TgRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    const encryption = sampleZipEncryption(TgFields.of(request).first('zip_encryption'));
    if (typeof encryption === 'object') throw new TgError(encryption.error, 400);
    const zip = await this.sampleZip.prepare(await this.samples.get(request.auth!, id), encryption);
    response.status(200).attachment(zip.filename);
    response.setHeader('Content-Type', 'application/zip');
    await this.stream(zip.body, response, { sid: id, artifact: 'sample.zip' });
  }

  @ApiPaths({ id: 'A sample id (the submission sid)' })
  @ApiRawResponse(Object.values(ARTIFACT_TYPES), 'A file the dynamic-analysis service produced, with its own Content-Type, streamed')
  @ApiTgErrors(400, 404)
  @Get(ARTIFACT_ROUTES as string[])
  @RequireRoles('submission_view')
  async artifact(@Req() request: TgRequest, @Param('id') id: string, @Res() response: Response): Promise<void> {
    // Only ARTIFACT_ROUTES reach here; the check keeps the route list and the type table from drifting apart.
    const name = artifactNameOf(request.path);
    if (!name) throw new TgError(`No such API: ${request.method} ${request.path}.`, 404);
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
    // What a sandbox produced (report.html above all) must never run in a browser on Hopper's origin.
    response.setHeader('X-Content-Type-Options', 'nosniff');
    response.setHeader('Content-Security-Policy', "sandbox; default-src 'none'");
    await this.stream(body, response, { sid: id, artifact: name });
  }

  /**
   * Headers are gone once streaming starts: a failure can only cut the connection, which the client sees. A client
   * that hangs up as soon as it has Content-Length bytes (before the server ends) lands here too: a warning, not an error.
   */
  private async stream(body: Readable, response: Response, context: Record<string, string>): Promise<void> {
    await pipeline(body, response).catch((error: Error) => {
      if (!response.writableFinished) this.logger.warn({ ...context, err: error.message }, 'download stopped before the end');
    });
  }
}
