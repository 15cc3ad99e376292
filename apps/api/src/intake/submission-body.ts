import { BadRequestException } from '@nestjs/common';
import type { Request } from 'express';
import type { Filestore } from '@hopper/filestore';
import { isJsonObject } from '../http/strict-json';
import { MultipartLimits, readMultipartSubmission, UploadedFile } from './multipart-submission';

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
