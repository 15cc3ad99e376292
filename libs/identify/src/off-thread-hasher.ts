import { createHash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { EntropyCounter } from './entropy';
import type { FileDigests, FileHashes } from './file-digests';
import { HashingListener, HashingResult, HashingSession, HashingThreadError, HashingThreads, sharedHashingThreads } from './hashing-threads';

export const DEFAULT_BATCH_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PENDING_BYTES = 4 * 1024 * 1024;
/**
 * The first batch starts this small and grows to a whole batch only when the stream goes past it: most
 * uploads end within it, and a 1 MiB buffer each (allocated, then collected) was a good part of their cost.
 */
const FIRST_BATCH_BYTES = 64 * 1024;

export interface OffThreadHasherOptions {
  /** The pool to hash on (default: the process's shared pool). */
  threads?: HashingThreads;
  /**
   * Bytes per hand-over to the hashing thread (default 1 MiB). A stream that ends within its first batch is
   * hashed on the event loop, at its end, without a thread: for a small file the round trip costs more than it saves.
   */
  batchBytes?: number;
  /**
   * The most bytes of this stream copied for hashing and not hashed yet (default 4 MiB; at least two batches,
   * rounded down to whole batches). At the bound, the stream stops taking chunks until the thread catches up.
   */
  maxPendingBytes?: number;
  /**
   * Where the byte counts (for the entropy) are made: on the hashing thread, or on the event loop as chunks pass.
   * Default: the event loop when the pool has a single thread (a two-core machine), else the thread; see below.
   */
  countBytesOn?: 'thread' | 'event-loop';
}

/**
 * A pass-through stream that computes md5, sha1, sha256, size and entropy of what flows through it, like
 * OnePassHasher, but on a hashing thread (HashingThreads) rather than on the event loop: the three digests and
 * the byte counts cost some 3 ms of CPU per MiB, which the event loop would otherwise spend between receiving
 * and storing the bytes, so that a large upload ran at the speed of one core doing everything in turn. The byte
 * counts go where they balance the work best (countBytesOn).
 *
 * Chunks pass through unchanged at once, and are copied (the producer may reuse its buffers) into batches that
 * are transferred, not copied, to the thread, then transferred back for reuse: memory per stream is at most
 * `maxPendingBytes`, whatever the file's size. `fileDigests()` is valid once the stream has ended, which it does
 * only after the thread has hashed every byte. A thread that fails fails the stream.
 */
export class OffThreadHasher extends Transform {
  private readonly threads: HashingThreads;
  private readonly batchBytes: number;
  private readonly maxBuffers: number;
  /** Batch buffers back from the thread, ready to be filled again. */
  private readonly spare: ArrayBuffer[] = [];
  private allocated = 0;
  /** The batch being filled, and how much of it is. */
  private batch: Uint8Array | null = null;
  private filled = 0;
  /** Bytes handed to the thread and not yet acknowledged. */
  private inFlight = 0;
  private peak = 0;
  private session: HashingSession | null = null;
  private failure: Error | null = null;
  /** A transform waiting for a buffer to come back. */
  private waitingForBuffer: (() => void) | null = null;
  /** The flush waiting for the thread's answer. */
  private finishing: TransformCallback | null = null;
  private result: FileDigests | null = null;
  private bytes = 0;
  /** The byte counts, when they are made here (countBytesOn 'event-loop'). */
  private readonly countedHere: EntropyCounter | null;

  constructor(options: OffThreadHasherOptions = {}) {
    super();
    this.threads = options.threads ?? sharedHashingThreads();
    this.batchBytes = options.batchBytes ?? DEFAULT_BATCH_BYTES;
    if (!Number.isInteger(this.batchBytes) || this.batchBytes < 1) throw new RangeError(`OffThreadHasher: batchBytes must be a positive integer, not ${this.batchBytes}`);
    this.maxBuffers = Math.floor((options.maxPendingBytes ?? DEFAULT_MAX_PENDING_BYTES) / this.batchBytes);
    if (this.maxBuffers < 2) throw new RangeError('OffThreadHasher: maxPendingBytes must hold at least two batches');
    // With one hashing thread (two cores), that thread is what limits a large upload: the three digests alone cost
    // it about as much as the event loop's whole share (receiving, parsing, copying, writing), so the counts
    // (0.45 ns a byte in WebAssembly) balance the two best on the event loop. With more threads, the event loop
    // is the scarcer one and the counts stay on the threads.
    const countOn = options.countBytesOn ?? (this.threads.size === 1 ? 'event-loop' : 'thread');
    this.countedHere = countOn === 'event-loop' ? new EntropyCounter() : null;
    // So that the first large file does not wait for a thread to start.
    try {
      this.threads.warm();
    } catch {
      // A thread that cannot start fails the first stream that needs it, with the reason.
    }
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.bytes;
  }

  /** The most bytes this stream ever had copied and not yet hashed (bounded by maxPendingBytes). */
  get peakPendingBytes(): number {
    return this.peak;
  }

  digests(): FileHashes {
    if (!this.result) throw new Error('OffThreadHasher: digests() called before the stream ended');
    const { md5, sha1, sha256 } = this.result;
    return { md5, sha1, sha256 };
  }

  /** The digests plus size and entropy, as a file record stores them. */
  fileDigests(): FileDigests {
    if (!this.result) throw new Error('OffThreadHasher: fileDigests() called before the stream ended');
    return { ...this.result };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    if (this.failure) return callback(this.failure);
    this.bytes += chunk.length;
    this.countedHere?.update(chunk);
    this.push(chunk);
    this.copy(chunk, 0, callback);
  }

  override _flush(callback: TransformCallback): void {
    if (this.failure) return callback(this.failure);
    if (!this.session) {
      // Never handed over: at most one batch, hashed here.
      try {
        this.result = hashHere(this.batch ? this.batch.subarray(0, this.filled) : new Uint8Array(0), this.countedHere);
      } catch (error) {
        return callback(error as Error);
      }
      this.releaseBuffers();
      return callback();
    }
    try {
      if (this.filled > 0) this.sendBatch();
      this.session.end();
    } catch (error) {
      return callback(error as Error);
    }
    this.finishing = callback;
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.session && !this.result) this.session.abort();
    this.waitingForBuffer = null;
    this.finishing = null;
    this.releaseBuffers();
    callback(error);
  }

  /** Copies `chunk` from `at` into batches, handing full ones over; waits for a buffer when `maxPendingBytes` are out. */
  private copy(chunk: Buffer, at: number, callback: TransformCallback): void {
    while (at < chunk.length) {
      if (this.failure) return callback(this.failure);
      if (this.batch && this.filled === this.batch.length && this.batch.length < this.batchBytes) this.growFirstBatch();
      if (this.batch && this.filled === this.batch.length) {
        try {
          this.sendBatch();
        } catch (error) {
          return callback(error as Error);
        }
      }
      if (!this.batch && this.allocated === 0 && !this.session && this.batchBytes > FIRST_BATCH_BYTES) {
        this.batch = new Uint8Array(FIRST_BATCH_BYTES); // never handed over: grown into a counted buffer first
        this.filled = 0;
      }
      if (!this.batch) {
        const buffer = this.takeBuffer();
        if (!buffer) {
          const from = at;
          this.waitingForBuffer = () => this.copy(chunk, from, callback);
          return;
        }
        this.batch = new Uint8Array(buffer);
        this.filled = 0;
      }
      const n = Math.min(chunk.length - at, this.batch.length - this.filled);
      this.batch.set(chunk.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      this.notePending();
    }
    callback();
  }

  /** The small first batch, full and followed by more: moved into a whole batch's buffer (once per stream). */
  private growFirstBatch(): void {
    const whole = new Uint8Array(this.takeBuffer()!); // none allocated yet, so there is one
    whole.set(this.batch!.subarray(0, this.filled));
    this.batch = whole;
  }

  private sendBatch(): void {
    this.session ??= this.threads.open(this.listener(), { countBytes: !this.countedHere });
    const { buffer } = this.batch!;
    const length = this.filled;
    this.batch = null;
    this.filled = 0;
    this.inFlight += length;
    this.session.send(buffer as ArrayBuffer, length);
  }

  private takeBuffer(): ArrayBuffer | null {
    const spare = this.spare.pop();
    if (spare) return spare;
    if (this.allocated >= this.maxBuffers) return null;
    this.allocated++;
    // Not from Buffer's shared pool (whose slabs cannot be transferred); uninitialised is fine, only filled bytes are read.
    return Buffer.allocUnsafeSlow(this.batchBytes).buffer as ArrayBuffer;
  }

  private notePending(): void {
    const pending = this.inFlight + this.filled;
    if (pending > this.peak) this.peak = pending;
  }

  private releaseBuffers(): void {
    this.batch = null;
    this.filled = 0;
    this.spare.length = 0;
  }

  private listener(): HashingListener {
    return {
      ack: (buffer, length) => {
        this.inFlight -= length;
        this.spare.push(buffer);
        const resume = this.waitingForBuffer;
        this.waitingForBuffer = null;
        resume?.();
      },
      done: (result) => this.onDone(result),
      fail: (error) => this.onFail(error),
    };
  }

  private onDone(result: HashingResult): void {
    if (result.size !== this.bytes) {
      this.onFail(new HashingThreadError(`hashing thread hashed ${result.size} bytes of ${this.bytes}`));
      return;
    }
    let entropy: number;
    try {
      if (this.countedHere) entropy = this.countedHere.value();
      else if (result.counts) entropy = EntropyCounter.fromCounts(result.counts).value();
      else throw new Error('no byte counts came back');
    } catch (error) {
      this.onFail(new HashingThreadError(`hashing thread: ${(error as Error).message}`));
      return;
    }
    const { md5, sha1, sha256, size } = result;
    this.result = { md5, sha1, sha256, size, entropy };
    this.releaseBuffers();
    const finishing = this.finishing;
    this.finishing = null;
    finishing?.();
  }

  /** The thread failed: whatever waits on it gets the error, and if nothing does, the stream is destroyed with it. */
  private onFail(error: Error): void {
    if (this.failure || this.result) return;
    this.failure = error;
    const resume = this.waitingForBuffer;
    const finishing = this.finishing;
    this.waitingForBuffer = null;
    this.finishing = null;
    if (resume) resume();
    else if (finishing) finishing(error);
    else this.destroy(error);
  }
}

/** The digests of bytes that never left the event loop (`counted`: their byte counts, when made as they passed). */
function hashHere(bytes: Uint8Array, counted: EntropyCounter | null): FileDigests {
  let entropy = counted;
  if (!entropy) {
    entropy = new EntropyCounter();
    entropy.update(bytes);
  }
  return {
    md5: createHash('md5').update(bytes).digest('hex'),
    sha1: createHash('sha1').update(bytes).digest('hex'),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    entropy: entropy.value(),
  };
}
