import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FilesRepository, SubmissionRecord, ThreatGridSampleInfo } from '@hopper/datastore';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { FileGuard } from '@hopper/queues';
import type { FlatMetadata } from '@hopper/metadata';
import type { SubmissionParams } from '@hopper/profiles';
import { buildSubmitMetadata, cartHeaderMetadata } from './ingest-metadata';
import { applyFileOrigin, LoadedFile } from './submitted-file-loader';
import { submittedFileName } from './cart-identity';
import { recordIntakeFile } from './record-intake-file';
import type { IdentifiedIntakeFile } from './intake-file';
import { SubmissionStarter } from '@hopper/lifecycle';

/** Submit's refusal of a classification above the caller's clearance (seed 000 says "scan", ingest "submission"). */
export const HIGHER_SCAN_CLASSIFICATION = "You cannot start a scan with higher classification then you're allowed to see";
export const EMPTY_SUBMISSION = 'File empty. Submission failed';

export interface FileSubmissionRequest {
  sid: string;
  /** The caller's clearance. */
  userClassification: string;
  /** Resolved, with submitter, quota_item and description set. */
  params: SubmissionParams;
  loaded: LoadedFile<IdentifiedIntakeFile>;
  /** The name asked for (a CaRT header's or a file source's wins over it). */
  requestedName: string;
  /** The request's metadata, validated. */
  metadata: FlatMetadata;
  now: Date;
  /** Threat Grid-compatible samples only: what the sample keeps of its request. */
  threatgrid?: ThreatGridSampleInfo;
}

/**
 * The end of submit and of the UI's start, Assemblyline's SubmissionClient way, for one file already taken
 * in (staged or known): its origin and CaRT header raise the classification, which the caller must still be
 * cleared for; an empty file, or one over max_file_size without ignore_size, is refused; then the file is
 * kept and recorded and the submission created and dispatched. Nothing is written before the last check.
 */
@Injectable()
export class FileSubmission {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    private readonly files: FilesRepository,
    private readonly fileGuard: FileGuard,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly starter: SubmissionStarter,
  ) {}

  async submit(request: FileSubmissionRequest): Promise<SubmissionRecord> {
    const { params, loaded, now } = request;
    applyFileOrigin(params, loaded, this.engine);
    if (!this.engine.isAccessible(request.userClassification, params.classification)) {
      throw new BadRequestException(HIGHER_SCAN_CLASSIFICATION);
    }
    const size = loaded.file.digests.size;
    const max = this.config.submission.max_file_size;
    if (size === 0) throw new BadRequestException(EMPTY_SUBMISSION);
    if (size > max && !params.ignore_size) throw new BadRequestException(`File too large (${size} > ${max}). Submission failed`);

    const name = submittedFileName(loaded.file.cart, loaded.name, request.requestedName);
    const metadata = buildSubmitMetadata({ submitted: request.metadata, extra: loaded.extraMetadata, cart: cartHeaderMetadata(loaded.file.cart) });
    await recordIntakeFile(this.files, this.filestore, this.fileGuard, this.engine, loaded.file, params.classification, params.ttl, now);
    const files = [{ name, sha256: loaded.file.digests.sha256, size }];
    return this.starter.start({ sid: request.sid, params, metadata, files, now, threatgrid: request.threatgrid }, { quotaLeased: true });
  }
}
