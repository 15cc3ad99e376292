import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import type { AnswerHeaders } from '../http/answer-headers';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { MetadataValidator } from '@hopper/metadata';
import { resolveSubmissionParams, SubmissionParams, uiSettingsToParams } from '@hopper/profiles';
import { randomId, SubmissionQuotas } from '@hopper/queues';
import { AlErrorWithResponse } from '../al-api/al-envelope';
import type { AuthenticatedUser } from '../auth/auth.service';
import { isJsonObject } from '../http/strict-json';
import { FileIntake } from '../intake/file-intake.service';
import { discardIntakeFile, IdentifiedIntakeFile } from '../intake/intake-file';
import { safeBasename } from '../intake/safe-filename';
import { stageMeasured } from '@hopper/identify';
import { submittingUser } from '../intake/submitting-user';
import { takeSubmissionQuota } from '../quotas/take-submission-quota';
import { FileSubmission, HIGHER_SCAN_CLASSIFICATION } from '../intake/file-submission';
import { flowCacheName } from './flowjs/flow-chunk';
import { FlowUploads } from './flowjs/flow-uploads';

/** Assemblyline's type of its own bundles (a CaRT of a whole submission, results included). */
export const AL_BUNDLE_TYPE = 'archive/bundle/al';
export const BUNDLE_REFUSED =
  'This file is an Assemblyline bundle (archive/bundle/al): Hopper does not import Assemblyline bundles. ' +
  'Submit the files it holds instead.';

export interface UiStartAnswer {
  started: boolean;
  sid: string | null;
}

const NOT_STARTED: UiStartAnswer = { started: false, sid: null };

/**
 * `POST /api/v4/ui/start/<ui_sid>/`: seed 000's `start_ui_submission`. The body is the UI's settings (plus
 * `filename`, and Hopper's `submission_profile` and `metadata`); the file is the caller's flow.js upload
 * `ui_sid`, read chunk after chunk into staging. Refused before the upload is touched (classification 403,
 * quota 503), the upload stays for a retry; past that, whatever happens, it is deleted, as the seed's
 * `finally` deletes its files. Bundles are refused: Hopper does not import them.
 */
@Injectable()
export class UiStartService {
  private readonly logger = new Logger(UiStartService.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly quotas: SubmissionQuotas,
    private readonly flows: FlowUploads,
    private readonly intake: FileIntake,
    private readonly metadataValidator: MetadataValidator,
    private readonly fileSubmission: FileSubmission,
  ) {}

  async start(uiSid: string, body: unknown, headers: AnswerHeaders, auth: AuthenticatedUser): Promise<UiStartAnswer> {
    if (body !== undefined && body !== null && !isJsonObject(body)) throw new BadRequestException('The JSON body must be a JSON object');
    const { filename, submission_profile: profileName, metadata: requested, ...settings } = (body ?? {}) as Record<string, unknown>;
    const params = this.resolveParams(settings, profileName, auth);
    if (!this.engine.isAccessible(auth.user.classification, params.classification)) {
      throw new AlErrorWithResponse(HIGHER_SCAN_CLASSIFICATION, 403, NOT_STARTED);
    }
    const metadata = this.metadataValidator.validate(requested, { endpoint: 'submit', autoArchive: params.auto_archive }).metadata;

    const sid = randomId();
    await takeSubmissionQuota(this.quotas, this.config, auth.user, sid, headers);
    let file: IdentifiedIntakeFile | null = null;
    try {
      const upload = await this.flows.complete(auth.uname, uiSid);
      if (!upload) throw new AlErrorWithResponse(`No files where found for ID ${flowCacheName(uiSid)}. Try again...`, 404, NOT_STARTED);
      file = await this.intake.fromMeasured(await stageMeasured(upload.stream(), this.filestore));
      if (file.cart?.alType === AL_BUNDLE_TYPE) throw new BadRequestException(BUNDLE_REFUSED);

      const name = (typeof filename === 'string' ? safeBasename(filename) : '') || upload.name;
      params.description ||= `Inspection of file: ${name}`;
      const record = await this.fileSubmission.submit({
        sid,
        userClassification: auth.user.classification,
        params,
        loaded: { file, known: null, extraMetadata: {}, minimumClassification: null, selectServices: [], name: null },
        requestedName: name,
        metadata,
        now: new Date(),
      });
      return { started: true, sid: record.sid };
    } catch (error) {
      await this.quotas.refund(auth.uname, sid).catch(() => undefined);
      throw error;
    } finally {
      await discardIntakeFile(file);
      await this.flows
        .remove(auth.uname, uiSid)
        .catch((error) => this.logger.warn({ ui_sid: uiSid, error: String(error) }, 'flow.js upload not removed (it expires)'));
    }
  }

  /** The UI's settings in place of the saved ones, the profile if one is named; submitter and quota_item set. */
  private resolveParams(settings: Record<string, unknown>, profileName: unknown, auth: AuthenticatedUser): SubmissionParams {
    // A profile name that is not a string is refused by resolveSubmissionParams, as on every route.
    const { params } = resolveSubmissionParams({
      endpoint: 'submit',
      config: this.config,
      user: submittingUser(auth),
      request: { submission_profile: profileName as string | null | undefined, settings: uiSettingsToParams(settings) },
      classification: this.engine,
    });
    params.submitter = auth.uname;
    params.quota_item = true;
    return params;
  }
}
