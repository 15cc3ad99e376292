import type { ServiceContext } from '../../contract/service-task';

/** Work is handed to the callback in slices of at most this much, so one huge chunk cannot delay an abort check. */
const SLICE_BYTES = 1024 * 1024;
/**
 * After this much work the loop yields a macrotask: a stream that is already buffered resolves on
 * microtasks only, and the dispatcher's time-out timer (a macrotask) would otherwise not fire until the end.
 */
const YIELD_EVERY_BYTES = 8 * 1024 * 1024;

export interface BoundedReadResult {
  /** Bytes handed to the callback (at most `maxBytes`). */
  bytesRead: number;
  /** True when the file had more than `maxBytes` bytes: the rest was not read. */
  truncated: boolean;
}

/**
 * Reads the task's file once, in order, handing each slice to `onBytes`, and stops after `maxBytes` bytes
 * (the stream is destroyed, so the rest is never fetched). Throws the abort reason as soon as the context
 * is aborted, between slices.
 */
export async function readBounded(
  context: ServiceContext,
  maxBytes: number,
  onBytes: (bytes: Buffer) => void,
): Promise<BoundedReadResult> {
  const { signal } = context;
  signal.throwIfAborted();
  const stream = await context.openFile();
  let bytesRead = 0;
  let truncated = false;
  let sinceYield = 0;
  try {
    for await (const raw of stream) {
      signal.throwIfAborted();
      const chunk = Buffer.isBuffer(raw) ? raw : Buffer.from(raw as Uint8Array | string);
      if (chunk.length === 0) continue;
      const room = maxBytes - bytesRead;
      if (room <= 0) {
        truncated = true;
        break;
      }
      const usable = chunk.length > room ? chunk.subarray(0, room) : chunk;
      for (let at = 0; at < usable.length; at += SLICE_BYTES) {
        const slice = usable.subarray(at, at + SLICE_BYTES);
        onBytes(slice);
        bytesRead += slice.length;
        sinceYield += slice.length;
        if (sinceYield >= YIELD_EVERY_BYTES) {
          sinceYield = 0;
          await new Promise<void>((resolve) => setImmediate(resolve));
          signal.throwIfAborted();
        }
      }
      if (usable.length < chunk.length) {
        truncated = true;
        break;
      }
    }
  } finally {
    stream.destroy();
  }
  return { bytesRead, truncated };
}

/** A positive integer parameter, or the fallback when the parameter is missing or unusable. */
export function positiveIntParam(params: Record<string, unknown>, name: string, fallback: number): number {
  const value = params[name];
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : fallback;
}
