import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AnswerHeaders } from '../http/answer-headers';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionFile, SubmissionsRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import {
  CUSTOM_PROFILE_NAME,
  enforceMaxDtl,
  resolveSubmissionParams,
  SubmissionParams,
  SubmissionParamsInput,
} from '@hopper/profiles';
import { FileGuard, randomId, SubmissionQuotas } from '@hopper/queues';
import type { AuthenticatedUser } from '../auth/auth.service';
import { SubmittedFileLoader } from '../intake/submitted-file-loader';
import { FileIntake } from '../intake/file-intake.service';
import { discardIntakeFile, IdentifiedIntakeFile, intakeFileFromRecord } from '../intake/intake-file';
import { recordIntakeFile } from '../intake/record-intake-file';
import { safeName } from '../intake/safe-filename';
import { submittingUser } from '../intake/submitting-user';
import { takeSubmissionQuota } from '../quotas/take-submission-quota';
import { SubmissionView, submissionView } from '../submissions/submission-view';
import { HIGHER_SCAN_CLASSIFICATION } from '../intake/file-submission';
import { SubmissionStarter } from '@hopper/lifecycle';

export const NOT_ALLOWED_TO_RESUBMIT = "You are not allowed to re-submit a submission that you don't have access to";
export const DYNAMIC_ANALYSIS = 'Dynamic Analysis';
/** Priority of a dynamic resubmission that sets none (seed 000). */
export const DYNAMIC_DEFAULT_PRIORITY = 500;
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

export const fileNotFound = (sha256: string) => `File ${sha256} cannot be found on the server therefore it cannot be resubmitted.`;

export interface DynamicRequest {
  sha256: string;
  copySid?: string;
  name?: string;
  /** Hopper's addition: the profile of a new parameter set (a user without submission_customize needs one). */
  submissionProfile?: string;
}

/**
 * Seed 000's `resubmit_for_dynamic` and `resubmit_submission_for_analysis`: a file Hopper holds, or every file
 * of an earlier submission, submitted again under a new sid with a quota slot held under it (given back if the
 * request fails). The files are not read again unless their document is missing; their documents are
 * freshened (seen again, classification raised, life extended) as Assemblyline's SubmissionClient does.
 */
