import { isCart } from '../cart/cart-format';
import { loadLibmagic } from './libmagic';
import { typeFromMagic } from './magic-patterns';
import { guessTextType } from './text-guess';
import { TRUSTED_MIMES } from './trusted-mimes';
import { typeFromZipEntries, zipEntryNames } from './zip-contents';

export interface FileType {
  /** Assemblyline type, e.g. `executable/windows/pe32`, `archive/cart`, `text/plain`, `unknown`. */
  type: string;
  /** libmagic's description. */
  magic: string;
  /** libmagic's MIME type. */
  mime: string;
}

/** Text and code are told apart from this much of the head (regexes over more would only cost time). */
const TEXT_SAMPLE = 64 * 1024;

function looksLikeText(mime: string, magic: string): boolean {
  return mime.startsWith('text/') || /\btext\b/i.test(magic);
}

/**
 * Identifies a file from its head (the first bytes, e.g. 64 KiB captured while streaming; never the whole
 * file). Order, as in Assemblyline: CaRT header check, then MIME types libmagic is trusted on, then the
 * description patterns, then zip contents, then content checks where libmagic only says "text".
 */
export async function identifyHead(head: Buffer): Promise<FileType> {
  const libmagic = await loadLibmagic();
  const magic = head.length === 0 ? 'empty' : libmagic.describe(head);
  const mime = head.length === 0 ? 'application/x-empty' : libmagic.mimeType(head);
  return { type: assemblylineType(head, magic, mime), magic, mime };
}

export function assemblylineType(head: Buffer, magic: string, mime: string): string {
  if (head.length === 0) return 'empty';
  if (isCart(head)) return 'archive/cart';
  let type = TRUSTED_MIMES[mime] ?? typeFromMagic(magic);
  if (type === 'archive/zip' || (type === null && mime === 'application/zip')) {
    type = typeFromZipEntries(zipEntryNames(head)) ?? 'archive/zip';
  }
  if ((type === null || type === 'text/plain') && looksLikeText(mime, magic)) {
    type = guessTextType(head.subarray(0, TEXT_SAMPLE).toString('latin1')) ?? 'text/plain';
  }
  return type ?? 'unknown';
}
