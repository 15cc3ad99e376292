/**
 * The hashing thread's program, as plain JavaScript that requires only Node built-ins, started with
 * `new Worker(HASHING_THREAD_SOURCE, { eval: true })`. A string rather than a file because the same code must
 * run under Jest (which transforms TypeScript in its own module loader, not in worker threads) and from the
 * tsc build in dist/ (which copies no .js sources: allowJs is off): a string needs no path, no loader and no
 * build step in either.
 *
 * Protocol (one thread serves many sessions, each an upload; messages of a session arrive in order):
 *   in:  { op: 'open', id }                      start md5, sha1, sha256 and the byte counts
 *        { op: 'data', id, buffer, length }      the first `length` bytes of `buffer` (an ArrayBuffer, transferred)
 *        { op: 'end', id }                       no more data
 *        { op: 'abort', id }                     forget the session
 *   out: { op: 'ack', id, buffer, length }       `buffer` hashed, transferred back for reuse
 *        { op: 'done', id, md5, sha1, sha256, size, counts }   counts: Float64Array(256), per byte value
 *        { op: 'error', id, message }            this session went wrong (the thread carries on)
 * Anything thrown outside a session's handling crashes the thread; the pool then fails its sessions.
 *
 * The byte counts must be exactly EntropyCounter's (entropy.ts) over the same bytes (the unit tests compare
 * them); they are counted differently, faster for the large files that come here (see countBytes).
 */
export const HASHING_THREAD_SOURCE = String.raw`'use strict';
const { parentPort } = require('node:worker_threads');
const { createHash } = require('node:crypto');

const FOLD_EVERY_BYTES = 2 ** 31;
const sessions = new Map();

// Byte counts for the entropy. Each aligned 32-bit word counts as two 16-bit pairs in a table of 65536
// counters (256 KiB, per session): half the increments of counting bytes, and consecutive equal bytes do not
// hit one counter back to back. Folded into per-byte totals at the end (each pair adds to both its bytes), and
// before any counter could overflow: a counter grows by at most 2 per word, so by less than the bytes counted.
function countBytes(counter, bytes) {
  const length = bytes.length;
  if (length > FOLD_EVERY_BYTES) {
    for (let at = 0; at < length; at += FOLD_EVERY_BYTES) countBytes(counter, bytes.subarray(at, at + FOLD_EVERY_BYTES));
    return;
  }
  if (counter.unfolded + length > FOLD_EVERY_BYTES) fold(counter);
  const { pairs, totals } = counter;
  let n = 0;
  while (n < length && (bytes.byteOffset + n) & 3) totals[bytes[n++]]++;
  const words = (length - n) >>> 2;
  const view = new Uint32Array(bytes.buffer, bytes.byteOffset + n, words);
  for (let w = 0; w < words; w++) {
    const x = view[w];
    pairs[x & 0xffff]++;
    pairs[x >>> 16]++;
  }
  n += words << 2;
  for (; n < length; n++) totals[bytes[n]]++;
  counter.unfolded += length;
}

function fold(counter) {
  const { pairs, totals } = counter;
  for (let p = 0; p < 65536; p++) {
    const c = pairs[p];
    if (c === 0) continue;
    totals[p & 0xff] += c;
    totals[p >>> 8] += c;
  }
  pairs.fill(0);
  counter.unfolded = 0;
}

function handle(message) {
  const { op, id } = message;
  if (op === 'open') {
    sessions.set(id, {
      md5: createHash('md5'),
      sha1: createHash('sha1'),
      sha256: createHash('sha256'),
      counter: { totals: new Float64Array(256), pairs: new Uint32Array(65536), unfolded: 0 },
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
    countBytes(session.counter, bytes);
    session.size += message.length;
    parentPort.postMessage({ op: 'ack', id, buffer: message.buffer, length: message.length }, [message.buffer]);
  } else if (op === 'end') {
    const session = sessions.get(id);
    if (!session) throw new Error('no session ' + id);
    sessions.delete(id);
    fold(session.counter);
    const counts = session.counter.totals;
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
      [counts.buffer],
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
