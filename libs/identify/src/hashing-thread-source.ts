import { BYTE_COUNT_WASM_BASE64 } from './byte-count-wasm';

/**
 * The hashing thread's program, as plain JavaScript that requires only Node built-ins, started with
 * `new Worker(HASHING_THREAD_SOURCE, { eval: true })`. A string rather than a file because the same code must
 * run under Jest (which transforms TypeScript in its own module loader, not in worker threads) and from the
 * tsc build in dist/ (which copies no .js sources: allowJs is off): a string needs no path, no loader and no
 * build step in either.
 *
 * Protocol (one thread serves many sessions, each an upload; messages of a session arrive in order):
 *   in:  { op: 'open', id, countBytes }          start md5, sha1, sha256 and, unless countBytes is false, the byte counts
 *        { op: 'data', id, buffer, length }      the first `length` bytes of `buffer` (an ArrayBuffer, transferred)
 *        { op: 'end', id }                       no more data
 *        { op: 'abort', id }                     forget the session
 *   out: { op: 'ack', id, buffer, length }       `buffer` hashed, transferred back for reuse
 *        { op: 'done', id, md5, sha1, sha256, size, counts }   counts: Float64Array(256) per byte value, or null
 *        { op: 'error', id, message }            this session went wrong (the thread carries on)
 * Anything thrown outside a session's handling crashes the thread; the pool then fails its sessions.
 *
 * The byte counts must be exactly EntropyCounter's (entropy.ts) over the same bytes (the unit tests compare
 * them); they are counted differently, faster for the large files that come here (see countBytes: the WebAssembly of byte-count.wat).
 */
export const HASHING_THREAD_SOURCE = String.raw`'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');

const sessions = new Map();

// Byte counts for the entropy, by the WebAssembly module of byte-count.wat (twice as fast as counting in
// JavaScript): each batch is copied into its memory, counted into its eight lanes, and the lanes are summed into
// the session's per-byte totals. One instance serves every session of this thread, one batch at a time. The same
// as addByteCounts (wasm-byte-counts.ts), which this thread cannot import.
const COUNT_DATA_AT = 8192;
const COUNT_MAX_BYTES = 1024 * 1024;
const byteCount = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from('${BYTE_COUNT_WASM_BASE64}', 'base64'))).exports;
const countMemory = new Uint8Array(byteCount.memory.buffer);
const lanes = new Uint32Array(byteCount.memory.buffer, 0, 2048);

function countBytes(totals, bytes) {
  for (let at = 0; at < bytes.length; at += COUNT_MAX_BYTES) {
    const piece = bytes.subarray(at, at + COUNT_MAX_BYTES);
    lanes.fill(0);
    countMemory.set(piece, COUNT_DATA_AT);
    byteCount.count(piece.length);
    for (let b = 0; b < 256; b++) {
      totals[b] += lanes[b] + lanes[256 + b] + lanes[512 + b] + lanes[768 + b] + lanes[1024 + b] + lanes[1280 + b] + lanes[1536 + b] + lanes[1792 + b];
    }
  }
}

function handle(message) {
  const { op, id } = message;
  if (op === 'open') {
    sessions.set(id, {
      md5: createHash('md5'),
      sha1: createHash('sha1'),
      sha256: createHash('sha256'),
      totals: message.countBytes === false ? null : new Float64Array(256),
      size: 0,
    });
  } else if (op === 'data') {
    const session = sessions.get(id);
    // An aborted session's last batches: nothing waits for them.
    if (!session) return;
    const bytes = new Uint8Array(message.buffer, 0, message.length);
    session.md5.update(bytes);
    session.sha1.update(bytes);
    session.sha256.update(bytes);
    if (session.totals) countBytes(session.totals, bytes);
    session.size += message.length;
    parentPort.postMessage({ op: 'ack', id, buffer: message.buffer, length: message.length }, [message.buffer]);
  } else if (op === 'end') {
    const session = sessions.get(id);
    if (!session) throw new Error('no session ' + id);
    sessions.delete(id);
    const counts = session.totals;
    parentPort.postMessage(
      {
        op: 'done',
        id,
        md5: session.md5.digest('hex'),
        sha1: session.sha1.digest('hex'),
        sha256: session.sha256.digest('hex'),
        size: session.size,
        counts,
      },
      counts ? [counts.buffer] : [],
    );
  } else if (op === 'abort') {
    sessions.delete(id);
  } else {
    throw new Error('unknown message ' + String(op));
  }
}

parentPort.on('message', (message) => {
  try {
    handle(message);
  } catch (error) {
    sessions.delete(message && message.id);
    parentPort.postMessage({ op: 'error', id: message && message.id, message: String((error && error.message) || error) });
  }
});
`;
