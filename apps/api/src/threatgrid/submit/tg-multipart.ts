import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Filestore } from '@hopper/filestore';
import { stageMeasured } from '@hopper/identify';
import { FileTooLargeException, MULTIPART_MESSAGES, readMultipartForm, UploadedFile } from '../../intake';

export interface TgMultipart {
  /** Every text field, with all its values in order (`tags` may repeat). */
  fields: Map<string, string[]>;
  /** The `sample` file part, staged and measured; null when there was none. */
  sample: UploadedFile | null;
}

export interface TgMultipartOptions {
  maxFieldBytes: number;
  maxFileBytes: number;
  /**
   * Called once, when the `sample` part starts (or at the end when there is none), with the fields read so far:
   * clients send `api_key` before the file, so an unknown caller is refused before anything is stored.
   */
  authenticate: (fields: Map<string, string[]>) => Promise<void>;
}

const MAX_PARTS = 64;
const SAMPLE_PART = 'sample';
const MESSAGES = MULTIPART_MESSAGES.threatGrid;

/**
 * Reads a Threat Grid submission (text fields, then the file part `sample`) with the one multipart reader: the
 * file streams into the filestore's staging area, hashed on the way, never held in memory. A refusal discards it.
 */
export async function readTgMultipart(request: IncomingMessage, filestore: Filestore, options: TgMultipartOptions): Promise<TgMultipart> {
  let authenticated: Promise<void> | null = null;
  const authenticateOnce = (fields: Map<string, string[]>) => (authenticated ??= options.authenticate(fields));
  const { fields, files } = await readMultipartForm(request, {
    messages: MESSAGES,
    maxFieldBytes: options.maxFieldBytes,
    limits: { fieldNameBytes: 128, parts: MAX_PARTS },
    admitFile: (name, _filename, form) => {
      if (name !== SAMPLE_PART) throw new BadRequestException(MESSAGES.unknownFilePart(name));
      if (form.fileParts.includes(SAMPLE_PART)) throw new BadRequestException(MESSAGES.onlyOneSample);
      const cap = { maxBytes: options.maxFileBytes, tooLarge: (size: number, max: number) => new FileTooLargeException(size, max) };
      return authenticateOnce(form.fields).then(() => cap);
    },
    complete: (form) => authenticateOnce(form.fields),
    stage: (body) => stageMeasured(body, filestore),
  });
  const [sample] = files;
  return { fields, sample: sample ? { digests: sample.digests, head: sample.head, staged: sample.staged, filename: sample.filename } : null };
}
