import { BadRequestException, HttpException } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import type { Filestore } from '@hopper/filestore';
import { stageMeasured } from '@hopper/identify';
import { stageWithCap } from '../../intake/capped-stage';
import { FileTooLargeException, UploadedFile } from '../../intake/multipart-submission';

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

/**
 * Reads a Threat Grid submission (text fields, then the file part `sample`) as it arrives: the file streams
 * into the filestore's staging area, hashed on the way, never held in memory. A refusal discards it.
 */
export function readTgMultipart(request: IncomingMessage, filestore: Filestore, options: TgMultipartOptions): Promise<TgMultipart> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fieldSize: options.maxFieldBytes, fieldNameSize: 128, parts: MAX_PARTS } });
    } catch (error) {
      reject(new BadRequestException(`Invalid multipart body: ${(error as Error).message}`));
      return;
    }
    const fields = new Map<string, string[]>();
    let authenticated: Promise<void> | null = null;
    let sample: Promise<UploadedFile> | null = null;
    let failure: HttpException | null = null;
    const fail = (error: unknown) => {
      failure ??= error instanceof HttpException ? error : new BadRequestException(`Upload failed: ${(error as Error).message}`);
    };
    const authenticateOnce = () => (authenticated ??= options.authenticate(fields));

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new BadRequestException(`The field ${name} is larger than ${options.maxFieldBytes} bytes`));
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== SAMPLE_PART || sample || failure) {
        if (name !== SAMPLE_PART) fail(new BadRequestException(`Unknown file part "${name}": the file goes in "sample"`));
        else if (sample) fail(new BadRequestException('Only one sample part is allowed'));
        stream.resume();
        return;
      }
      const filename = info.filename ?? '';
      sample = authenticateOnce().then(
        () =>
          stageWithCap(stream, options.maxFileBytes, (body) => stageMeasured(body, filestore), (size, max) => new FileTooLargeException(size, max)).then(
            (measured) => ({ filename, ...measured }),
          ),
        (error: unknown) => {
          stream.resume(); // refused before anything was stored: drain the rest
          throw error;
        },
      );
      sample.catch(() => undefined); // awaited in finish()
    });
    parser.on('partsLimit', () => fail(new BadRequestException(`Too many parts (at most ${MAX_PARTS})`)));
    parser.on('error', (error: Error) => finish(new BadRequestException(`Invalid multipart body: ${error.message}`)));
    parser.on('close', () => finish(null));

    let finished = false;
    async function finish(parseError: HttpException | null): Promise<void> {
      if (finished) return;
      finished = true;
      let staged: UploadedFile | null = null;
      try {
        staged = sample ? await sample : null;
        if (!parseError && !failure) await authenticateOnce();
      } catch (error) {
        fail(error);
      }
      const refusal = parseError ?? failure;
      if (refusal) {
        await staged?.staged.discard().catch(() => undefined);
        reject(refusal);
        return;
      }
      resolve({ fields, sample: staged });
    }

    pipeline(request, parser, () => undefined);
  });
}
