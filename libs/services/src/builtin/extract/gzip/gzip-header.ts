import { sanitiseEntryName } from '../entry-name';

const FEXTRA = 0x04;
const FNAME = 0x08;

/** Enough of the head for any FNAME a real tool writes (FEXTRA alone may take 64 KiB). */
export const GZIP_HEAD_BYTES = 128 * 1024;

/**
 * The original file name a gzip header stores (FNAME, RFC 1952 §2.3: zero-terminated ISO 8859-1, after the
 * optional extra field), or null when it has none or it does not fit in `head`.
 */
export function gzipStoredName(head: Buffer): string | null {
  if (head.length < 10 || head[0] !== 0x1f || head[1] !== 0x8b) return null;
  const flags = head[3]!;
  if (!(flags & FNAME)) return null;
  let offset = 10;
  if (flags & FEXTRA) {
    if (head.length < 12) return null;
    offset += 2 + head.readUInt16LE(10);
  }
  const end = head.indexOf(0, offset);
  return end < 0 ? null : head.subarray(offset, end).toString('latin1');
}

/**
 * The decompressed file's name: the stored FNAME when there is one, else the archive's own name without
 * `.gz` (`.tgz` becomes `.tar`), else the archive's name with `.gunzip` added.
 */
export function gunzippedName(storedName: string | null, archiveName: string): string {
  const stored = storedName === null ? '' : sanitiseEntryName(storedName, '');
  if (stored) return stored;
  const parent = sanitiseEntryName(archiveName, 'file');
  const tgz = /^(.+)\.tgz$/i.exec(parent);
  if (tgz) return `${tgz[1]}.tar`;
  const gz = /^(.+)\.gz(ip)?$/i.exec(parent);
  if (gz) return gz[1]!;
  return sanitiseEntryName(`${parent}.gunzip`, 'file.gunzip');
}
