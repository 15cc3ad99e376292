import { BadRequestException, ForbiddenException, Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ClassificationEngine } from '@hopper/classification';
import { CLASSIFICATION_ENGINE, HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FileRecord, SubmissionRecord, SubmissionsRepository } from '@hopper/datastore';
import { createCartEncoder } from '@hopper/identify';
import type { AuthenticatedUser } from '../auth/auth.service';
import { DEFAULT_DOWNLOAD_ENCODING, DEFAULT_ZIP_PASSWORD, DownloadQuery, parseDownloadOptions } from './download-options';
import { encryptedZip } from './encrypted-zip';
import { FILE_NOT_FOUND } from './file-messages';
import { VisibleFiles } from './visible-files';

/** A download ready to stream: its bytes (not read yet), the attachment's name and, when known, its length. */
export interface PreparedDownload {
  body: Readable;
  filename: string;
  length: number | null;
}

/**
 * `GET /api/v4/file/download/<sha256>/`, as Assemblyline's `download_file`: the file raw, CaRT-encoded
 * (its header carrying the name, the submission's metadata when a visible `sid` is given, and the
 * classification when the scheme is enforced) or in a password-protected zip. Every check runs before
 * the first byte is read, so a refusal is a clean 4xx; the bytes then stream from the filestore.
 */
@Injectable()
export class FileDownloads {
  constructor(
    private readonly visible: VisibleFiles,
    private readonly submissions: SubmissionsRepository,
    @Inject(CLASSIFICATION_ENGINE) private readonly engine: ClassificationEngine,
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
  ) {}

  async prepare(auth: AuthenticatedUser, sha256: string, query: DownloadQuery): Promise<PreparedDownload> {
    const record = await this.visible.get(auth, sha256, FILE_NOT_FOUND);
    // Users have no saved download settings in Hopper yet: Assemblyline's defaults, and the configured password.
    const options = parseDownloadOptions(query, record.sha256, {
      encoding: DEFAULT_DOWNLOAD_ENCODING,
      zipPassword: this.config.ui.default_zip_password ?? DEFAULT_ZIP_PASSWORD,
    });
    if ('error' in options) throw new BadRequestException(options.error);
    const submission = options.sid ? await this.relatedSubmission(auth, record, options.sid) : null;
    const content = await this.visible.open(record, FILE_NOT_FOUND);
    switch (options.encoding) {
      case 'raw':
        return { body: content, filename: options.name, length: record.size };
      case 'zip':
        return { body: encryptedZip(content, options.name, options.password, options.zipEncryption), filename: `${options.name}.zip`, length: null };
      case 'cart': {
        const encoder = createCartEncoder({ header: this.cartHeader(record, options.name, submission) });
        // Either side failing, or the client going away (the response destroys the encoder), ends both.
        pipeline(content, encoder.stream).catch(() => undefined);
        return { body: encoder.stream, filename: `${options.name}.cart`, length: null };
      }
    }
  }

  /**
   * The submission `sid` names, checked as Assemblyline checks it whatever the encoding: 403 when the file is
   * not one of its files (submitted, or with results or errors in it); 404, as if absent, when the caller may
   * not see it (Assemblyline would go on without its metadata).
   */
  private async relatedSubmission(auth: AuthenticatedUser, record: FileRecord, sid: string): Promise<SubmissionRecord> {
    const submission = await this.submissions.findBySid(sid);
    if (!submission || !this.visible.maySee(auth, submission.classification)) {
      throw new NotFoundException(`Submission ${sid} was not found in the system.`);
    }
    const related = [
      ...submission.files.map((file) => file.sha256),
      ...submission.results.map((key) => key.slice(0, 64)),
      ...submission.errors.map((key) => key.slice(0, 64)),
    ];
    if (!related.includes(record.sha256)) throw new ForbiddenException(`File ${record.sha256} is not associated to submission ${sid}.`);
    return submission;
  }

  /** Assemblyline's CaRT header: the submission's metadata, the classification when the scheme is enforced, the name. */
  private cartHeader(record: FileRecord, name: string, submission: SubmissionRecord | null): Record<string, unknown> {
    const header: Record<string, unknown> = { ...submission?.metadata };
    if (this.engine.enforce) {
      header.classification = submission ? this.engine.max(submission.classification, record.classification) : record.classification;
    }
    header.name = name;
    return header;
  }
}
