import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { HASHING_THREAD_SOURCE } from './hashing-thread-source';

/** What the hashing thread computed over every byte of one session. */
export interface HashingResult {
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
  /** Per byte value, how many times it occurred (256 counts), for the entropy; null when not asked for. */
  counts: Float64Array | null;
}

/** What a session's owner hears back; exactly one of `done` and `fail` is called, once. */
export interface HashingListener {
  /** A buffer given to `send` was hashed; it comes back (`length` bytes of it were used) to be filled again. */
  ack(buffer: ArrayBuffer, length: number): void;
  done(result: HashingResult): void;
  fail(error: Error): void;
}

/** One stream's hashing on a hashing thread. */
export interface HashingSession {
  /** Hands over the first `length` bytes of `buffer`; the buffer is transferred (unusable here) until `ack` returns it. */
  send(buffer: ArrayBuffer, length: number): void;
  /** No more data: the listener's `done` follows once the thread has hashed everything sent. */
  end(): void;
  /** Forget the session; the listener hears nothing more. */
  abort(): void;
}

/** A hashing thread failed (crashed, exited, was stopped) or refused a session's messages. */
export class HashingThreadError extends Error {
  override readonly name = 'HashingThreadError';
}

/** Default pool size: the cores the event loop does not use, at least 1 and at most 4. */
export function defaultHashingThreadCount(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 4));
}

export interface HashingThreadsOptions {
  /** How many threads at most (default defaultHashingThreadCount()); started as sessions need them. */
  threads?: number;
  /** The threads' program; tests replace it to make a thread misbehave. */
  source?: string;
}

interface DoneMessage {
  op: 'done';
  id: number;
  md5: string;
  sha1: string;
  sha256: string;
  size: number;
  counts: Float64Array | null;
}
type ThreadMessage =
  | { op: 'ack'; id: number; buffer: ArrayBuffer; length: number }
  | DoneMessage
  | { op: 'error'; id: number; message: string };

/** One worker thread and the sessions it serves. */
class HashingThread {
  readonly worker: Worker;
  readonly sessions = new Map<number, HashingListener>();
  private failed = false;

  constructor(source: string, private readonly gone: (thread: HashingThread) => void) {
    this.worker = new Worker(source, { eval: true, name: 'hopper-hashing' });
    this.worker.on('message', (message: ThreadMessage) => this.receive(message));
    this.worker.on('error', (error) => this.fail(new HashingThreadError(`hashing thread crashed: ${error.message}`, { cause: error })));
    this.worker.on('messageerror', (error) => this.fail(new HashingThreadError(`hashing thread message failed: ${error.message}`, { cause: error })));
    this.worker.on('exit', (code) => this.fail(new HashingThreadError(`hashing thread exited (code ${code})`)));
    // An idle thread must not keep the process alive; a busy one does (see attach/detach). After the listeners:
    // adding a 'message' listener refs the worker's port again.
    this.worker.unref();
  }

  get usable(): boolean {
    return !this.failed;
  }

  attach(id: number, listener: HashingListener): void {
    if (this.sessions.size === 0) this.worker.ref();
    this.sessions.set(id, listener);
  }

  detach(id: number): HashingListener | undefined {
    const listener = this.sessions.get(id);
    if (listener && this.sessions.delete(id) && this.sessions.size === 0) this.worker.unref();
    return listener;
  }

  post(message: unknown, transfer?: ArrayBuffer[]): void {
    if (this.failed) return; // the session was failed already
    this.worker.postMessage(message, transfer);
  }

  /** Fails every session and drops the thread; the next session starts a new one. */
  fail(error: Error): void {
    if (this.failed) return;
    this.failed = true;
    this.gone(this);
    const listeners = [...this.sessions.values()];
    this.sessions.clear();
    this.worker.unref();
    void this.worker.terminate().catch(() => undefined);
    for (const listener of listeners) listener.fail(error);
  }

  private receive(message: ThreadMessage): void {
    if (message.op === 'ack') {
      this.sessions.get(message.id)?.ack(message.buffer, message.length);
      return;
    }
    const listener = this.detach(message.id);
    if (!listener) return; // aborted meanwhile
    if (message.op === 'done') {
      const { md5, sha1, sha256, size, counts } = message;
      listener.done({ md5, sha1, sha256, size, counts });
    } else {
      listener.fail(new HashingThreadError(`hashing thread: ${message.message}`));
    }
  }
}

/**
 * A small pool of worker threads that compute md5, sha1, sha256 and byte counts (for the entropy) off the
 * event loop, shared by all the streams of a process: each stream is a session on one thread, the thread with
 * the fewest sessions, a new thread started while the pool is below its size. Threads live as long as the
 * process (unref'd while idle, so they never keep it alive); a thread that fails fails its sessions and is
 * replaced by the next session that needs one.
 */
export class HashingThreads {
  readonly size: number;
  private readonly source: string;
  private readonly threads: HashingThread[] = [];
  private nextId = 1;
  private closed = false;

  constructor(options: HashingThreadsOptions = {}) {
    this.size = options.threads ?? defaultHashingThreadCount();
    if (!Number.isInteger(this.size) || this.size < 1) throw new RangeError(`HashingThreads: threads must be a positive integer, not ${this.size}`);
    this.source = options.source ?? HASHING_THREAD_SOURCE;
  }

  /** Threads running now. */
  get running(): number {
    return this.threads.length;
  }

  /** Starts the first thread ahead of need (a thread takes some tens of milliseconds to start). */
  warm(): void {
    if (!this.closed && this.threads.length === 0) this.start();
  }

  /**
   * A new session on the least busy thread; `countBytes: false` leaves the byte counts out (its owner counts them).
   * Throws when the pool is closed or a thread cannot start.
   */
  open(listener: HashingListener, options: { countBytes?: boolean } = {}): HashingSession {
    if (this.closed) throw new HashingThreadError('hashing threads closed');
    const thread = this.pick();
    const id = this.nextId++;
    thread.attach(id, listener);
    thread.post({ op: 'open', id, countBytes: options.countBytes ?? true });
    let finished = false;
    return {
      send: (buffer, length) => thread.post({ op: 'data', id, buffer, length }, [buffer]),
      end: () => thread.post({ op: 'end', id }),
      abort: () => {
        if (finished) return;
        finished = true;
        if (thread.detach(id)) thread.post({ op: 'abort', id });
      },
    };
  }

  /** Stops every thread; sessions still running fail. Later `open` calls throw. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = [...this.threads];
    for (const thread of threads) thread.fail(new HashingThreadError('hashing threads closed'));
    await Promise.all(threads.map((thread) => thread.worker.terminate().catch(() => undefined)));
  }

  private pick(): HashingThread {
    let best: HashingThread | null = null;
    for (const thread of this.threads) if (thread.usable && (!best || thread.sessions.size < best.sessions.size)) best = thread;
    if (best && (best.sessions.size === 0 || this.threads.length >= this.size)) return best;
    return this.start();
  }

  private start(): HashingThread {
    const thread = new HashingThread(this.source, (gone) => {
      const at = this.threads.indexOf(gone);
      if (at >= 0) this.threads.splice(at, 1);
    });
    this.threads.push(thread);
    return thread;
  }
}

let shared: HashingThreads | null = null;

/** The process's pool, made on first use. */
export function sharedHashingThreads(): HashingThreads {
  shared ??= new HashingThreads();
  return shared;
}
