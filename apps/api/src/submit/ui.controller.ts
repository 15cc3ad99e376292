import { BadRequestException, Controller, Get, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withAnswerHeaders } from '../http/answer-headers';
import { ApiAlErrors, ApiAlResponse, ApiJsonBody, ApiPaths, ApiQueries, ApiStreamedBody } from '../openapi/api-docs.decorators';
import { bool, int, mapOf, nullable, object, str } from '../openapi/schema-builders';
import type { Request, Response } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { AlErrorWithResponse } from '../al-api/al-envelope';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { readFlowChunk } from './flowjs/flow-chunk';
import { readFlowChunkBody } from './flowjs/flow-chunk-body';
import { FlowUploads } from './flowjs/flow-uploads';
import { UiStartAnswer, UiStartService } from './ui-start.service';

/**
 * Assemblyline's UI upload routes: flow.js chunked uploads (`GET`/`POST /api/v4/ui/flowjs/`), then the
 * submission of an upload (`POST /api/v4/ui/start/<ui_sid>/`).
 */
@ApiTags('ui')
@AlApi()
@Controller('api/v4/ui')
export class UiController {
  /** The largest upload accepted at all (params.ignore_size, known only at start, may lift max_file_size up to it). */
  private readonly maxUploadBytes: number;

  constructor(
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(HOPPER_CONFIG) config: HopperConfig,
    private readonly flows: FlowUploads,
    private readonly starter: UiStartService,
  ) {
    this.maxUploadBytes = Math.max(config.api.max_upload_bytes, config.submission.max_file_size);
  }

  /** Whether a chunk already arrived: 200 `{exist: true}`, else 204 (flow.js then sends it). */
  @ApiQueries({
    flowChunkNumber: { ...int, required: true },
    flowChunkSize: { ...int, required: true },
    flowTotalSize: { ...int, required: true },
    flowTotalChunks: { ...int, required: true },
    flowIdentifier: { ...str, required: true },
    flowFilename: { ...str, required: true },
  })
  @ApiAlResponse(object({ exist: bool }, { closed: true }), { description: 'The chunk is there' })
  @ApiAlResponse(object({ exist: bool, msg: str }, { closed: true }), { status: 204, description: 'The chunk is missing: send it (no body on the wire)' })
  @ApiAlErrors(400, 412)
  @Get('flowjs')
  @RequireRoles('submission_create')
  async checkChunk(
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<{ exist: boolean; msg?: string }> {
    const chunk = readFlowChunk(query);
    if (await this.flows.hasChunk(auth.uname, chunk)) return { exist: true };
    response.status(204);
    return { exist: false, msg: 'Chunk does not exist, please send it!' };
  }

  /** Keeps one chunk (multipart: the flow fields, then the chunk as `file`); `completed` once all are there. */
  @ApiStreamedBody({
    flowChunkNumber: { kind: 'text', description: 'The chunk number, from 1', required: true },
    flowChunkSize: { kind: 'text', description: 'The nominal chunk size', required: true },
    flowCurrentChunkSize: { kind: 'text', description: "This chunk's size" },
    flowTotalSize: { kind: 'text', description: "The file's size", required: true },
    flowTotalChunks: { kind: 'text', description: 'How many chunks', required: true },
    flowIdentifier: { kind: 'text', description: "The upload's id (the ui_sid of ui/start)", required: true },
    flowFilename: { kind: 'text', description: "The file's name", required: true },
    file: { kind: 'file', description: 'The chunk, after the fields', required: true },
  })
  @ApiAlResponse(object({ success: bool, completed: bool }, { closed: true }))
  @ApiAlErrors(400, 412, 413)
  @Post('flowjs')
  @HttpCode(200)
  @RequireRoles('submission_create')
  async uploadChunk(@Req() request: Request, @CurrentUser() auth: AuthenticatedUser): Promise<{ success: boolean; completed: boolean }> {
    const { fields, staged } = await readFlowChunkBody(request, this.filestore);
    try {
      const chunk = readFlowChunk(fields);
      if (chunk.totalSize > this.maxUploadBytes) {
        throw new AlErrorWithResponse('Uploaded file is too big', 413, { success: false, completed: true });
      }
      if (!staged) throw new BadRequestException('Missing file part: the chunk is sent as the "file" part');
      if (chunk.currentChunkSize !== null && chunk.currentChunkSize !== staged.size) {
        throw new BadRequestException(`flowCurrentChunkSize says ${chunk.currentChunkSize} bytes, the chunk has ${staged.size}`);
      }
      const { completed } = await this.flows.saveChunk(auth.uname, chunk, staged);
      return { success: true, completed };
    } catch (error) {
      await staged?.discard().catch(() => undefined);
      throw error;
    }
  }

  /** Submits the caller's upload `ui_sid` with the UI's settings (the JSON body); `{started, sid}`. */
  @ApiPaths({ ui_sid: 'The flowIdentifier of a completed upload' })
  @ApiJsonBody(
    object({ filename: str, submission_profile: str, metadata: mapOf(str) }, { optional: ['filename', 'submission_profile', 'metadata'], description: "The UI's settings: submission parameters (services, priority…) besides these" }),
  )
  @ApiAlResponse(object({ started: bool, sid: nullable(str) }, { closed: true }))
  @ApiAlErrors(400, 404, 429)
  @Post('start/:ui_sid')
  @HttpCode(200)
  @RequireRoles('submission_create')
  start(
    @Param('ui_sid') uiSid: string,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<UiStartAnswer> {
    return withAnswerHeaders(response, (headers) => this.starter.start(uiSid, request.body, headers, auth));
  }
}
