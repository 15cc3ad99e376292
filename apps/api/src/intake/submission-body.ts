import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore } from '@hopper/filestore';
import { CART_HEAD_BYTES } from '@hopper/identify';
import { isJsonObject } from '../http/strict-json';
import { MultipartLimits, readMultipartSubmission, UploadedFile } from './multipart-submission';
import { SubmittedFileLoader } from './submitted-file-loader';

/** The data block and the uploaded file of an Assemblyline submission request (ingest or submit). */
export interface SubmissionBody {
  /** The data block; null when a JSON request had no body (or `null`). */
  data: Record<string, unknown> | null;
  upload: UploadedFile | null;
  multipart: boolean;
  /** The bin part's filename for a multipart request ('' when none); null for a JSON body. */
  uploadedFilename: string | null;
}

export interface SubmissionBodyLimits extends MultipartLimits {
  /**
   * A multipart request must have a json part (ingest: "Missing data block"); when false, a missing one is an
   * empty data block (submit: `data = {}`).
   */
  jsonPartRequired: boolean;
}

/** Seed 000's first step: multipart (`json` + `bin`, streamed to staging) or a JSON body, else "Invalid content type". */
export async function readSubmissionBody(request: Request, filestore: Filestore, limits: SubmissionBodyLimits): Promise<SubmissionBody> {
  const contentType = request.headers['content-type'] ?? '';
  if (/multipart\/form-data/i.test(contentType)) {
    const { json, file, binFilename } = await readMultipartSubmission(request, filestore, limits);
    return { data: json, upload: file, multipart: true, uploadedFilename: binFilename ?? '' };
  }
  if (/application\/json/i.test(contentType)) {
    const body: unknown = request.body ?? null;
    if (body !== null && !isJsonObject(body)) throw new BadRequestException('The JSON body must be a JSON object');
    return { data: body, upload: null, multipart: false, uploadedFilename: null };
  }
  throw new BadRequestException('Invalid content type');
}

/** A submission request's body, read when the service asks for it, or drained when it will not be. */
export interface PendingSubmissionBody {
  read(): Promise<SubmissionBody>;
  /** The body is not needed (a refusal came first): drain it so the connection stays usable. */
  drain(): void;
}

/**
 * Reads ingest's and submit's bodies with the configured limits, so their controllers hand the services a
 * parsed body (or, for submit, which takes its quota slot before reading the upload, a pending one) and the
 * services never see the HTTP request.
 */
@Injectable()
export class SubmissionBodies {
  constructor(
    @Inject(HOPPER_CONFIG) private readonly config: HopperConfig,
    @Inject(FILESTORE) private readonly filestore: Filestore,
    private readonly loader: SubmittedFileLoader,
  ) {}

  /**
   * `jsonPartRequired`: ingest's "Missing data block" for a multipart body without a json part; submit reads `{}`.
   * `identify: false` (ingest, whose file the ingester identifies): the upload keeps only the head that tells a
   * CaRT, not the 64 KiB identification reads.
   */
  read(request: Request, jsonPartRequired: boolean, { identify = true }: { identify?: boolean } = {}): Promise<SubmissionBody> {
    return readSubmissionBody(request, this.filestore, {
      maxJsonBytes: this.config.api.max_json_body,
      maxFileBytes: this.config.submission.max_file_size,
      maxFileBytesIgnoringSize: this.loader.maxFileBytesIgnoringSize(),
      jsonPartRequired,
      headBytes: identify ? undefined : CART_HEAD_BYTES,
    });
  }

  pending(request: Request, jsonPartRequired: boolean): PendingSubmissionBody {
    return { read: () => this.read(request, jsonPartRequired), drain: () => void request.resume() };
  }
}
