import { PassThrough } from 'node:stream';
import type { StagedBlob } from '@hopper/filestore';

/**
 * Stages at most `maxBytes` of `source` with `stage`; past that the staging stream is failed and the rest of
 * the source only counted, so the refusal (`tooLarge`) can name the real size, as Assemblyline's does.
 * Backpressure from the filestore pauses the source, so memory stays flat. Whatever was staged of a refused
 * or failed source is discarded; a source whose staging failed is drained to its end.
 */
export function stageWithCap<T extends { staged: StagedBlob }>(
  source: NodeJS.ReadableStream,
  maxBytes: number,
  stage: (body: PassThrough) => Promise<T>,
  tooLarge: (size: number, maxBytes: number) => Error,
): Promise<T> {
  const toStore = new PassThrough();
  let size = 0;
  let over = false;
  // Staging failed (the filestore went away): the rest of the source is drained, so the form reaches its end.
  let abandoned = false;
  const ended = new Promise<void>((resolve, reject) => {
    source.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (over || abandoned) return;
      if (size > maxBytes) {
        over = true;
        toStore.destroy(tooLarge(size, maxBytes));
        source.resume(); // it may be paused waiting for a drain that will never come
        return;
      }
      if (!toStore.write(chunk)) {
        source.pause();
        toStore.once('drain', () => !over && source.resume());
      }
    });
    source.on('end', () => {
      if (!over) toStore.end();
      resolve();
    });
    source.on('error', (error) => {
      // A truncated body: staging must fail too, or it would wait for an end that never comes.
      toStore.destroy(error);
      reject(error);
    });
  });
  ended.catch(() => undefined); // awaited below; an early failure must not count as unhandled
  const staging = stage(toStore);
  return (async () => {
    let staged: T;
    try {
      staged = await staging;
    } catch (error) {
      abandoned = true;
      source.resume(); // it may be paused waiting for a drain the failed staging will never give
      await ended.catch(() => undefined);
      if (over) throw tooLarge(size, maxBytes);
      throw error;
    }
    try {
      await ended;
    } catch (error) {
      await staged.staged.discard().catch(() => undefined);
      throw error;
    }
    if (over) {
      await staged.staged.discard();
      throw tooLarge(size, maxBytes);
    }
    return staged;
  })();
}
