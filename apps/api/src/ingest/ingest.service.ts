import { BadRequestException, HttpException, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Queue } from 'bullmq';
import type { ClassificationEngine } from '@hopper/classification';
import { InvalidClassification } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { MetadataValidator } from '@hopper/metadata';
import { resolveSubmissionParams, SubmissionParams, SubmissionParamsInput } from '@hopper/profiles';
import { effectiveQuotaLimits, IngestTask, QUEUES, QueueName, Queues, randomId, SubmissionQuotas } from '@hopper/queues';
import type { AuthenticatedUser } from '../auth/auth.service';
import { isJsonObject } from '../http/strict-json';
import { commitIntakeFile, discardIntakeFile, IntakeFile } from '../intake/intake-file';
import { FileTooLargeException, readMultipartSubmission, UploadedFile } from '../intake/multipart-submission';
import { safeBasename } from '../intake/safe-filename';
import { setRemainingSubmissionQuota } from '../quotas/remaining-quota-header';
import { readIngestDataBlock } from './ingest-data-block';
import { buildIngestMetadata, cartHeaderMetadata } from './ingest-metadata';
import { fileSourceInput, LoadedFile, SubmittedFileLoader } from './submitted-file-loader';

export const HIGHER_CLASSIFICATION = "You cannot start a submission with higher classification then you're allowed to see";
const TYPE_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;
const DAY_MS = 24 * 3600 * 1000;

export interface IngestAnswer {
  ingest_id: string;
}

interface Received {
  data: Record<string, unknown>;
  upload: UploadedFile | null;
  multipart: boolean;
  /** The bin part's filename for a multipart request ('' when none); null for a JSON body. */
  uploadedFilename: string | null;
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
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(QUEUES) queues: Queues,
    private readonly files: FilesRepository,
    private readonly quotas: SubmissionQuotas,
    private readonly loader: SubmittedFileLoader,
    private readonly metadata: MetadataValidator,
  ) {
    this.ingestQueue = queues.get(QueueName.Ingest)!;
  }

  async ingest(request: Request, response: Response, auth: AuthenticatedUser): Promise<IngestAnswer> {
    const { data, upload, multipart, uploadedFilename } = await this.receive(request);
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
      });
      const params = this.resolveParams(data, auth, loaded);
      // Seed 000: past max_file_size only with ignore_size (the intake let it through up to max_upload_bytes).
      const size = loaded.file.digests.size;
      if (size > this.config.submission.max_file_size && !params.ignore_size && !loaded.known) {
        throw new FileTooLargeException(size, this.config.submission.max_file_size);
      }
      const name = this.finalName(loaded, block.name);
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
          params: params as unknown as Record<string, unknown>,
          notification: { queue: block.notificationQueue, threshold: block.notificationThreshold },
          scan_key: null,
        },
        retries: 0,
        failure: '',
        extended_scan: 'submitted',
        quota_held: this.quotas.enforced,
      };
      await this.takeQuota(auth, ingestId, response);
      try {
        await this.store(loaded.file, params, now);
        await this.ingestQueue.add(QueueName.Ingest, task, this.jobOptions(ingestId));
      } catch (error) {
        await this.quotas.refund(auth.uname, ingestId).catch(() => undefined);
        throw error;
      }
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

  /** The data block and the uploaded file: multipart (`json` + `bin`) or a JSON body. */
  private async receive(request: Request): Promise<Received> {
    const contentType = request.headers['content-type'] ?? '';
    if (/multipart\/form-data/i.test(contentType)) {
      const { json, file, binFilename } = await readMultipartSubmission(request, this.filestore, {
        maxJsonBytes: this.config.api.max_json_body,
        maxFileBytes: this.config.submission.max_file_size,
        maxFileBytesIgnoringSize: this.loader.maxFileBytesIgnoringSize(),
      });
      return { data: json, upload: file, multipart: true, uploadedFilename: binFilename ?? '' };
    }
    if (/application\/json/i.test(contentType)) {
      const body: unknown = request.body ?? {};
      if (!isJsonObject(body)) throw new BadRequestException('The JSON body must be a JSON object');
      return { data: body, upload: null, multipart: false, uploadedFilename: null };
    }
    throw new BadRequestException('Invalid content type');
  }

  private resolveParams(data: Record<string, unknown>, auth: AuthenticatedUser, loaded: LoadedFile): SubmissionParams {
    if (data.params !== undefined && data.params !== null && !isJsonObject(data.params)) {
      throw new BadRequestException('params should be an object');
    }
    const { params } = resolveSubmissionParams({
      endpoint: 'ingest',
      config: this.config,
      user: {
        uname: auth.uname,
        roles: auth.roles,
        groups: auth.user.groups,
        classification: auth.user.classification,
        submission_profiles: auth.user.submission_settings as Record<string, SubmissionParamsInput>,
      },
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
    if (loaded.minimumClassification) {
      params.classification = this.engine.max(params.classification, loaded.minimumClassification);
    }
    for (const service of loaded.selectServices) {
      if (!params.services.selected.includes(service)) params.services.selected.push(service);
    }
    const cartClassification = loaded.file.cart?.classification;
    if (cartClassification !== undefined && cartClassification !== params.classification) {
      try {
        params.classification = this.engine.max(cartClassification, params.classification);
      } catch (error) {
        if (!(error instanceof InvalidClassification)) throw error;
        throw new BadRequestException(
          'The classification found inside the cart file cannot be merged with ' +
            `the classification the file was submitted as: ${error.message}`,
        );
      }
    }
    return params;
  }

  /** The CaRT header's name wins (reduced to a safe basename too), then a file source's, then the request's. */
  private finalName(loaded: LoadedFile, requested: string): string {
    const fromCart = loaded.file.cart?.name ? safeBasename(loaded.file.cart.name) : '';
    const fromSource = loaded.name ? safeBasename(loaded.name) : '';
    return fromCart || fromSource || requested;
  }

  private async takeQuota(auth: AuthenticatedUser, ingestId: string, response: Response): Promise<void> {
    const limits = effectiveQuotaLimits(auth.user, this.config.ui.default_quotas);
    const decision = await this.quotas.tryAcquire(auth.uname, limits, ingestId);
    setRemainingSubmissionQuota(response, decision.remainingDaily);
    if (!decision.ok) throw new HttpException(decision.error, 503);
  }

  /** The blob under its sha256, then its document saved or freshened (classification raised, life extended). */
  private async store(file: IntakeFile, params: SubmissionParams, now: Date): Promise<void> {
    await commitIntakeFile(file);
    const { digests } = file;
    await this.files.recordSeen(
      {
        sha256: digests.sha256,
        md5: digests.md5,
        sha1: digests.sha1,
        size: digests.size,
        entropy: digests.entropy,
        type: file.type,
        magic: file.magic,
        mime: file.mime,
        classification: params.classification,
      },
      now,
      params.ttl > 0 ? new Date(now.getTime() + params.ttl * DAY_MS) : null,
      (stored, seen) => this.engine.max(stored, seen),
    );
  }
}
