import type { ReadableStreamReadResult } from 'node:stream/web';
import * as zip from '@zip.js/zip.js';

/**
 * An entry's content as chunks, decompressed (and decrypted with `password`) by zip.js as they are pulled.
 * zip.js writes into one side of a TransformStream while we read the other, so backpressure holds and
 * nothing is buffered whole. Stopping early cancels the read side, which makes zip.js stop too.
 */
export async function* zipEntryChunks(entry: zip.FileEntry, password: string | undefined, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const channel = new TransformStream<Uint8Array, Uint8Array>();
  // Settles to zip.js's own error (more telling than the stream's) or null; never rejects.
  const reading: Promise<unknown> = entry
    .getData(channel.writable, { password, signal, checkCrc32: true })
    .then(
      () => null,
      (error: unknown) => error ?? new Error('zip entry could not be read'),
    );
  // zip.js may fail without erroring the stream: race each read against its failure.
  const failed = reading.then((error) => (error === null ? new Promise<never>(() => undefined) : Promise.reject(error)));
  failed.catch(() => undefined);
  const reader = channel.readable.getReader();
  let finished = false;
  try {
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await Promise.race([reader.read(), failed]);
      } catch (error) {
        throw (await reading) ?? error;
      }
      if (step.done) break;
      yield step.value;
    }
    finished = true;
    const error = await reading;
    if (error !== null) throw error;
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    // zip.js must be done with the file before the caller closes it.
    await reading;
  }
}
