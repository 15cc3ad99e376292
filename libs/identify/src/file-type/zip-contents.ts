/**
 * Refines `archive/zip` from the entry names in the local file headers that fall inside the head:
 * Office Open XML documents and Java archives are zips that Assemblyline types by what they hold.
 * Only the head is read, so a zip whose telling entries come late stays `archive/zip`.
 */
const LOCAL_HEADER = 0x04034b50;

export function zipEntryNames(head: Buffer, limit = 200): string[] {
  const names: string[] = [];
  let offset = 0;
  while (offset + 30 <= head.length && names.length < limit && head.readUInt32LE(offset) === LOCAL_HEADER) {
    const flags = head.readUInt16LE(offset + 6);
    const compressedSize = head.readUInt32LE(offset + 18);
    const nameLength = head.readUInt16LE(offset + 26);
    const extraLength = head.readUInt16LE(offset + 28);
    if (offset + 30 + nameLength > head.length) break;
    names.push(head.subarray(offset + 30, offset + 30 + nameLength).toString('utf8'));
    // With a data descriptor (bit 3) the size is not in the local header: stop walking.
    if (flags & 0x08) break;
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return names;
}

export function typeFromZipEntries(names: string[]): string | null {
  const has = (prefix: string) => names.some((n) => n.startsWith(prefix));
  if (names.includes('[Content_Types].xml') || has('_rels/')) {
    if (has('word/')) return 'document/office/word';
    if (has('xl/')) return 'document/office/excel';
    if (has('ppt/')) return 'document/office/powerpoint';
    return 'document/office/unknown';
  }
  if (names.includes('AndroidManifest.xml') || names.includes('classes.dex')) return 'android/apk';
  if (has('META-INF/') && names.some((n) => n.endsWith('.class') || n === 'META-INF/MANIFEST.MF')) return 'java/jar';
  return null;
}
