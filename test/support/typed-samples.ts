/**
 * Small files of known types for the tests that check identification end to end (built here, so the tests
 * need no binary fixtures): only the headers libmagic reads, plus `tag` somewhere so each call makes a new file.
 */

/** A 32-bit Windows GUI executable (`executable/windows/pe32`). */
export function pe32(tag: string): Buffer {
  const b = Buffer.alloc(2048);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.write('PE\0\0', 0x80, 'latin1');
  b.writeUInt16LE(0x14c, 0x84); // machine: i386
  b.writeUInt16LE(1, 0x86); // sections
  b.writeUInt16LE(224, 0x94); // optional header size
  b.writeUInt16LE(0x0102, 0x96); // characteristics: executable, 32-bit
  b.writeUInt16LE(0x10b, 0x98); // optional header magic: PE32
  b.writeUInt16LE(2, 0x98 + 68); // subsystem: GUI
  b.write(tag, 1024, 'latin1');
  return b;
}

/** A zip of stored (uncompressed) text entries (`archive/zip`): the identification tests' own. */
export { storedZip } from '../../libs/identify/src/file-type/sample-files';

/** Plain words (`text/plain`). */
export function plainText(tag: string): Buffer {
  return Buffer.from(`just some plain words here\nand another line about ${tag}\n`);
}
