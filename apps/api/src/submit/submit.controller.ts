import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { withAnswerHeaders } from '../http/answer-headers';
import { SubmissionBodies } from '../intake';
import { ApiAlErrors, ApiAlResponse, ApiPaths, ApiQueries, ApiStreamedBody } from '../openapi/api-docs.decorators';
import { ref, str } from '../openapi/schema-builders';
import { submitJsonBody } from '../openapi/al-schemas';
import type { Request, Response } from 'express';
import { AlApi } from '../al-api/al-api.decorator';
import { CurrentUser, RequireRoles } from '../auth/auth.decorators';
import type { AuthenticatedUser } from '../auth/auth.service';
import { SubmissionView } from '../submissions/submission-view';
import { ResubmitService } from './resubmit.service';
import { SubmitService } from './submit.service';

/** A query parameter given once, as text; anything else (absent, repeated, nested) reads as not given. */
const single = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

@ApiTags('submit')
@AlApi()
@Controller('api/v4/submit')
export class SubmitController {
  constructor(
    private readonly submitter: SubmitService,
    private readonly resubmitter: ResubmitService,
    private readonly bodies: SubmissionBodies,
  ) {}

  /**
   * Submits one file (multipart `json` + `bin`), or a sha256, URL or file-source input (JSON body), straight to
   * the dispatcher, as Assemblyline's `POST /api/v4/submit/`; answers the Submission.
   */
  @ApiStreamedBody({
    json: { kind: 'json', description: 'The submission as JSON text: name, params, metadata, submission_profile…' },
    bin: { kind: 'file', description: 'The file, streamed (or `file`, as Assemblyline also accepts)', required: true },
  }, submitJsonBody)
  @ApiAlResponse(ref('AlSubmission'), { description: 'The Submission, started' })
  @ApiAlErrors(400, 404, 413, 415, 429)
  @Post('/')
  @HttpCode(200)
  @RequireRoles('submission_create')
  submit(
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<SubmissionView> {
    return withAnswerHeaders(response, (headers) => this.submitter.submit(this.bodies.pending(request, false), headers, auth));
  }

  /**
   * Submits a file Hopper holds again with "Dynamic Analysis" selected, with the parameters of `copy_sid` or the
   * user's own (Hopper also takes `submission_profile` for these); answers the Submission.
   */
  @ApiPaths({ sha256: 'A file Hopper holds' })
  @ApiQueries({ copy_sid: str, name: str, submission_profile: str })
  @ApiAlResponse(ref('AlSubmission'))
  @ApiAlErrors(400, 404, 429)
  @Get('dynamic/:sha256')
  @RequireRoles('submission_create')
  dynamic(
    @Param('sha256') sha256: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<SubmissionView> {
    const request = { sha256, copySid: single(query.copy_sid), name: single(query.name), submissionProfile: single(query.submission_profile) };
    return withAnswerHeaders(response, (headers) => this.resubmitter.dynamic(request, headers, auth));
  }

  /** Submits the files of submission `sid` again, with its metadata and parameters; answers the new Submission. */
  @ApiPaths({ sid: 'The submission to submit again' })
  @ApiAlResponse(ref('AlSubmission'))
  @ApiAlErrors(400, 404, 429)
  @Get('resubmit/:sid')
  @RequireRoles('submission_create')
  resubmit(
    @Param('sid') sid: string,
    @Res({ passthrough: true }) response: Response,
    @CurrentUser() auth: AuthenticatedUser,
  ): Promise<SubmissionView> {
    return withAnswerHeaders(response, (headers) => this.resubmitter.resubmit(sid, headers, auth));
  }
}
