import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AnswerHeaders } from '../../http/answer-headers';
import { randomBytes } from 'node:crypto';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { SubmissionRecord, SubmissionsRepository, ThreatGridSampleInfo } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FlatMetadata, MetadataValidator } from '@hopper/metadata';
import { SubmissionQuotas } from '@hopper/queues';
import type { AuthenticatedUser } from '../../auth/auth.service';
import { CLOCK, Clock } from '../../http/clock';
import { commitIntakeFile, discardIntakeFile, FileSubmission, FileTooLargeException, IdentifiedIntakeFile, LoadedFile, SubmittedFileLoader } from '../../intake';
import { takeSubmissionQuota } from '../../quotas/take-submission-quota';
import { Organization, organizationOf } from '../account/organization';
import { extractArchiveMembers, isArchiveType } from '../archives';
import { DedupeWindow, RateDecision, rateWindowsFor, RollingRateLimiter } from '../controls';
import { TgError } from '../http/tg-envelope';
import { TgFields } from '../http/tg-fields';
import { submissionIdOf } from '../samples/sample-view';
import { tgQuotaRefusal } from './quota-refusal';
import { rateLimitHeaders, setRateLimitHeaders } from './rate-limit-headers';
import { tgSubmissionParams } from './tg-submission-params';
import { TgSubmitOptions } from './tg-submit-options';
import { ThreatGridMetrics } from './threatgrid-metrics';
import { typeRefusal } from './type-policy';

export const SAMPLE_REQUIRED = 'The parameter sample is required. ';

/**
 * A Threat Grid sample id, which is also its submission's sid: 32 hex digits as Threat Grid's own (some
 * clients check the form before they call), where Hopper's other sids are 22 base62 characters.
 */
const newSampleId = (): string => randomBytes(16).toString('hex');

/** One file about to become a sample: the upload itself, or a member of an uploaded archive. */
interface Candidate {
  sid: string;
  name: string;
  sha256: string;
  /** Set when a sample of this organization already holds this file inside the dedupe window. */
  duplicateOf: SubmissionRecord | null;
}

/** What a submission produced: the samples it made or found, and what it left out and why. */
export interface TgSubmitOutcome {
  samples: SubmissionRecord[];
  duplicates: Set<string>;
  skipped: { filename: string; sha256: string; reason: string }[];
  archive: { filename: string; sha256: string } | null;
}

/**
 * `POST /api/v2/samples` after the request is read: the file (upload or URL, through the safe downloader), the
 * organization's archive fan-out, the file-type policy, the dedupe window, the rate limits and the concurrent
 * quota, in that order; then one submission per file, straight to the dispatcher. Whatever is refused
 * gives back what it took (dedupe claims, rate entries, quota slots) and leaves no staged file behind.
 */
