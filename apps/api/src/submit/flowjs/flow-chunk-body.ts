import { BadRequestException, HttpException, PayloadTooLargeException } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream';
import type { Filestore, StagedBlob } from '@hopper/filestore';
import { stageWithCap } from '../../intake/capped-stage';

/** The largest chunk accepted, whatever the uploader's chunk size (flow.js sends 1 MiB unless told). */
export const MAX_FLOW_CHUNK_BYTES = 64 * 1024 * 1024;
const MAX_FIELD_BYTES = 4096;
const MAX_PARTS = 32;

export interface FlowChunkBody {
  /** The form fields (flowChunkNumber, flowIdentifier, …). */
  fields: Record<string, string>;
  /** The `file` part, staged in the filestore; null when there was none. */
  staged: StagedBlob | null;
}

/**
 * The largest `file` part a chunk may have: flow.js's last chunk holds up to twice its chunk size (the
 * remainder joins it), within MAX_FLOW_CHUNK_BYTES. The fields come before the file in flow.js's form.
 */
function chunkCap(fields: Record<string, string>): number {
  const chunkSize = Number(fields.flowChunkSize);
  return Number.isSafeInteger(chunkSize) && chunkSize > 0 ? Math.min(2 * chunkSize, MAX_FLOW_CHUNK_BYTES) : MAX_FLOW_CHUNK_BYTES;
}

/**
 * Reads a flow.js chunk upload (multipart form: the flow fields and the chunk as the `file` part) as it
 * arrives: the chunk streams into the filestore's staging area, never into memory. A refused or broken body
 * leaves nothing staged.
 */
export function readFlowChunkBody(request: IncomingMessage, filestore: Filestore): Promise<FlowChunkBody> {
  if (!/^multipart\/form-data\b/i.test(request.headers['content-type'] ?? '')) {
    request.resume();
    return Promise.reject(new BadRequestException('Invalid content type: a flow.js chunk is sent as multipart/form-data'));
  }
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fieldSize: MAX_FIELD_BYTES, fieldNameSize: 64, parts: MAX_PARTS } });
    } catch (error) {
      request.resume();
      reject(new BadRequestException(`Invalid multipart body: ${(error as Error).message}`));
      return;
    }
    const fields: Record<string, string> = {};
    let upload: Promise<{ staged: StagedBlob }> | null = null;
    let failure: HttpException | null = null;
    const fail = (error: HttpException) => {
      failure ??= error;
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new BadRequestException(`The ${name} field is larger than ${MAX_FIELD_BYTES} bytes`));
      fields[name] = value;
    });
    parser.on('file', (name, stream) => {
      if (name !== 'file' || upload) {
        fail(new BadRequestException(name === 'file' ? 'Only one file part is allowed' : `Unknown file part "${name}": the chunk goes in "file"`));
        stream.resume();
        return;
      }
      upload = stageWithCap(
        stream,
        chunkCap(fields),
        async (body) => ({ staged: await filestore.stage(body) }),
        (size, max) => new PayloadTooLargeException(`The chunk is larger than ${max} bytes (${size} sent)`),
      );
      upload.catch(() => undefined); // awaited below; keeps an early failure from being "unhandled"
    });
    parser.on('partsLimit', () => fail(new BadRequestException(`Too many parts: at most ${MAX_PARTS}`)));

    let finished = false;
    const finish = async (parseError: HttpException | null) => {
      if (finished) return;
      finished = true;
      let staged: StagedBlob | null = null;
      try {
        staged = upload ? (await upload).staged : null;
      } catch (error) {
        fail(error instanceof HttpException ? error : new BadRequestException(`Upload failed: ${(error as Error).message}`));
      }
      const refusal = parseError ?? failure;
      if (refusal) {
        await staged?.discard().catch(() => undefined);
        reject(refusal);
        return;
      }
      resolve({ fields, staged });
    };
    parser.on('error', (error: Error) => finish(new BadRequestException(`Invalid multipart body: ${error.message}`)));
    parser.on('close', () => finish(null));
    // pipeline(), not pipe(): a client that goes away mid-upload must end the parse (and free what it staged).
    pipeline(request, parser, () => undefined);
  });
}
