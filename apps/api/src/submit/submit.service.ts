import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { AnswerHeaders } from '../http/answer-headers';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { MetadataValidator } from '@hopper/metadata';
import { resolveSubmissionParams, SubmissionParams, SubmissionParamsInput, uiSettingsToParams } from '@hopper/profiles';
import { randomId, SubmissionQuotas } from '@hopper/queues';
import type { AuthenticatedUser } from '../auth/auth.service';
import { isJsonObject } from '../http/strict-json';
import { fileSourceInput, LoadedFile, SubmittedFileLoader } from '../intake/submitted-file-loader';
import { discardIntakeFile, IdentifiedIntakeFile } from '../intake/intake-file';
import { FileTooLargeException } from '../intake/multipart-submission';
import type { PendingSubmissionBody, SubmissionBody } from '../intake/submission-body';
import { submittingUser } from '../intake/submitting-user';
import { takeSubmissionQuota } from '../quotas/take-submission-quota';
import { SubmissionView, submissionView } from '../submissions/submission-view';
import { EMPTY_SUBMISSION, FileSubmission, HIGHER_SCAN_CLASSIFICATION } from '../intake/file-submission';
import { readSubmitDataBlock } from './submit-data-block';

/**
 * `POST /api/v4/submit/`: seed 000's `submit`, step by step and with its messages. Unlike ingest, the
 * submission is created here and goes straight to the dispatcher, holding a quota slot under its sid until
 * it ends. The slot is taken first, as Assemblyline does, and given back if the request fails; a refused
 * request leaves nothing: no staged upload, no blob, no document, no queued task.
 */
@Injectable()
export class SubmitService {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    private readonly quotas: SubmissionQuotas,
    private readonly loader: SubmittedFileLoader,
    private readonly metadata: MetadataValidator,
    private readonly fileSubmission: FileSubmission,
  ) {}

  async submit(pending: PendingSubmissionBody, headers: AnswerHeaders, auth: AuthenticatedUser): Promise<SubmissionView> {
    const sid = randomId();
    try {
      await takeSubmissionQuota(this.quotas, this.config, auth.user, sid, headers);
    } catch (error) {
      pending.drain();
      throw error;
    }
    let body: SubmissionBody | null = null;
    let loaded: LoadedFile<IdentifiedIntakeFile> | null = null;
    try {
      body = await pending.read();
      const source = body.multipart || !body.data ? null : fileSourceInput(body.data, this.config);
      const block = readSubmitDataBlock(body.data, body.uploadedFilename, source?.input ?? null);
      const params = this.resolveParams(block.data, auth);
      params.description ||= `Inspection of file: ${block.name}`;
      if (!this.engine.isAccessible(auth.user.classification, params.classification)) {
        throw new BadRequestException(HIGHER_SCAN_CLASSIFICATION);
      }
      const metadata = this.metadata.validate(block.data.metadata, { endpoint: 'submit', autoArchive: params.auto_archive }).metadata;

      loaded = await this.loader.load({
        multipart: body.multipart,
        upload: body.upload,
        sha256: block.sha256,
        url: block.url,
        data: block.data,
        userClassification: auth.user.classification,
        emptyFileMessage: EMPTY_SUBMISSION,
      });
      const record = await this.fileSubmission.submit({
        sid,
        userClassification: auth.user.classification,
        params,
        loaded,
        requestedName: block.name,
        metadata,
        now: new Date(),
      });
      return submissionView(record);
    } catch (error) {
      await this.quotas.refund(auth.uname, sid).catch(() => undefined);
      throw asSubmitError(error);
    } finally {
      if (loaded) await discardIntakeFile(loaded.file);
      else if (body?.upload) await body.upload.staged.discard().catch(() => undefined);
    }
  }

  /**
   * The user's saved settings (or the `ui_params` the request sends in their place), the profile and the
   * request's `params`, resolved; then what submit always sets: submitter and quota_item.
   */
  private resolveParams(data: Record<string, unknown>, auth: AuthenticatedUser): SubmissionParams {
    for (const key of ['params', 'ui_params']) {
      if (data[key] !== undefined && data[key] !== null && !isJsonObject(data[key])) throw new BadRequestException(`${key} should be an object`);
    }
    const { params } = resolveSubmissionParams({
      endpoint: 'submit',
      config: this.config,
      user: submittingUser(auth),
      request: {
        submission_profile: data.submission_profile as string | undefined,
        params: data.params as SubmissionParamsInput | undefined,
        settings: isJsonObject(data.ui_params) ? uiSettingsToParams(data.ui_params) : null,
      },
      classification: this.engine,
    });
    params.submitter = auth.uname;
    params.quota_item = true;
    return params;
  }
}

/** The upload's size refusal in submit's words (Assemblyline's SubmissionClient: a 400, "Submission failed"). */
function asSubmitError(error: unknown): unknown {
  if (error instanceof FileTooLargeException) {
    return new BadRequestException(`File too large (${error.size} > ${error.max}). Submission failed`);
  }
  return error;
}
