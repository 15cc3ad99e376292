import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import type { Filestore } from '@hopper/filestore';
import { parseJsonObject } from '../http/strict-json';
import { MeasuredBlob, stageMeasured } from './stage-measured';

/** The file part: staged but not yet visible in the filestore (commit under the sha256 or discard), measured. */
export interface UploadedFile extends MeasuredBlob {
  /** The file part's filename as sent (the caller reduces it to a safe name). */
  filename: string;
}

export interface MultipartSubmission {
  json: Record<string, unknown>;
  file: UploadedFile | null;
}

export interface MultipartLimits {
  maxJsonBytes: number;
  maxFileBytes: number;
}

export class FileTooLargeException extends HttpException {
  constructor(size: number, max: number) {
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
    let upload: Promise<UploadedFile> | null = null;
    let failure: HttpException | null = null;
    const fail = (error: HttpException) => {
      failure ??= error;
    };

    parser.on('field', (name, value, info) => {
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
      upload = stageCapped(stream, info.filename ?? '', filestore, limits.maxFileBytes);
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
        (jsonText === null ? new BadRequestException('Missing data block') : null);
      let json: Record<string, unknown> | null = null;
      if (!error) {
        try {
          json = parseJsonObject(jsonText!, 'json part');
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
      resolve({ json: json!, file });
    }

    request.pipe(parser);
  });
}

/**
 * Stages at most `maxBytes`; past that the staging stream is failed and the rest of the part is only
 * counted, so the 413 can name the real size as Assemblyline's does. Backpressure from the filestore
 * pauses the upload, so memory stays flat.
 */
function stageCapped(
  source: NodeJS.ReadableStream,
  filename: string,
  filestore: Filestore,
  maxBytes: number,
): Promise<UploadedFile> {
  const toStore = new PassThrough();
  let size = 0;
  let over = false;
  const ended = new Promise<void>((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over) return;
      if (size > maxBytes) {
        over = true;
        toStore.destroy(new FileTooLargeException(size, maxBytes));
        source.resume(); // it may be paused waiting for a drain that will never come
        return;
      }
      if (!toStore.write(chunk)) {
        source.pause();
        toStore.once('drain', () => !over && source.resume());
      }
    });
    source.on('end', () => {
      if (!over) toStore.end();
      resolve();
    });
    source.on('error', reject);
  });
  const staging = stageMeasured(toStore, filestore);
  return (async () => {
    let measured: MeasuredBlob;
    try {
      measured = await staging;
    } catch (error) {
      await ended.catch(() => undefined);
      if (over) throw new FileTooLargeException(size, maxBytes);
      throw error;
    }
    await ended;
    if (over) {
      await measured.staged.discard();
      throw new FileTooLargeException(size, maxBytes);
    }
    return { filename, ...measured };
  })();
}
