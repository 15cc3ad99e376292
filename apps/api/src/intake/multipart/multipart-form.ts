import { BadRequestException, HttpException } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PassThrough, pipeline } from 'node:stream';
import type { StagedBlob } from '@hopper/filestore';
import { outageOf } from '@hopper/observability';
import { stageWithCap } from '../capped-stage';
import { FormMessages, MULTIPART_MESSAGES } from './multipart-messages';
import { storageFault } from './storage-fault';

/** The form as read so far: every text part with all its values in order, and the file parts admitted. */
export interface FormSoFar {
  fields: Map<string, string[]>;
  /** The names of the file parts admitted so far, in order. */
  fileParts: string[];
}

/** How a file part admitted by its form is staged. */
export interface FileAdmission {
  /** The most bytes the part may have; past that the rest is only counted, so the refusal names the real size. */
  maxBytes: number;
  tooLarge(size: number, maxBytes: number): HttpException;
}

/** A file part, staged (not yet visible in the filestore: commit or discard), with the part it came in. */
export type StagedPart<T> = T & { part: string; filename: string };

export interface ReadForm<T> {
  fields: Map<string, string[]>;
  files: StagedPart<T>[];
}

/**
 * One route's form: its caps, its message table and its rules, applied to each part as it arrives. Every rule
 * throws its refusal (an HttpException); the first refusal is the answer, and what was staged is discarded.
 */
export interface MultipartForm<T extends { staged: StagedBlob }> {
  messages: FormMessages;
  /** The size rule of text parts: a longer value is refused with `messages.fieldTooLarge`. */
  maxFieldBytes: number;
  /** busboy's caps: they bound the work a hostile body can cause. */
  limits: { fieldNameBytes: number; parts?: number; fields?: number; files?: number };
  /** Keep the filename's path as sent (busboy keeps only the basename otherwise). */
  preservePath?: boolean;
  /** Admits a text part by its name, before its size is checked. */
  admitField?(name: string, form: FormSoFar): void;
  /** Reads an admitted text part's value once it passed the size rule (it is then kept in `fields`). */
  readField?(name: string, value: string, form: FormSoFar): void;
  /**
   * Admits a file part before its first byte is stored, and answers its cap. May wait (Threat Grid
   * authenticates here); checks that depend on the parts before it must run before its first await.
   */
  admitFile(name: string, filename: string | undefined, form: FormSoFar): FileAdmission | Promise<FileAdmission>;
  /** Checks the whole form once it is read without a refusal. */
  complete?(form: FormSoFar): void | Promise<void>;
  /** Stages an admitted file part's bytes (the one-pass measure, or plain staging). */
  stage(body: PassThrough): Promise<T>;
}

const MULTIPART = /^multipart\/form-data\b/i;

/**
 * The one multipart reader (ingest/submit, Threat Grid samples, service results, flow.js chunks): parts are
 * read as they arrive, each file part streams through `form.stage` into the filestore's staging area, capped
 * and never held in memory; a file part arriving after a refusal is drained, not staged. The answer is the
 * form, or the first refusal, with everything staged discarded, so a refused body leaves nothing behind. A
 * dependency outage met on the way (the filestore down) is thrown as itself, so it answers 503 + Retry-After.
 */
export function readMultipartForm<T extends { staged: StagedBlob }>(request: IncomingMessage, form: MultipartForm<T>): Promise<ReadForm<T>> {
  if (!MULTIPART.test(request.headers['content-type'] ?? '')) {
    request.resume();
    return Promise.reject(new BadRequestException(form.messages.notMultipart));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    const { limits, messages } = form;
    try {
      parser = busboy({
        headers: request.headers,
        limits: { fieldSize: form.maxFieldBytes, fieldNameSize: limits.fieldNameBytes, parts: limits.parts, fields: limits.fields, files: limits.files },
        preservePath: form.preservePath ?? false,
      });
    } catch (error) {
      request.resume();
      reject(new BadRequestException(MULTIPART_MESSAGES.any.invalidBody((error as Error).message)));
      return;
    }
    const soFar: FormSoFar = { fields: new Map(), fileParts: [] };
    const staging: Promise<StagedPart<T>>[] = [];
    let failure: HttpException | Error | null = null;
    // An outage (the filestore, or the database behind an authentication) stays itself: its answer is a 503. A
    // fault of the local filestore's disk is the server's (507 when full, else a 500), never the upload's 400.
    const fail = (error: unknown) => {
      failure ??=
        error instanceof HttpException || outageOf(error) !== null
          ? (error as Error)
          : (storageFault(error) ?? new BadRequestException(MULTIPART_MESSAGES.any.uploadFailed((error as Error).message)));
    };

    parser.on('field', (name, value, info) => {
      if (failure) return;
      try {
        form.admitField?.(name, soFar);
        if (info.valueTruncated) throw new BadRequestException(messages.fieldTooLarge(name, form.maxFieldBytes));
        form.readField?.(name, value, soFar);
        soFar.fields.set(name, [...(soFar.fields.get(name) ?? []), value]);
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, info) => {
      if (failure) {
        stream.resume();
        return;
      }
      let admission: Promise<FileAdmission>;
      try {
        admission = Promise.resolve(form.admitFile(name, info.filename, soFar));
      } catch (error) {
        fail(error);
        stream.resume();
        return;
      }
      soFar.fileParts.push(name);
      const filename = info.filename ?? '';
      const staged = admission.then(
        ({ maxBytes, tooLarge }) =>
          stageWithCap(stream, maxBytes, (body) => form.stage(body), tooLarge).then((blob): StagedPart<T> => ({ ...blob, part: name, filename })),
        (refusal: unknown) => {
          stream.resume(); // refused before anything was stored: drain the rest
          throw refusal;
        },
      );
      staged.catch(fail); // a part that failed stops the staging of later ones; awaited in finish()
      staging.push(staged);
    });
    const capped = (message: (max: number) => string, max: number | undefined) => () => fail(new BadRequestException(message(max ?? 0)));
    parser.on('partsLimit', capped(messages.tooManyParts, limits.parts));
    parser.on('fieldsLimit', capped(messages.tooManyFields ?? messages.tooManyParts, limits.fields));
    parser.on('filesLimit', capped(messages.tooManyFiles ?? messages.tooManyParts, limits.files));
    parser.on('error', (error: Error) => finish(new BadRequestException(MULTIPART_MESSAGES.any.invalidBody(error.message))));
    parser.on('close', () => finish(null));

    let finished = false;
    async function finish(parseError: HttpException | null): Promise<void> {
      if (finished) return;
      finished = true;
      const settled = await Promise.allSettled(staging);
      const files = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      for (const outcome of settled) if (outcome.status === 'rejected') fail(outcome.reason);
      if (!parseError && !failure) {
        try {
          await form.complete?.(soFar);
        } catch (error) {
          fail(error);
        }
      }
      const refusal = parseError ?? failure;
      if (refusal) {
        await Promise.all(files.map((file) => file.staged.discard().catch(() => undefined)));
        reject(refusal);
        return;
      }
      resolve({ fields: soFar.fields, files });
    }

    // pipeline(), not pipe(): a client that goes away mid-upload must end the parse (and free what it staged).
    pipeline(request, parser, () => undefined);
  });
}
