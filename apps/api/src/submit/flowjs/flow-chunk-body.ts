import { BadRequestException, PayloadTooLargeException } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import type { Filestore, StagedBlob } from '@hopper/filestore';
import { MULTIPART_MESSAGES, readMultipartForm } from '../../intake';

/** The largest chunk accepted, whatever the uploader's chunk size (flow.js sends 1 MiB unless told). */
export const MAX_FLOW_CHUNK_BYTES = 64 * 1024 * 1024;
const MAX_FIELD_BYTES = 4096;
const MAX_PARTS = 32;
const MESSAGES = MULTIPART_MESSAGES.flowChunk;

export interface FlowChunkBody {
  /** The form fields (flowChunkNumber, flowIdentifier, …); the last value of a repeated one. */
  fields: Record<string, string>;
  /** The `file` part, staged in the filestore; null when there was none. */
  staged: StagedBlob | null;
}

/**
 * The largest `file` part a chunk may have: flow.js's last chunk holds up to twice its chunk size (the
 * remainder joins it), within MAX_FLOW_CHUNK_BYTES. The fields come before the file in flow.js's form.
 */
function chunkCap(fields: Map<string, string[]>): number {
  const chunkSize = Number(fields.get('flowChunkSize')?.at(-1));
  return Number.isSafeInteger(chunkSize) && chunkSize > 0 ? Math.min(2 * chunkSize, MAX_FLOW_CHUNK_BYTES) : MAX_FLOW_CHUNK_BYTES;
}

/**
 * Reads a flow.js chunk upload (multipart form: the flow fields and the chunk as the `file` part) with the one
 * multipart reader: the chunk streams into the filestore's staging area (not hashed: the assembled file is),
 * never into memory. A refused or broken body leaves nothing staged.
 */
export async function readFlowChunkBody(request: IncomingMessage, filestore: Filestore): Promise<FlowChunkBody> {
  const { fields, files } = await readMultipartForm(request, {
    messages: MESSAGES,
    maxFieldBytes: MAX_FIELD_BYTES,
    limits: { fieldNameBytes: 64, parts: MAX_PARTS },
    admitFile: (name, _filename, form) => {
      if (name !== 'file') throw new BadRequestException(MESSAGES.unknownFilePart(name));
      if (form.fileParts.includes('file')) throw new BadRequestException(MESSAGES.onlyOneFile);
      return { maxBytes: chunkCap(form.fields), tooLarge: (size, max) => new PayloadTooLargeException(MESSAGES.chunkTooLarge(size, max)) };
    },
    stage: async (body) => ({ staged: await filestore.stage(body) }),
  });
  return { fields: Object.fromEntries([...fields].map(([name, values]) => [name, values.at(-1)!])), staged: files[0]?.staged ?? null };
}