@Injectable()
export class ResubmitService {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly quotas: SubmissionQuotas,
    private readonly submissions: SubmissionsRepository,
    private readonly files: FilesRepository,
    private readonly fileGuard: FileGuard,
    private readonly intake: FileIntake,
    private readonly loader: SubmittedFileLoader,
    private readonly starter: SubmissionStarter,
  ) {}

  /** `GET /api/v4/submit/dynamic/<sha256>/`: the file again, with "Dynamic Analysis" selected. */
  async dynamic(request: DynamicRequest, headers: AnswerHeaders, auth: AuthenticatedUser): Promise<SubmissionView> {
    return this.withQuota(auth, headers, async (sid) => {
      const copied = request.copySid ? await this.submissions.findBySid(request.copySid) : null;
      if (copied && !this.engine.isAccessible(auth.user.classification, copied.classification)) throw new ForbiddenException(NOT_ALLOWED_TO_RESUBMIT);
      const params = copied ? this.copiedParams(copied.params, copied.classification) : this.newParams(auth, request.submissionProfile);

      const sha256 = request.sha256.toLowerCase();
      const file = await this.heldFile(sha256, auth.user.classification);
      try {
        const name = safeName(request.name ?? '') || request.sha256;
        params.submitter = auth.uname;
        params.quota_item = true;
        params.description = `Resubmit ${name} for Dynamic Analysis`;
        if (!params.services.selected.includes(DYNAMIC_ANALYSIS)) params.services.selected.push(DYNAMIC_ANALYSIS);
        params.classification = this.engine.max(params.classification, file.classification);
        return await this.launch(sid, auth, params, {}, [{ name, file: file.intake }]);
      } finally {
        await discardIntakeFile(file.intake);
      }
    });
  }

  /** `GET /api/v4/submit/resubmit/<sid>/`: the same files, metadata and parameters, submitted again. */
  async resubmit(previousSid: string, headers: AnswerHeaders, auth: AuthenticatedUser): Promise<SubmissionView> {
    return this.withQuota(auth, headers, async (sid) => {
      const previous = await this.submissions.findBySid(previousSid);
      if (!previous) throw new NotFoundException(`Submission ${previousSid} does not exists.`);
      if (!this.engine.isAccessible(auth.user.classification, previous.classification)) throw new ForbiddenException(NOT_ALLOWED_TO_RESUBMIT);
      const params = this.copiedParams(previous.params, previous.classification);
      params.submitter = auth.uname;
      params.quota_item = true;
      params.description = `Resubmit ${previous.files.map((file) => file.name).join(', ')} for analysis`;

      const held: { name: string; file: IdentifiedIntakeFile }[] = [];
      try {
        for (const file of previous.files) {
          const found = await this.heldFile(file.sha256, auth.user.classification);
          held.push({ name: file.name, file: found.intake });
          params.classification = this.engine.max(params.classification, found.classification);
        }
        return await this.launch(sid, auth, params, previous.metadata, held);
      } finally {
        for (const { file } of held) await discardIntakeFile(file);
      }
    });
  }

  /** Takes the quota slot under the new sid first (seed 000), and gives it back if anything after fails. */
  private async withQuota(auth: AuthenticatedUser, headers: AnswerHeaders, work: (sid: string) => Promise<SubmissionView>): Promise<SubmissionView> {
    const sid = randomId();
    await takeSubmissionQuota(this.quotas, this.config, auth.user, sid, headers);
    try {
      return await work(sid);
    } catch (error) {
      await this.quotas.refund(auth.uname, sid).catch(() => undefined);
      throw error;
    }
  }

  /** An earlier submission's parameters, at that submission's classification. */
  private copiedParams(stored: SubmissionParams, classification: string): SubmissionParams {
    // The repository parsed them on read (services and every other field complete).
    const params = structuredClone(stored);
    params.classification = classification;
    params.ttl = enforceMaxDtl(params.ttl, this.config.submission.max_dtl);
    return params;
  }

  /** The user's settings for the profile, with priority 500 unless the settings or the profile set one. */
  private newParams(auth: AuthenticatedUser, submissionProfile: string | undefined): SubmissionParams {
    const { params, profile } = resolveSubmissionParams({
      endpoint: 'submit',
      config: this.config,
      user: submittingUser(auth),
      request: { submission_profile: submissionProfile },
      classification: this.engine,
    });
    const saved = (auth.user.submission_settings?.[submissionProfile || CUSTOM_PROFILE_NAME] ?? {}) as SubmissionParamsInput;
    const prioritySet = (saved.priority ?? profile?.params.priority ?? null) !== null;
    if (!prioritySet) params.priority = DYNAMIC_DEFAULT_PRIORITY;
    return params;
  }

  /**
   * A file the filestore holds and the caller may see, with its classification. One without a document (a blob
   * put there directly) is measured as it would be on arrival. Anything else is the seed's 404, so a file the
   * caller is not cleared for looks like one that is not there.
   */
  private async heldFile(sha256: string, userClassification: string): Promise<{ intake: IdentifiedIntakeFile; classification: string }> {
    const notFound = () => new NotFoundException(fileNotFound(sha256));
    if (!SHA256_PATTERN.test(sha256)) throw notFound();
    const [stored, known] = await Promise.all([this.filestore.exists(sha256), this.files.findBySha256(sha256)]);
    if (!stored) throw notFound();
    if (known) {
      if (!this.engine.isAccessible(userClassification, known.classification)) throw notFound();
      return { intake: intakeFileFromRecord(known), classification: known.classification };
    }
    const stat = await this.filestore.stat(sha256);
    if (stat && stat.size > this.loader.maxFileBytesIgnoringSize()) {
      throw new BadRequestException(`File too large (${stat.size} > ${this.config.submission.max_file_size}). Submission failed`);
    }
    return { intake: await this.intake.fromStored(sha256), classification: this.engine.UNRESTRICTED };
  }

  /** Checks the submission as SubmissionClient does, freshens its files, then creates and dispatches it. */
  private async launch(
    sid: string,
    auth: AuthenticatedUser,
    params: SubmissionParams,
    metadata: Record<string, string>,
    files: { name: string; file: IdentifiedIntakeFile }[],
  ): Promise<SubmissionView> {
    if (!this.engine.isAccessible(auth.user.classification, params.classification)) throw new BadRequestException(HIGHER_SCAN_CLASSIFICATION);
    const max = this.config.submission.max_file_size;
    for (const { file } of files) {
      const size = file.digests.size;
      if (size === 0) throw new BadRequestException('File empty. Submission failed');
      if (size > max && !params.ignore_size) throw new BadRequestException(`File too large (${size} > ${max}). Submission failed`);
    }
    const now = new Date();
    const entries: SubmissionFile[] = [];
    for (const { name, file } of files) {
      await recordIntakeFile(this.files, this.filestore, this.fileGuard, this.engine, file, params.classification, params.ttl, now);
      entries.push({ name, sha256: file.digests.sha256, size: file.digests.size });
    }
    return submissionView(await this.starter.start({ sid, params, metadata, files: entries, now }, { quotaLeased: true }));
  }
}
