import { BadRequestException } from '@nestjs/common';
import type { Readable } from 'node:stream';
import { queryInteger, queryValue } from '../http/query-value';
import { hexBytes, hexDump } from './hex-dump';
import { PrintableStrings } from './printable-strings';
import { readHead, scanHead } from './read-blob';

// Assemblyline reads the whole file into memory; Hopper streams the first part of any file and caps what it
// answers instead.
/** Bytes of a file the strings route scans. */
export const STRINGS_MAX_SCAN_BYTES = 64 * 1024 * 1024;
/** Characters the strings route answers at most. */
export const STRINGS_MAX_CHARS = 4 * 1024 * 1024;
/** Assemblyline's default `len`. */
export const STRINGS_DEFAULT_MIN_LENGTH = 6;
/** Assemblyline's API_MAX_SIZE: the bytes the hex and ascii routes show, and the hex route's default `bytes`. */
export const CONTENT_MAX_BYTES = 1024 * 1024;

/**
 * What Assemblyline's strings, hex and ascii routes answer: the text, and whether it stops short of the whole
 * file (`truncated`).
 */
export interface ContentView {
  content: string;
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
  return { content: scan.finish(), truncated: scan.truncated || size > STRINGS_MAX_SCAN_BYTES };
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
    bytes: checked(queryInteger('bytes', query.bytes, { fallback: CONTENT_MAX_BYTES, min: 1, max: CONTENT_MAX_BYTES })),
    length: checked(queryInteger('length', query.length, { fallback: 16, min: 1, max: 64 })),
    // Flask style, as Assemblyline reads it: present and empty, or "true".
    bytesOnly: flag === '' || flag === 'true',
  };
}

export async function hexView(content: Readable, size: number, options: HexOptions): Promise<ContentView> {
  const head = await readHead(content, options.bytes);
  return { content: options.bytesOnly ? hexBytes(head) : hexDump(head, options.length), truncated: size > head.length };
}

/** Assemblyline's ascii view: the first MiB, printable ASCII, tab, line feed and carriage return as they are, any other byte a dot. */
export async function asciiView(content: Readable, size: number): Promise<ContentView> {
  const head = await readHead(content, CONTENT_MAX_BYTES);
  const text = Array.from(head, (byte) => ((byte >= 0x20 && byte <= 0x7e) || byte === 0x09 || byte === 0x0a || byte === 0x0d ? String.fromCharCode(byte) : '.')).join('');
  return { content: text, truncated: size > head.length };
}
