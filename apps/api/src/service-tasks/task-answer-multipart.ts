import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Filestore } from '@hopper/filestore';
import { MeasuredBlob, stageMeasured } from '@hopper/identify';
import { parseJsonObject } from '../http/strict-json';
import { MULTIPART_MESSAGES, readMultipartForm } from '../intake';

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

const MESSAGES = MULTIPART_MESSAGES.serviceResult;

/**
 * Reads an external service's answer posted as multipart/form-data with the one multipart reader: a `json`
 * part first (the answer, checked at once), then `extracted` and `supplementary` file parts, each streamed
 * through the one-pass measure into the filestore's staging area at most `maxFileBytes` of it, never held in
 * memory. Parts after a refusal are drained, not staged; any refusal discards everything staged, so a refused
 * answer leaves nothing behind.
 */
export async function readTaskAnswerMultipart<A>(request: IncomingMessage, filestore: Filestore, reading: TaskAnswerReading<A>): Promise<TaskAnswerParts<A>> {
  let answer: A | null = null;
  const names = new Map<string, string>(); // filename as sent → the name it is stored under
  const { files } = await readMultipartForm(request, {
    messages: { ...MESSAGES, tooManyFiles: () => MESSAGES.tooManyFiles(reading.maxFiles) },
    maxFieldBytes: reading.maxJsonBytes,
    // One file part past the allowance is let through to be refused by name; these caps bound a hostile body.
    limits: { fieldNameBytes: 64, fields: 4, files: reading.maxFiles + 1 },
    // The filename as sent: `files` in the json part names parts by it; the stored name is its safe basename.
    preservePath: true,
    admitField: (name, form) => {
      if (isFileKind(name)) throw new BadRequestException(MESSAGES.needsFilename(name));
      if (name !== 'json') throw new BadRequestException(MESSAGES.unknownPart(name));
      if (form.fields.has('json')) throw new BadRequestException(MESSAGES.onlyOneJson);
    },
    readField: (_name, value) => {
      answer = reading.readAnswer(parseJsonObject(value, 'json part'));
    },
    admitFile: (name, filename = '') => {
      if (!isFileKind(name)) throw new BadRequestException(MESSAGES.unknownPart(name));
      if (answer === null) throw new BadRequestException(MESSAGES.jsonFirst);
      const storedName = reading.admitFile(answer, name, filename);
      names.set(filename, storedName);
      return { maxBytes: reading.maxFileBytes, tooLarge: (size, max) => new PayloadTooLargeException(MESSAGES.fileTooLarge(name, filename, size, max)) };
    },
    complete: () => {
      if (answer === null) throw new BadRequestException(MESSAGES.missingJson);
    },
    stage: (body) => stageMeasured(body, filestore),
  });
  return {
    answer: answer!,
    files: files.map(({ digests, head, staged, part, filename }) => ({ digests, head, staged, kind: part as TaskFileKind, filename, name: names.get(filename)! })),
  };
}

/** Drops the staged bytes of posted files that will not be kept. */
export async function discardTaskFiles(files: readonly StagedTaskFile[]): Promise<void> {
  await Promise.all(files.map((file) => file.staged.discard().catch(() => undefined)));
}

function isFileKind(name: string): name is TaskFileKind {
  return (TASK_FILE_KINDS as readonly string[]).includes(name);
}
