import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Filestore } from '@hopper/filestore';
import { MeasuredBlob, stageMeasured } from '@hopper/identify';
import { parseJsonObject } from '../http/strict-json';
import { FormSoFar, readMultipartForm } from './multipart/multipart-form';
import { MULTIPART_MESSAGES } from './multipart/multipart-messages';

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
  /** How much of the file's start to keep (stageMeasured's `headBytes`). Default: what identification reads. */
  headBytes?: number;
}

const MESSAGES = MULTIPART_MESSAGES.submission;

export class FileTooLargeException extends HttpException {
  constructor(
    readonly size: number,
    readonly max: number,
  ) {
    super(MESSAGES.fileTooLarge(size, max), HttpStatus.PAYLOAD_TOO_LARGE);
  }
}

const MAX_PARTS = 8;

/**
 * Reads an Assemblyline multipart submission (`json` part + `bin` file part) with the one multipart reader:
 * the file streams through the one-pass measure into the filestore's staging area and is never held in
 * memory. Any refusal discards what was staged, so a refused upload leaves nothing behind.
 */
export async function readMultipartSubmission(request: IncomingMessage, filestore: Filestore, limits: MultipartLimits): Promise<MultipartSubmission> {
  let json: Record<string, unknown> = {};
  const once = (name: string, form: FormSoFar) => {
    if (form.fields.has(name) || form.fileParts.includes(name)) throw new BadRequestException(MESSAGES.onlyOne(name));
  };
  const { fields, files } = await readMultipartForm(request, {
    messages: MESSAGES,
    maxFieldBytes: limits.maxJsonBytes,
    limits: { fieldNameBytes: 64, parts: MAX_PARTS },
    // busboy reads a file part without a filename as a text part; for `bin` that is "no file", as in Werkzeug.
    admitField: (name, form) => {
      if (name !== 'json' && name !== 'bin') throw new BadRequestException(MESSAGES.unknownPart(name));
      once(name, form);
    },
    admitFile: (name, _filename, form) => {
      if (name !== 'bin') throw new BadRequestException(MESSAGES.unknownPart(name));
      once(name, form);
      return { maxBytes: fileCap(form.fields.get('json')?.[0] ?? null, limits), tooLarge: (size, max) => new FileTooLargeException(size, max) };
    },
    complete: (form) => {
      const jsonText = form.fields.get('json')?.[0];
      if (jsonText === undefined && limits.jsonPartRequired !== false) throw new BadRequestException(MESSAGES.missingJson);
      if (jsonText !== undefined) json = parseJsonObject(jsonText, 'json part');
    },
    stage: (body) => stageMeasured(body, filestore, limits.headBytes),
  });
  const [file] = files;
  return {
    json,
    file: file ? { digests: file.digests, head: file.head, staged: file.staged, filename: file.filename } : null,
    binFilename: file ? file.filename : fields.has('bin') ? '' : null,
  };
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
