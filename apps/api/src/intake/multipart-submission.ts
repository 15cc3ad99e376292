import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import type { Filestore } from '@hopper/filestore';
import { parseJsonObject } from '../http/strict-json';
import { stageWithCap } from './capped-stage';
import { MeasuredBlob, stageMeasured } from '@hopper/identify';

/** The file part: staged but not yet visible in the filestore (commit under the sha256 or discard), measured. */
export interface UploadedFile extends MeasuredBlob {
  /** The file part's filename as sent (the caller reduces it to a safe name). */
  filename: string;
}

export interface MultipartSubmission {
  json: Record<string, unknown>;
  file: UploadedFile | null;
  /**
   * The bin part's filename: as sent; '' for a bin part without a filename (Werkzeug's empty FileStorage,
   * which Assemblyline treats as no file); null when there was no bin part.
   */
  binFilename: string | null;
}

export interface MultipartLimits {
  maxJsonBytes: number;
  maxFileBytes: number;
  /**
   * The cap when the json part, sent before the file as clients do, sets `params.ignore_size` (Assemblyline
   * lets such a submission past max_file_size; the caller decides afterwards whether it may). Default: maxFileBytes.
   */
  maxFileBytesIgnoringSize?: number;
  /** When false, a body without a json part reads as an empty data block instead of "Missing data block". Default true. */
  jsonPartRequired?: boolean;
}

export class FileTooLargeException extends HttpException {
  constructor(
    readonly size: number,
    readonly max: number,
  ) {
    super(`File too large (${size} > ${max}). Ingestion failed`, HttpStatus.PAYLOAD_TOO_LARGE);
  }
}

const ALLOWED_PARTS = ['json', 'bin'];
const MAX_PARTS = 8;

/**
 * Reads an Assemblyline multipart submission (`json` part + `bin` file part) as it arrives: the file
 * streams through `hasher` into the filestore's staging area and is never held in memory. Any refusal
 * discards what was staged, so a refused upload leaves nothing behind.
 */
export function readMultipartSubmission(
  request: IncomingMessage,
  filestore: Filestore,
  limits: MultipartLimits,
): Promise<MultipartSubmission> {
  if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
    return Promise.reject(new BadRequestException('Invalid content type'));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // Counts are checked below, per part name; these caps only bound the work a hostile body can cause.
        limits: { fieldSize: limits.maxJsonBytes, fieldNameSize: 64, parts: MAX_PARTS },
      });
    } catch (error) {
      reject(new BadRequestException(`Invalid multipart body: ${(error as Error).message}`));
      return;
    }
    let jsonText: string | null = null;
    let binFilename: string | null = null;
    let upload: Promise<UploadedFile> | null = null;
    let failure: HttpException | null = null;
    const fail = (error: HttpException) => {
      failure ??= error;
    };

    parser.on('field', (name, value, info) => {
      // busboy reads a file part without a filename as a field; for `bin` that is "no file", as in Werkzeug.
      if (name === 'bin' && binFilename === null) {
        binFilename = '';
        return;
      }
      if (name !== 'json') return fail(new BadRequestException(`Unknown part "${name}": expected ${ALLOWED_PARTS.join(' and ')}`));
      if (info.valueTruncated) return fail(new BadRequestException(`The json part is larger than ${limits.maxJsonBytes} bytes`));
      if (jsonText !== null) return fail(new BadRequestException('Only one json part is allowed'));
      jsonText = value;
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'bin') {
        fail(new BadRequestException(`Unknown part "${name}": expected ${ALLOWED_PARTS.join(' and ')}`));
        stream.resume();
        return;
      }
      if (upload) {
        fail(new BadRequestException('Only one bin part is allowed'));
        stream.resume();
        return;
      }
      binFilename = info.filename ?? '';
      upload = stageCapped(stream, binFilename, filestore, fileCap(jsonText, limits));
      upload.catch(() => undefined); // awaited below; keeps an early failure from being "unhandled"
    });
    parser.on('partsLimit', () => fail(new BadRequestException('Too many parts: expected json and bin')));
    parser.on('error', (error: Error) => finish(new BadRequestException(`Invalid multipart body: ${error.message}`)));
    parser.on('close', () => finish(null));

    let finished = false;
    async function finish(parseError: HttpException | null): Promise<void> {
      if (finished) return;
      finished = true;
      let file: UploadedFile | null = null;
      try {
        file = upload ? await upload : null;
      } catch (error) {
        fail(error instanceof HttpException ? error : new BadRequestException(`Upload failed: ${(error as Error).message}`));
      }
      const error =
        parseError ??
        failure ??
        (jsonText === null && limits.jsonPartRequired !== false ? new BadRequestException('Missing data block') : null);
      let json: Record<string, unknown> | null = null;
      if (!error) {
        try {
          json = jsonText === null ? {} : parseJsonObject(jsonText, 'json part');
        } catch (invalid) {
          fail(invalid as HttpException);
        }
      }
      const refusal = error ?? failure;
      if (refusal) {
        await file?.staged.discard().catch(() => undefined);
        reject(refusal);
        return;
      }
      resolve({ json: json!, file, binFilename });
    }

    // pipeline(), not pipe(): a client that goes away mid-upload must end the parse (and free what it staged).
    pipeline(request, parser, () => undefined);
  });
}

/** The file cap, raised when the json part already read asks for ignore_size. */
function fileCap(jsonText: string | null, limits: MultipartLimits): number {
  if (jsonText === null || limits.maxFileBytesIgnoringSize === undefined) return limits.maxFileBytes;
  try {
    const params = parseJsonObject(jsonText, 'json part').params;
    const ignoreSize = typeof params === 'object' && params !== null && (params as Record<string, unknown>).ignore_size === true;
    return ignoreSize ? Math.max(limits.maxFileBytesIgnoringSize, limits.maxFileBytes) : limits.maxFileBytes;
  } catch {
    return limits.maxFileBytes; // refused later, with the json part's own error
  }
}

/** The bin part, staged and measured, at most `maxBytes` of it (see stageWithCap). */
function stageCapped(
  source: NodeJS.ReadableStream,
  filename: string,
  filestore: Filestore,
  maxBytes: number,
): Promise<UploadedFile> {
  return stageWithCap(
    source,
    maxBytes,
    (body) => stageMeasured(body, filestore),
    (size, max) => new FileTooLargeException(size, max),
  ).then((measured) => ({ filename, ...measured }));
}
