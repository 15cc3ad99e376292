import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { AnswerHeaders } from '../http/answer-headers';
import { Queue } from 'bullmq';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { MetadataValidator } from '@hopper/metadata';
import { resolveSubmissionParams, SubmissionParams, SubmissionParamsInput } from '@hopper/profiles';
import { FileGuard, IngestTask, PendingFiles, QUEUES, QueueName, Queues, randomId, SubmissionQuotas } from '@hopper/queues';
import type { AuthenticatedUser } from '../auth/auth.service';
import { isJsonObject } from '../http/strict-json';
import { submittedFileName } from '../intake/cart-identity';
import { commitIntakeFile, discardIntakeFile } from '../intake/intake-file';
import { FileTooLargeException } from '../intake/multipart-submission';
import type { SubmissionBody } from '../intake/submission-body';
import { submittingUser } from '../intake/submitting-user';
import { takeSubmissionQuota } from '../quotas/take-submission-quota';
import { readIngestDataBlock } from './ingest-data-block';
import { ingestFileSighting } from './ingest-file-sighting';
import { buildIngestMetadata, cartHeaderMetadata } from '../intake/ingest-metadata';
import { applyFileOrigin, fileSourceInput, LoadedFile, SubmittedFileLoader } from '../intake/submitted-file-loader';

export const HIGHER_CLASSIFICATION = "You cannot start a submission with higher classification then you're allowed to see";
const TYPE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export interface IngestAnswer {
  ingest_id: string;
}

/**
 * `POST /api/v4/ingest/`: seed 000's `ingest_single_file`, step by step and with its messages, with profile
 * and metadata rules from the policy libraries. Every refusal happens before anything is written: the staged
 * upload is discarded, no file document, queue entry or quota is left. The answer is sent only once the task
 * is in the `ingest` queue.
 */
