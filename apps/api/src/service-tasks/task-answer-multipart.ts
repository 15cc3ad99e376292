import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import type { Filestore } from '@hopper/filestore';
import { MeasuredBlob, stageMeasured } from '@hopper/identify';
import { parseJsonObject } from '../http/strict-json';
import { stageWithCap } from '../intake/capped-stage';

export const TASK_FILE_KINDS = ['extracted', 'supplementary'] as const;
export type TaskFileKind = (typeof TASK_FILE_KINDS)[number];

/** A posted file: staged (not yet visible in the filestore) and measured, with the part it came in. */
export interface StagedTaskFile extends MeasuredBlob {
  kind: TaskFileKind;
  /** The part's filename as sent (what `files` in the json part names it by). */
  filename: string;
  /** The name it is stored under. */
  name: string;
}

export interface TaskAnswerParts<A> {
  answer: A;
  files: StagedTaskFile[];
}

export interface TaskAnswerReading<A> {
  maxJsonBytes: number;
  maxFileBytes: number;
  /** The most file parts the answer may have (more are refused as soon as one more arrives). */
  maxFiles: number;
  /** Checks the json part as soon as it arrives, before any file is staged; throws the refusal. */
  readAnswer(json: Record<string, unknown>): A;
  /** Admits a file part before it is staged and answers the name to store it under; throws the refusal. */
  admitFile(answer: A, kind: TaskFileKind, filename: string): string;
}

const EXPECTED = 'expected json, then extracted and supplementary file parts';

/**
 * Reads an external service's answer posted as multipart/form-data: a `json` part first (the answer, checked at
 * once), then `extracted` and `supplementary` file parts, each streamed through the one-pass measure into the
 * filestore's staging area at most `maxFileBytes` of it, never held in memory. Parts after a refusal are
 * drained, not staged; any refusal discards everything staged, so a refused answer leaves nothing behind.
 */
export function readTaskAnswerMultipart<A>(request: IncomingMessage, filestore: Filestore, reading: TaskAnswerReading<A>): Promise<TaskAnswerParts<A>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: request.headers,
        // One file part past the allowance is let through to be refused by name; these caps bound a hostile body.
        limits: { fieldSize: reading.maxJsonBytes, fieldNameSize: 64, fields: 4, files: reading.maxFiles + 1 },
        // The filename as sent: `files` in the json part names parts by it; the stored name is its safe basename.
        preservePath: true,
      });
    } catch (error) {
      request.resume();
      reject(new BadRequestException(`Invalid multipart body: ${(error as Error).message}`));
      return;
    }
    let answer: A | null = null;
    let jsonSeen = false;
    const staging: Promise<StagedTaskFile>[] = [];
    let failure: HttpException | null = null;
    const fail = (error: unknown) => {
      failure ??= error instanceof HttpException ? error : new BadRequestException(`Upload failed: ${(error as Error).message}`);
    };

    parser.on('field', (name, value, info) => {
      if (failure) return;
      if (isFileKind(name)) return fail(new BadRequestException(`The ${name} part needs a filename`));
      if (name !== 'json') return fail(new BadRequestException(`Unknown part "${name}": ${EXPECTED}`));
      if (jsonSeen) return fail(new BadRequestException('Only one json part is allowed'));
      jsonSeen = true;
      if (info.valueTruncated) return fail(new BadRequestException(`The json part is larger than ${reading.maxJsonBytes} bytes`));
      try {
        answer = reading.readAnswer(parseJsonObject(value, 'json part'));
      } catch (error) {
        fail(error);
      }
    });
    parser.on('file', (name, stream, info) => {
      if (!failure) {
        if (!isFileKind(name)) fail(new BadRequestException(`Unknown part "${name}": ${EXPECTED}`));
        else if (answer === null) fail(new BadRequestException('The json part must come first, before the file parts'));
      }
      if (failure) {
        stream.resume();
        return;
      }
      const kind = name as TaskFileKind;
      const filename = info.filename ?? '';
      let storedName: string;
      try {
        storedName = reading.admitFile(answer!, kind, filename);
      } catch (error) {
        fail(error);
        stream.resume();
        return;
      }
      const staged = stageWithCap(
        stream,
        reading.maxFileBytes,
        (body) => stageMeasured(body, filestore),
        (size, max) => new PayloadTooLargeException(`The ${kind} file ${filename} is too large (${size} > ${max} bytes)`),
      ).then((measured) => ({ ...measured, kind, filename, name: storedName }));
      staged.catch(fail); // a file that failed stops the staging of later ones
      staging.push(staged);
    });
    parser.on('fieldsLimit', () => fail(new BadRequestException(`Too many parts: ${EXPECTED}`)));
    parser.on('filesLimit', () => fail(new BadRequestException(`Too many file parts: this task allows at most ${reading.maxFiles}`)));
    parser.on('error', (error: Error) => finish(new BadRequestException(`Invalid multipart body: ${error.message}`)));
    parser.on('close', () => finish(null));

    let finished = false;
    async function finish(parseError: HttpException | null): Promise<void> {
      if (finished) return;
      finished = true;
      const settled = await Promise.allSettled(staging);
      const files = settled.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      for (const outcome of settled) if (outcome.status === 'rejected') fail(outcome.reason);
      const refusal = parseError ?? failure ?? (answer === null ? new BadRequestException('Missing the json part: it must come first') : null);
      if (refusal) {
        await discardTaskFiles(files);
        reject(refusal);
        return;
      }
      resolve({ answer: answer!, files });
    }

    // pipeline(), not pipe(): a service that goes away mid-upload must end the parse (and free what it staged).
    pipeline(request, parser, () => undefined);
  });
}

/** Drops the staged bytes of posted files that will not be kept. */
export async function discardTaskFiles(files: readonly StagedTaskFile[]): Promise<void> {
  await Promise.all(files.map((file) => file.staged.discard().catch(() => undefined)));
}

function isFileKind(name: string): name is TaskFileKind {
  return (TASK_FILE_KINDS as readonly string[]).includes(name);
}
