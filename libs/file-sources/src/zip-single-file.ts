import { createWriteStream } from 'node:fs';
import { FileHandle, mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as zip from '@zip.js/zip.js';
import type { Filestore } from '@hopper/filestore';
import { ByteLimit } from './byte-limit';
import { OnePassHasher } from '@hopper/identify';
import type { FileHashes, SourceLogger } from './types';

zip.configure({ useWebWorkers: false });

/** Local file header signature: how a download is recognised as a zip. */
export function looksLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}

export interface ExtractedFile extends FileHashes {
  size: number;
  name: string;
}

// zip.js reads the central directory at the end of the archive, so it needs random access: a temp file.
class FileHandleReader extends zip.Reader<FileHandle> {
  constructor(private readonly handle: FileHandle, size: number) {
    super(handle);
    this.size = size;
  }

  override async readUint8Array(index: number, length: number): Promise<Uint8Array> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, index);
    return buffer.subarray(0, bytesRead);
  }
}

/**
 * Extracts the zip stored under `zipKey` when it holds exactly one file smaller than `maxBytes` (AES or
 * ZipCrypto, with `password`), stores that file under its sha256 and returns it. Returns null, leaving the
 * zip as the file to analyse (the Extract service deals with it), when it holds more or fewer files, the
 * file is too big, or the password or archive is wrong.
 */
export async function extractSingleFile(
  filestore: Filestore,
  zipKey: string,
  password: string,
  maxBytes: number,
  logger: SourceLogger,
): Promise<ExtractedFile | null> {
  const dir = await mkdtemp(join(tmpdir(), 'hopper-zip-'));
  const path = join(dir, 'archive.zip');
  let handle: FileHandle | undefined;
  try {
    await pipeline(await filestore.get(zipKey), createWriteStream(path));
    handle = await open(path, 'r');
    const { size } = await handle.stat();
    const reader = new zip.ZipReader(new FileHandleReader(handle, size), { password });
    try {
      const files = (await reader.getEntries()).filter((entry) => !entry.directory);
      if (files.length !== 1) {
        logger.info({ zip: zipKey, files: files.length }, 'zip kept: it does not hold exactly one file');
        return null;
      }
      const entry = files[0] as zip.FileEntry;
      if (entry.uncompressedSize >= maxBytes) {
        logger.info({ zip: zipKey, size: entry.uncompressedSize }, 'zip kept: its file is too big');
        return null;
      }
      return await storeEntry(filestore, entry, maxBytes, password);
    } finally {
      await reader.close();
    }
  } catch (error) {
    logger.info({ zip: zipKey, err: (error as Error).message }, 'zip kept: extraction failed');
    return null;
  } finally {
    await handle?.close();
    await rm(dir, { recursive: true, force: true });
  }
}

async function storeEntry(filestore: Filestore, entry: zip.FileEntry, maxBytes: number, password: string): Promise<ExtractedFile> {
  const source = new PassThrough();
  const hasher = new OnePassHasher();
  // The declared size can lie: the byte limit holds whatever the entry really inflates to.
  const flow = pipeline(source, new ByteLimit(maxBytes - 1), hasher);
  const staging = filestore.stage(hasher);
  const writable = new WritableStream<Uint8Array>({
    // Waits for drain, and fails instead of hanging if the pipeline below has broken (e.g. the byte limit).
    write: (chunk) =>
      new Promise<void>((resolve, reject) => {
        if (source.destroyed) return reject(new Error('extraction stopped'));
        if (source.write(chunk)) return resolve();
        const onDrain = () => {
          source.off('close', onClose);
          resolve();
        };
        const onClose = () => {
          source.off('drain', onDrain);
          reject(new Error('extraction stopped'));
        };
        source.once('drain', onDrain);
        source.once('close', onClose);
      }),
    close: () => {
      source.end();
    },
    abort: (reason) => {
      source.destroy(reason instanceof Error ? reason : new Error(String(reason)));
    },
  });
  const extraction = entry.getData(writable, { password }).catch((error: unknown) => {
    // A wrong password or a corrupt entry must also end the stream that staging is waiting on.
    source.destroy(error instanceof Error ? error : new Error(String(error)));
    throw error;
  });
  const [extracted, flowed, staged] = await Promise.allSettled([extraction, flow, staging]);
  const failure = [extracted, flowed, staged].find((outcome) => outcome.status === 'rejected');
  if (failure) {
    source.destroy();
    if (staged.status === 'fulfilled') await staged.value.discard();
    throw (failure as PromiseRejectedResult).reason;
  }
  const blob = (staged as PromiseFulfilledResult<Awaited<typeof staging>>).value;
  const hashes = hasher.digests();
  await blob.commit(hashes.sha256);
  return { ...hashes, size: blob.size, name: entry.filename.split('/').pop() || hashes.sha256 };
}
