import { createHash, randomBytes } from 'node:crypto';
import { PassThrough, Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { EntropyCounter } from './entropy';
import { HASHING_THREAD_SOURCE } from './hashing-thread-source';
import { HashingThreadError, HashingThreads } from './hashing-threads';
import { OffThreadHasher, OffThreadHasherOptions } from './off-thread-hasher';

const KiB = 1024;
const MiB = 1024 * KiB;

/** What OnePassHasher would say: node:crypto and EntropyCounter over the whole. */
function expected(whole: Buffer) {
  const entropy = new EntropyCounter();
  entropy.update(whole);
  return {
    md5: createHash('md5').update(whole).digest('hex'),
    sha1: createHash('sha1').update(whole).digest('hex'),
    sha256: createHash('sha256').update(whole).digest('hex'),
    size: whole.length,
    entropy: entropy.value(),
  };
}

/** `data` in chunks of pseudo-random sizes up to `max` (some empty), views into it as busboy's are into its buffers. */
function chunksOf(data: Buffer, max: number, seed = 1): Buffer[] {
  const parts: Buffer[] = [];
  let x = seed;
  for (let at = 0; at < data.length; ) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    const length = (x >>> 4) % (max + 1);
    parts.push(data.subarray(at, at + length));
    at += length;
  }
  return parts;
}

/** Streams `chunks` through a new hasher into a sink; returns the hasher and what came out. */
async function hashThrough(chunks: Buffer[], options: OffThreadHasherOptions) {
  const hasher = new OffThreadHasher(options);
  const out: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      out.push(chunk);
      done();
    },
  });
  await pipeline(Readable.from(chunks), hasher, sink);
  return { hasher, out: Buffer.concat(out) };
}

/** Resolves once `condition` holds (checked every few milliseconds). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 2));
}

/** A thread program that accepts sessions and never answers. */
const SILENT_THREAD = `require('node:worker_threads').parentPort.on('message', () => undefined);`;
/** The real program, except that the given message makes the thread throw outside any handler (a crash). */
const crashingOn = (op: string) =>
  `${HASHING_THREAD_SOURCE}
parentPort.removeAllListeners('message');
parentPort.on('message', (message) => {
  if (message.op === ${JSON.stringify(op)}) throw new Error('boom on ${op}');
  else handle(message);
});`;