@Injectable()
export class IngestService {
  private readonly ingestQueue: Queue;

  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(QUEUES) queues: Queues,
    private readonly fileGuard: FileGuard,
    private readonly quotas: SubmissionQuotas,
    private readonly pending: PendingFiles,
    private readonly loader: SubmittedFileLoader,
    private readonly metadata: MetadataValidator,
  ) {
    this.ingestQueue = queues.get(QueueName.Ingest)!;
  }

  async ingest(body: SubmissionBody, headers: AnswerHeaders, auth: AuthenticatedUser): Promise<IngestAnswer> {
    const { upload, multipart, uploadedFilename } = body;
    const data = body.data ?? {};
    let loaded: LoadedFile | null = null;
    try {
      const block = readIngestDataBlock(data, uploadedFilename, multipart ? null : (fileSourceInput(data, this.config)?.input ?? null));
      loaded = await this.loader.load({
        multipart,
        upload,
        sha256: block.sha256,
        url: block.url,
        data,
        userClassification: auth.user.classification,
        identify: false,
      });
      const params = this.resolveParams(data, auth, loaded);
      // Seed 000: past max_file_size only with ignore_size (the intake let it through up to max_upload_bytes).
      const size = loaded.file.digests.size;
      if (size > this.config.submission.max_file_size && !params.ignore_size && !loaded.known) {
        throw new FileTooLargeException(size, this.config.submission.max_file_size);
      }
      const name = submittedFileName(loaded.file.cart, loaded.name, block.name);
      if (!this.engine.isAccessible(auth.user.classification, params.classification)) {
        throw new BadRequestException(HIGHER_CLASSIFICATION);
      }

      const ingestId = randomId();
      const now = new Date();
      const metadata = buildIngestMetadata({
        submitted: this.metadata.validate(data.metadata, { endpoint: 'ingest', type: params.type }).metadata,
        ingestId,
        type: params.type,
        cart: cartHeaderMetadata(loaded.file.cart),
        extra: loaded.extraMetadata,
        now,
      });
      params.description ||= `[${params.type}] Inspection of file: ${name}`;

      const task: IngestTask = {
        ingest_id: ingestId,
        ingest_time: now.toISOString(),
        submission: {
          sid: ingestId,
          time: now.toISOString(),
          files: [{ name, sha256: loaded.file.digests.sha256, size: loaded.file.digests.size }],
          metadata,
          params,
          notification: { queue: block.notificationQueue, threshold: block.notificationThreshold },
          scan_key: null,
        },
        retries: 0,
        failure: '',
        extended_scan: 'submitted',
        quota_held: this.quotas.enforced,
        // The ingester records the sighting in `files` (batched): the request path writes to Redis and the filestore only.
        // Without a type unless the API knew it: the ingester identifies the stored blob, off the request path.
        file_sighting: ingestFileSighting(loaded.file, params.classification, params.ttl, now),
      };
      // Ingest counts against the async pool (submission_async_quota), as Assemblyline's does; the ingester
      // releases it from there when the ingest ends.
      await takeSubmissionQuota(this.quotas, this.config, auth.user, ingestId, headers, 'async');
      try {
        // Under the file's guard, so an expiry deletion of the same file cannot interleave with the commit; the
        // ingester records the document (and checks the blob is still there) under the guard as well. A file
        // the filestore already holds (a sha256 ingest) has nothing to commit: the ingester's check under the
        // guard is what protects it, so its request skips the guard's two round trips.
        // Until the ingester records it, a sha256 lookup must see the file at this classification; a known file
        // already classified as high needs no pending record. The record follows the commit, written by the
        // script that releases the guard (one round trip for both).
        const known = loaded.known?.classification;
        const sighting = task.file_sighting!;
        const remember = known === undefined || this.engine.max(known, params.classification) !== known;
        const intake = loaded.file;
        if (intake.staged) {
          await this.fileGuard.sighting(intake.digests.sha256, () => commitIntakeFile(intake), remember ? this.pending.fieldOf(sighting) : undefined);
        } else if (remember) {
          await this.pending.remember(sighting);
        }
        await this.ingestQueue.add(QueueName.Ingest, task, this.jobOptions(ingestId));
      } catch (error) {
        await this.quotas.refund(auth.uname, ingestId, 'async').catch(() => undefined);
        throw error;
      }
      await this.quotas.confirm(auth.uname, ingestId, 'async'); // queued: the lease becomes a hold
      return { ingest_id: ingestId };
    } finally {
      if (loaded) await discardIntakeFile(loaded.file);
      else if (upload) await upload.staged.discard().catch(() => undefined);
    }
  }

  /** Job id = ingest_id; the ingester retries a failed attempt `max_retries` times, `retry_delay_seconds` apart. */
  private jobOptions(ingestId: string) {
    const { max_retries, retry_delay_seconds } = this.config.core.ingester;
    return { jobId: ingestId, attempts: max_retries + 1, backoff: { type: 'fixed', delay: retry_delay_seconds * 1000 } };
  }

  private resolveParams(data: Record<string, unknown>, auth: AuthenticatedUser, loaded: LoadedFile): SubmissionParams {
    if (data.params !== undefined && data.params !== null && !isJsonObject(data.params)) {
      throw new BadRequestException('params should be an object');
    }
    const { params } = resolveSubmissionParams({
      endpoint: 'ingest',
      config: this.config,
      user: submittingUser(auth),
      request: {
        submission_profile: data.submission_profile as string | undefined,
        params: data.params as SubmissionParamsInput | undefined,
        generate_alert: data.generate_alert,
      },
      classification: this.engine,
    });
    const type = data.type;
    if (type !== undefined && type !== null) {
      if (typeof type !== 'string' || !TYPE_PATTERN.test(type)) {
        throw new BadRequestException('type should be 1 to 64 letters, digits, dots, dashes or underscores');
      }
      params.type = type;
    }
    applyFileOrigin(params, loaded, this.engine);
    return params;
  }
}
