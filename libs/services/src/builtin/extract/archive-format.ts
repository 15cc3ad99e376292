export type ArchiveFormat = 'zip' | 'gzip' | 'tar' | '7z';

/** The Assemblyline types the identifier gives these archives (what the manifest accepts). */
const BY_TYPE: Readonly<Record<string, ArchiveFormat>> = {
  'archive/zip': 'zip',
  'archive/gzip': 'gzip',
  'archive/tar': 'tar',
  'archive/7-zip': '7z',
};

/** Bytes a head must hold for `formatFromMagic` to see a tar's `ustar` mark. */
export const MAGIC_HEAD_BYTES = 512;

export function formatFromType(type: string): ArchiveFormat | null {
  return BY_TYPE[type] ?? null;
}

/** Recognises the four formats by their signatures, for a file whose type names none of them. */
export function formatFromMagic(head: Buffer): ArchiveFormat | null {
  if (head.length >= 4 && head[0] === 0x50 && head[1] === 0x4b && [0x0304, 0x0506, 0x0708].includes(head.readUInt16BE(2))) {
    return 'zip';
  }
  if (head.length >= 3 && head[0] === 0x1f && head[1] === 0x8b && head[2] === 0x08) return 'gzip';
  if (head.length >= 6 && head.subarray(0, 6).equals(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]))) return '7z';
  if (head.length >= 262 && head.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  return null;
}
