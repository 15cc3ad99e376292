import { BadRequestException, HttpException, HttpStatus } from '@nestjs/common';

/** One flow.js chunk request, as the UI's uploader sends it (query string on GET, form fields on POST). */
export interface FlowChunk {
  /** 1-based. */
  chunkNumber: number;
  /** The uploader's usual chunk size (its last chunk may be up to twice that). */
  chunkSize: number;
  /** This chunk's size, when the uploader says. */
  currentChunkSize: number | null;
  totalSize: number;
  totalChunks: number;
  identifier: string;
  filename: string;
}

export const MISSING_FLOW_ARGUMENTS =
  'Required arguments missing. flowChunkNumber, flowChunkSize, flowTotalSize, flowIdentifier, flowFilename ' +
  'and flowTotalChunks should always be present.';
/** More chunks than this is not an upload flow.js would make of any file Hopper accepts. */
export const MAX_FLOW_CHUNKS = 100_000;

const REQUIRED = ['flowChunkNumber', 'flowChunkSize', 'flowTotalSize', 'flowIdentifier', 'flowFilename', 'flowTotalChunks'] as const;

/** Assemblyline's 412 when an argument is missing (flow.js always sends them all). */
export class MissingFlowArguments extends HttpException {
  constructor() {
    super(MISSING_FLOW_ARGUMENTS, HttpStatus.PRECONDITION_FAILED);
  }
}

function text(fields: Record<string, unknown>, key: string): string | null {
  const value = fields[key];
  return typeof value === 'string' && value !== '' ? value : null;
}

function count(fields: Record<string, unknown>, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = text(fields, key)!;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new BadRequestException(`${key} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** The chunk's arguments: 412 when one is missing (Assemblyline's check), 400 naming the first that is wrong. */
export function readFlowChunk(fields: Record<string, unknown>): FlowChunk {
  if (REQUIRED.some((key) => text(fields, key) === null)) throw new MissingFlowArguments();
  const totalChunks = count(fields, 'flowTotalChunks', 1, MAX_FLOW_CHUNKS);
  return {
    chunkNumber: count(fields, 'flowChunkNumber', 1, totalChunks),
    chunkSize: count(fields, 'flowChunkSize', 1),
    currentChunkSize: text(fields, 'flowCurrentChunkSize') === null ? null : count(fields, 'flowCurrentChunkSize', 0),
    totalSize: count(fields, 'flowTotalSize', 0),
    totalChunks,
    identifier: text(fields, 'flowIdentifier')!,
    filename: text(fields, 'flowFilename')!,
  };
}

/**
 * Assemblyline's `get_cache_name`: an upload is known by the first 36 characters of its flow identifier (the
 * UI uses a UUID), dashes made underscores. The UI starts the submission with the same identifier.
 */
export function flowCacheName(identifier: string): string {
  return identifier.slice(0, 36).replace(/-/g, '_');
}