describe('OffThreadHasher', () => {
  const pools: HashingThreads[] = [];
  const pool = (options: ConstructorParameters<typeof HashingThreads>[0] = {}) => {
    const threads = new HashingThreads({ threads: 2, ...options });
    pools.push(threads);
    return threads;
  };
  afterAll(async () => {
    await Promise.all(pools.map((threads) => threads.close()));
  });

  it.each([
    ['empty', 0, 64 * KiB],
    ['1 byte', 1, 64 * KiB],
    ['one batch less a byte', 64 * KiB - 1, 64 * KiB],
    ['exactly one batch', 64 * KiB, 64 * KiB],
    ['one batch and a byte', 64 * KiB + 1, 64 * KiB],
    ['many small batches', 3 * MiB + 5, 64 * KiB],
    ['odd-sized batches', 1 * MiB + 3, 10_007],
    ['default batches, 10 MiB', 10 * MiB + 13, undefined],
    ['default batches, small', 300 * KiB, undefined],
    // The first batch starts at 64 KiB and grows into a whole one when the stream goes past it.
    ['default batches, the small first batch exactly', 64 * KiB, undefined],
    ['default batches, a byte past the small first batch', 64 * KiB + 1, undefined],
    ['default batches, one batch and a byte', MiB + 1, undefined],
  ])('passes %s through unchanged and gives the digests node:crypto and EntropyCounter give', async (_name, size, batchBytes) => {
    const data = randomBytes(size);
    const threads = pool();
    const open = jest.spyOn(threads, 'open');
    const options: OffThreadHasherOptions = batchBytes ? { threads, batchBytes, maxPendingBytes: 4 * batchBytes } : { threads };
    const { hasher, out } = await hashThrough(chunksOf(data, 70 * KiB), options);
    expect(out.equals(data)).toBe(true);
    expect(hasher.size).toBe(size);
    expect(hasher.fileDigests()).toEqual(expected(data));
    expect(hasher.digests()).toEqual({ md5: expected(data).md5, sha1: expected(data).sha1, sha256: expected(data).sha256 });
    // Within one batch, the bytes never leave the event loop.
    expect(open).toHaveBeenCalledTimes(size > (batchBytes ?? MiB) ? 1 : 0);
  });

  it('gives the empty-file digests for an empty stream', async () => {
    const { hasher } = await hashThrough([], { threads: pool() });
    expect(hasher.fileDigests()).toEqual({
      md5: 'd41d8cd98f00b204e9800998ecf8427e',
      sha1: 'da39a3ee5e6b4b0d3255bfef95601890afd80709',
      sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      size: 0,
      entropy: 0,
    });
  });

  it('counts bytes exactly as EntropyCounter does, on the thread and on the event loop (skewed, constant and text data)', async () => {
    const threads = pool();
    const random = randomBytes(2 * MiB + 3);
    const inputs = [
      Buffer.alloc(3 * MiB + 1, 0xaa),
      Buffer.from(random.map((b) => (b < 220 ? 0 : b & 3))),
      Buffer.from('All work and no play makes Jack a dull boy. '.repeat(40_000)),
    ];
    // Odd batches (tails of every length), and batches past the 1 MiB the thread counts at a time.
    for (const countBytesOn of ['thread', 'event-loop'] as const) {
      for (const batching of [{ batchBytes: 100_003, maxPendingBytes: 400_012 }, { batchBytes: 2 * MiB + 5, maxPendingBytes: 4 * MiB + 10 }]) {
        for (const data of inputs) {
          const { hasher } = await hashThrough(chunksOf(data, 33 * KiB, data.length), { threads, countBytesOn, ...batching });
          expect(hasher.fileDigests()).toEqual(expected(data));
        }
      }
    }
  });

  it('refuses to answer before the stream ended', () => {
    expect(() => new OffThreadHasher({ threads: pool() }).digests()).toThrow(/before the stream ended/);
    expect(() => new OffThreadHasher({ threads: pool() }).fileDigests()).toThrow(/before the stream ended/);
  });

  it('refuses a bound smaller than two batches', () => {
    expect(() => new OffThreadHasher({ threads: pool(), batchBytes: MiB, maxPendingBytes: MiB })).toThrow(/two batches/);
  });

  it('hashes concurrent streams on shared threads without mixing them up', async () => {
    const threads = pool({ threads: 2 });
    const inputs = Array.from({ length: 8 }, (_, k) => randomBytes(k * 700 * KiB + k));
    const results = await Promise.all(
      inputs.map((data, k) => hashThrough(chunksOf(data, 50 * KiB, k + 1), { threads, batchBytes: 128 * KiB, maxPendingBytes: 512 * KiB })),
    );
    results.forEach(({ hasher, out }, k) => {
      expect(out.equals(inputs[k]!)).toBe(true);
      expect(hasher.fileDigests()).toEqual(expected(inputs[k]!));
    });
    expect(threads.running).toBe(2);
  });

  it('never has more than maxPendingBytes out, and reaches the bound when the thread is the slower side', async () => {
    const data = randomBytes(16 * MiB);
    const { hasher } = await hashThrough(chunksOf(data, 64 * KiB), { threads: pool(), batchBytes: 256 * KiB, maxPendingBytes: MiB });
    expect(hasher.fileDigests().sha256).toBe(expected(data).sha256);
    expect(hasher.peakPendingBytes).toBeLessThanOrEqual(MiB);
    expect(hasher.peakPendingBytes).toBeGreaterThan(MiB - 64 * KiB);
  });

  it('stops taking chunks at the bound while the thread does not answer', async () => {
    const threads = pool({ source: SILENT_THREAD });
    const hasher = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    hasher.resume(); // the readable side never holds anything back
    let accepted = 0;
    for (let k = 0; k < 40; k++) hasher.write(Buffer.alloc(16 * KiB, k), () => (accepted += 16 * KiB));
    await until(() => hasher.peakPendingBytes === 256 * KiB);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hasher.peakPendingBytes).toBe(256 * KiB);
    // Taken: the four batches; the chunk that found no room waits, and so do all after it.
    expect(accepted).toBe(256 * KiB);
    hasher.destroy();
  });

  it.each(['data', 'end'])('fails the stream, not hangs it, when the thread crashes on %s', async (op) => {
    const threads = pool({ source: crashingOn(op) });
    const data = randomBytes(3 * MiB);
    const hasher = new OffThreadHasher({ threads, batchBytes: 256 * KiB, maxPendingBytes: MiB });
    await expect(pipeline(Readable.from(chunksOf(data, 64 * KiB)), hasher, new PassThrough().resume())).rejects.toThrow(HashingThreadError);
    await expect(pipeline(Readable.from(chunksOf(data, 64 * KiB)), new OffThreadHasher({ threads, batchBytes: 256 * KiB }), new PassThrough().resume())).rejects.toThrow(
      /hashing thread crashed: boom/,
    );
  });

  it('fails the stream when the thread exits', async () => {
    const threads = pool({ source: `require('node:worker_threads').parentPort.on('message', (m) => { if (m.op === 'data') process.exit(7); });` });
    const hasher = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    await expect(pipeline(Readable.from(chunksOf(randomBytes(MiB), 64 * KiB)), hasher, new PassThrough().resume())).rejects.toThrow(/exited \(code 7\)/);
  });

  it('fails the streams running when the pool closes, and refuses new ones', async () => {
    const threads = new HashingThreads({ threads: 1, source: SILENT_THREAD });
    const hasher = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    const flowing = pipeline(Readable.from(chunksOf(randomBytes(MiB), 64 * KiB)), hasher, new PassThrough().resume());
    const failed = expect(flowing).rejects.toThrow(/hashing threads closed/);
    await until(() => hasher.peakPendingBytes === 256 * KiB); // waiting for the thread
    await threads.close();
    await failed;
    const late = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    await expect(pipeline(Readable.from([randomBytes(200 * KiB)]), late, new PassThrough().resume())).rejects.toThrow(/hashing threads closed/);
  });

  it('replaces a failed thread for the next stream', async () => {
    const threads = pool({ threads: 1 });
    const doomed = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    const flowing = pipeline(Readable.from(chunksOf(randomBytes(4 * MiB), 64 * KiB)), doomed, new PassThrough().resume());
    const failed = expect(flowing).rejects.toThrow(/hashing thread exited/);
    await until(() => doomed.peakPendingBytes > 64 * KiB); // a batch went to the thread
    // What a crash looks like from here: the worker is gone.
    await Promise.all((threads as unknown as { threads: { worker: { terminate(): Promise<number> } }[] }).threads.map((t) => t.worker.terminate()));
    await failed;
    const data = randomBytes(MiB + 1);
    const { hasher } = await hashThrough(chunksOf(data, 64 * KiB), { threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    expect(hasher.fileDigests()).toEqual(expected(data));
    expect(threads.running).toBe(1);
  });

  it('ends its session when the stream fails upstream, leaving the thread idle', async () => {
    const threads = pool({ threads: 1 });
    const hasher = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    const source = new Readable({ read() {} });
    const flowing = pipeline(source, hasher, new PassThrough().resume());
    const failed = expect(flowing).rejects.toThrow(/client went away/);
    source.push(randomBytes(300 * KiB));
    await until(() => hasher.peakPendingBytes > 64 * KiB); // a batch went to the thread
    source.destroy(new Error('client went away'));
    await failed;
    const sessions = (threads as unknown as { threads: { sessions: Map<number, unknown> }[] }).threads.map((t) => t.sessions.size);
    expect(sessions).toEqual([0]);
  });

  it('keeps the process alive only while a stream is being hashed', async () => {
    const ports = () => process.getActiveResourcesInfo().filter((kind) => kind === 'MessagePort').length;
    const before = ports();
    const threads = pool({ threads: 1 });
    threads.warm();
    expect(threads.running).toBe(1);
    expect(ports()).toBe(before);
    const source = new Readable({ read() {} });
    const hasher = new OffThreadHasher({ threads, batchBytes: 64 * KiB, maxPendingBytes: 256 * KiB });
    const flowing = pipeline(source, hasher, new PassThrough().resume());
    source.push(randomBytes(200 * KiB));
    await until(() => hasher.peakPendingBytes > 64 * KiB);
    expect(ports()).toBe(before + 1);
    source.push(null);
    await flowing;
    expect(ports()).toBe(before);
  });
});
