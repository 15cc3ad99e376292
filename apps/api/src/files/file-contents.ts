import { BadRequestException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { queryInteger, queryValue } from '../http/query-value';
import { hexBytes, hexDump } from './hex-dump';
import { PrintableStrings } from './printable-strings';
import { readHead, scanHead } from './read-blob';

// Assemblyline reads the whole file into memory and refuses files over 10 MiB; Hopper streams the first
// part of any file and caps what it answers instead.
/** Bytes of a file the strings route scans. */
export const STRINGS_MAX_SCAN_BYTES = 64 * 1024 * 1024;
/** Characters the strings route answers at most. */
export const STRINGS_MAX_CHARS = 4 * 1024 * 1024;
/** Assemblyline's default `len`. */
export const STRINGS_DEFAULT_MIN_LENGTH = 6;
/** Bytes the hex route dumps when `bytes` is not given, and at most. */
export const HEX_DEFAULT_BYTES = 4096;
export const HEX_MAX_BYTES = 1024 * 1024;

/** A view of the start of a file, and whether it stops short of the whole file. */
export interface ContentView {
  text: string;
  truncated: boolean;
}

function checked<T>(result: { value: T } | { error: string }): T {
  if ('error' in result) throw new BadRequestException(result.error);
  return result.value;
}

/** `len` of the strings route (the shortest string answered); 400 when it is not an integer from 1 to 1024. */
export function stringsMinLength(query: { len?: unknown }): number {
  return checked(queryInteger('len', query.len, { fallback: STRINGS_DEFAULT_MIN_LENGTH, min: 1, max: 1024 }));
}

export async function printableStrings(content: Readable, size: number, minLength: number): Promise<ContentView> {
  const scan = new PrintableStrings({ minLength, maxChars: STRINGS_MAX_CHARS });
  await scanHead(content, STRINGS_MAX_SCAN_BYTES, (chunk) => scan.push(chunk));
  return { text: scan.finish(), truncated: scan.truncated || size > STRINGS_MAX_SCAN_BYTES };
}

export interface HexOptions {
  bytes: number;
  /** Bytes per line (Assemblyline's `length`). */
  length: number;
  /** Only the bytes, as hex pairs (Assemblyline's `bytes_only`). */
  bytesOnly: boolean;
}

/** `bytes`, `length` and `bytes_only` of the hex route; 400 naming the parameter when out of range. */
export function hexOptions(query: { bytes?: unknown; length?: unknown; bytes_only?: unknown }): HexOptions {
  const flag = queryValue(query.bytes_only)?.trim().toLowerCase();
  return {
    bytes: checked(queryInteger('bytes', query.bytes, { fallback: HEX_DEFAULT_BYTES, min: 1, max: HEX_MAX_BYTES })),
    length: checked(queryInteger('length', query.length, { fallback: 16, min: 1, max: 64 })),
    // Flask style, as Assemblyline reads it: present and empty, or "true".
    bytesOnly: flag === '' || flag === 'true',
  };
}

export async function hexView(content: Readable, size: number, options: HexOptions): Promise<ContentView> {
  const head = await readHead(content, options.bytes);
  return { text: options.bytesOnly ? hexBytes(head) : hexDump(head, options.length), truncated: size > head.length };
}
