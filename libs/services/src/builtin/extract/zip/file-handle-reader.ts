import type { FileHandle } from 'node:fs/promises';
import * as zip from '@zip.js/zip.js';

/**
 * Random access to a spooled zip for zip.js: it reads the central directory at the end first, then each
 * entry where the directory says, so only the ranges asked for are ever in memory.
 */
export class FileHandleReader extends zip.Reader<FileHandle> {
  constructor(
    private readonly handle: FileHandle,
    size: number,
  ) {
    super(handle);
    this.size = size;
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const buffer = Buffer.alloc(Math.max(0, Math.min(length, this.size - index)));
    let filled = 0;
    // A read may return fewer bytes than asked: loop until the range is complete or the file ends.
    while (filled < buffer.length) {
      const { bytesRead } = await this.handle.read(buffer, filled, buffer.length - filled, index + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return buffer.subarray(0, filled);
  }
}
