import { finished } from 'node:stream/promises';

type AnyStream = NodeJS.ReadableStream | NodeJS.WritableStream;

/**
 * What `stream/promises` `pipeline` promises for a chain of Node streams, for the upload path, at a fraction of
 * its cost: the streams are piped in order (with backpressure); the first error, or a premature close, of any
 * of them destroys them all and rejects with it; the promise resolves once the last one has finished writing
 * (and closed, if it closes). As in `pipeline`, the first stream is watched only as a source and the last only
 * as a sink, so the last one's readable side may be consumed elsewhere.
 *
 * Why not `pipeline`: per call it makes an AbortController and aborts it when done (a DOMException, stack and
 * all) and destroys each stream not yet closed with a new error: about 0.15 ms of CPU for three streams against
 * 0.01-0.04 ms this way (measured on the two-core machines we run on), and an upload went through three.
 */
export function pipeChain(...streams: [NodeJS.ReadableStream, ...AnyStream[]]): Promise<void> {
  if (streams.length < 2) return Promise.reject(new TypeError('pipeChain needs a source and a sink'));
  return new Promise<void>((resolve, reject) => {
    let failed = false;
    const fail = (error: unknown) => {
      if (failed) return;
      failed = true;
      for (const stream of streams) destroy(stream, error as Error);
      reject(error);
    };
    const last = streams.length - 1;
    const watched = streams.map((stream, index) =>
      finished(stream, { readable: index < last, writable: index > 0 }).catch(fail),
    );
    for (let index = 0; index < last; index++) (streams[index] as NodeJS.ReadableStream).pipe(streams[index + 1] as NodeJS.WritableStream);
    watched[last]!.then(() => !failed && resolve(), fail);
  });
}

function destroy(stream: AnyStream, error: Error): void {
  const destroyable = stream as { destroyed?: boolean; destroy?: (error?: Error) => void };
  if (!destroyable.destroyed) destroyable.destroy?.(error);
}
