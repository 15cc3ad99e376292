import { Readable } from 'node:stream';
import type { Filestore } from '@hopper/filestore';

/** Files up to this size are read once and served from memory to each service that opens them. */
export const SHARED_READ_MAX_BYTES = 64 * 1024;

/**
 * How the services of one file open it. A small file is read from the filestore once, on first use, and
 * every open is a byte stream of those bytes: each built-in service opens the file, and each open was an open, a
 * read and a close on the thread pool, three times per file. A larger file is opened from the filestore each time
 * and streamed, never held. A failed read fails every open that shares it, as each would have failed alone.
 */
export function sharedFileOpener(filestore: Filestore, file: { sha256: string; size: number }): () => Promise<Readable> {
  if (!(file.size <= SHARED_READ_MAX_BYTES)) return () => filestore.get(file.sha256);
  let bytes: Promise<Buffer | null> | null = null;
  return async () => {
    bytes ??= readSmall(filestore, file.sha256);
    const held = await bytes;
    return held ? Readable.from([held], { objectMode: false }) : filestore.get(file.sha256);
  };
}

/** The blob's bytes, or null when it is larger than its task said (then each open streams it instead). */
async function readSmall(filestore: Filestore, sha256: string): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of await filestore.get(sha256)) {
    chunks.push(chunk as Buffer);
    size += (chunk as Buffer).length;
    if (size > SHARED_READ_MAX_BYTES) return null; // leaving the loop closes the stream
  }
  return Buffer.concat(chunks, size);
}