@Injectable()
export class TgSubmitService {
  private readonly logger = new Logger(TgSubmitService.name);

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly loader: SubmittedFileLoader,
    private readonly fileSubmission: FileSubmission,
    private readonly submissions: SubmissionsRepository,
    private readonly quotas: SubmissionQuotas,
    private readonly metadata: MetadataValidator,
    private readonly limiter: RollingRateLimiter,
    private readonly dedupe: DedupeWindow,
    private readonly metrics: ThreatGridMetrics,
  ) {}

  /** `name`: the sample's display name (sample_filename, else the upload's file name or the URL). */
  async submit(loaded: LoadedFile<IdentifiedIntakeFile>, name: string, options: TgSubmitOptions, auth: AuthenticatedUser, headers: AnswerHeaders): Promise<TgSubmitOutcome> {
    const tg = this.config.threatgrid;
    const organization = organizationOf(auth.user, tg);
    const type = loaded.file.type;
    const outcome: TgSubmitOutcome = { samples: [], duplicates: new Set(), skipped: [], archive: null };

    let files: { name: string; sha256: string }[];
    if (organization.policy?.extract_archives && isArchiveType(type)) {
      outcome.archive = { filename: name, sha256: loaded.file.digests.sha256 };
      files = await this.archiveMembers(loaded, name, options, auth, organization, outcome);
    } else {
      const refusal = typeRefusal(type, auth.user, organization, tg);
      if (refusal) {
        this.metrics.count('type_refused');
        throw new TgError(refusal, 400);
      }
      files = [{ name, sha256: loaded.file.digests.sha256 }];
    }
    // The upload is kept (committed) before any sample is made of it, so a member or the file itself is there.
    const candidates = await this.claim(files, organization);
    const fresh = candidates.filter((candidate) => !candidate.duplicateOf);
    try {
      await this.takeRate(fresh, auth, organization, headers);
      const metadata = this.metadata.validate(options.tags.length ? { tags: options.tags.join(',') } : {}, { endpoint: 'submit' }).metadata;
      for (const candidate of candidates) {
        if (candidate.duplicateOf) {
          outcome.samples.push(candidate.duplicateOf);
          outcome.duplicates.add(candidate.duplicateOf.sid);
          continue;
        }
        const upload = candidate.sha256 === loaded.file.digests.sha256 ? loaded : null;
        outcome.samples.push(await this.launch(candidate, upload, options, metadata, auth, organization, outcome.archive, headers));
      }
      this.metrics.count('created', outcome.samples.length - outcome.duplicates.size);
      this.metrics.count('duplicate', outcome.duplicates.size);
      this.metrics.count('member_skipped', outcome.skipped.length);
      return outcome;
    } catch (error) {
      const launched = new Set(outcome.samples.map((sample) => sample.sid));
      const unlaunched = fresh.filter((candidate) => !launched.has(candidate.sid));
      await this.giveBack(unlaunched, fresh[0]?.sid ?? '', auth, organization);
      throw asTgError(error);
    }
  }

  /** The members of an uploaded archive that this user may submit; the others are reported as skipped. */
  private async archiveMembers(loaded: LoadedFile<IdentifiedIntakeFile>, name: string, options: TgSubmitOptions, auth: AuthenticatedUser, organization: Organization, outcome: TgSubmitOutcome) {
    await commitIntakeFile(loaded.file); // Extract reads the archive from the filestore
    const { members, problems } = await extractArchiveMembers({
      filestore: this.filestore,
      sha256: loaded.file.digests.sha256,
      type: loaded.file.type,
      name,
      passwords: options.sample_password ? [options.sample_password] : [],
      options: this.config.services.builtin.Extract,
    });
    const accepted: { name: string; sha256: string }[] = [];
    for (const member of members) {
      const refusal = typeRefusal(member.type, auth.user, organization, this.config.threatgrid);
      if (refusal) outcome.skipped.push({ filename: member.name, sha256: member.sha256, reason: refusal });
      else accepted.push({ name: member.name, sha256: member.sha256 });
    }
    if (accepted.length === 0) {
      this.metrics.count('member_skipped', outcome.skipped.length);
      const reasons = [...problems, ...outcome.skipped.map((skip) => `${skip.filename}: ${skip.reason}`)];
      throw new TgError(
        `The archive ${name} holds no file that can be submitted.`,
        400,
        (reasons.length ? reasons : ['The archive is empty.']).map((message) => ({ code: 400, message })),
      );
    }
    return accepted;
  }

  /** Claims each file's sha256 for this organization's dedupe window; a fresh claim by another sample makes it a duplicate. */
  private async claim(files: { name: string; sha256: string }[], organization: Organization): Promise<Candidate[]> {
    const now = this.clock.now();
    const window = this.config.threatgrid.dedupe_window_minutes;
    const candidates: Candidate[] = [];
    for (const file of files) {
      const sid = newSampleId();
      let existing = await this.dedupe.claim(organization.name, file.sha256, sid, now, window);
      let duplicateOf = existing ? await this.submissions.findBySid(existing) : null;
      if (existing && !duplicateOf) {
        // The sample it names was deleted: the window no longer holds anything to return.
        await this.dedupe.release(organization.name, file.sha256, existing);
        existing = await this.dedupe.claim(organization.name, file.sha256, sid, now, window);
        duplicateOf = existing ? await this.submissions.findBySid(existing) : null;
      }
      candidates.push({ sid, name: file.name, sha256: file.sha256, duplicateOf });
    }
    return candidates;
  }

  private async takeRate(fresh: Candidate[], auth: AuthenticatedUser, organization: Organization, headers: AnswerHeaders): Promise<void> {
    const windows = rateWindowsFor(this.config.threatgrid, auth.uname, organization.name);
    const now = this.clock.now();
    const decision: RateDecision = fresh.length
      ? await this.limiter.take(windows, fresh.length, fresh[0].sid, now)
      : await this.limiter.peek(windows, now);
    if (!decision.allowed) {
      this.metrics.count('rate_limited', fresh.length);
      const binding = decision.windows.find((window) => window.available < fresh.length);
      const scope = binding ? `${binding.scope === 'user' ? 'user' : 'organization'} ${binding.id}: ${binding.samples} samples per ${binding.minutes} minutes` : 'rate limit';
      throw new TgError(`Rate limit exceeded (${scope}).`, 429, [{ code: 429, message: `Rate limit exceeded (${scope}); retry after ${rateLimitHeaders(decision)['Retry-After']} seconds.` }], rateLimitHeaders(decision));
    }
    setRateLimitHeaders(headers, decision);
  }

  private async launch(
    candidate: Candidate,
    upload: LoadedFile<IdentifiedIntakeFile> | null,
    options: TgSubmitOptions,
    metadata: FlatMetadata,
    auth: AuthenticatedUser,
    organization: Organization,
    archive: TgSubmitOutcome['archive'],
    headers: AnswerHeaders,
  ): Promise<SubmissionRecord> {
    await takeSubmissionQuota(this.quotas, this.config, auth.user, candidate.sid, headers).catch((error: unknown) => {
      throw tgQuotaRefusal(error, this.clock.now()) ?? error;
    });
    let loaded: LoadedFile<IdentifiedIntakeFile> | null = upload;
    try {
      loaded ??= await this.loader.load({ multipart: false, upload: null, sha256: candidate.sha256, url: null, data: {}, userClassification: auth.user.classification });
      const params = tgSubmissionParams(options, candidate.name, auth, this.config, this.engine);
      return await this.fileSubmission.submit({
        sid: candidate.sid,
        userClassification: auth.user.classification,
        params,
        loaded,
        requestedName: candidate.name,
        metadata,
        now: this.clock.now(),
        threatgrid: this.sampleInfo(candidate, options, organization, archive),
      });
    } catch (error) {
      await this.quotas.refund(auth.uname, candidate.sid).catch(() => undefined);
      throw error;
    } finally {
      if (loaded && loaded !== upload) await discardIntakeFile(loaded.file);
    }
  }

  private sampleInfo(candidate: Candidate, options: TgSubmitOptions, organization: Organization, archive: TgSubmitOutcome['archive']): ThreatGridSampleInfo {
    return {
      organization: organization.name,
      tags: options.tags,
      private: options.private,
      vm: options.vm,
      playbook: options.playbook,
      network_exit: options.network_exit,
      classify: options.classify,
      submission_id: submissionIdOf(candidate.sid),
      archive: archive && { name: archive.filename, sha256: archive.sha256 },
    };
  }

  /**
   * Gives back the dedupe claims and rate entries of samples that were not made. The rate entries were all
   * taken under the first fresh sample's id (`rateMember`): as many of them go as samples were not made.
   */
  private async giveBack(unlaunched: Candidate[], rateMember: string, auth: AuthenticatedUser, organization: Organization): Promise<void> {
    if (!unlaunched.length) return;
    const windows = rateWindowsFor(this.config.threatgrid, auth.uname, organization.name);
    await Promise.all([
      ...unlaunched.map((candidate) => this.dedupe.release(organization.name, candidate.sha256, candidate.sid)),
      this.limiter.release(windows, rateMember, unlaunched.length),
    ]).catch((error: unknown) => this.logger.warn({ error: String(error) }, 'could not give back a refused submission\'s claims'));
  }
}

/** Size refusals in Threat Grid's envelope wording. */
export function asTgError(error: unknown): unknown {
  if (error instanceof FileTooLargeException) return new TgError(`The sample is too large (${error.size} > ${error.max} bytes).`, 413);
  return error;
}
