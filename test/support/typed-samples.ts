import { crc32 } from 'node:zlib';

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

/** A zip of stored (uncompressed) text entries (`archive/zip`). */
export function storedZip(entries: Array<[name: string, text: string]>): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const n = Buffer.from(name);
    const d = Buffer.from(text);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc32(d), 14);
    local.writeUInt32LE(d.length, 18);
    local.writeUInt32LE(d.length, 22);
    local.writeUInt16LE(n.length, 26);
    parts.push(local, n, d);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt32LE(crc32(d), 16);
    c.writeUInt32LE(d.length, 20);
    c.writeUInt32LE(d.length, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    central.push(c, n);
    offset += 30 + n.length + d.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, cd, end]);
}

/** Plain words (`text/plain`). */
export function plainText(tag: string): Buffer {
  return Buffer.from(`just some plain words here\nand another line about ${tag}\n`);
}
