/**
 * Upload bodies for the ingest benchmarks, generated rather than stored: pseudo-random bytes that are the
 * same for the same (seed, index) in every process (the load client and the bench process must produce
 * identical bytes), cheap to make (one copy from a fixed pool per chunk), and a hand-written multipart
 * envelope around them so a body of any size streams without ever being held whole.
 */
import { Readable } from 'node:stream';

/** The chunk size both the uploads and the hashing baseline stream in. */
export const CHUNK_BYTES = 64 * 1024;
const POOL_BYTES = 4 * 1024 * 1024;

let pool: Buffer | null = null;

/** 4 MiB of xorshift output from a fixed seed: identical in every process, made once (~10 ms). */
function sharedPool(): Buffer {
  if (pool) return pool;
  const words = new Uint32Array(POOL_BYTES / 4);
  const next = xorshift(0x2545f491);
  for (let i = 0; i < words.length; i++) words[i] = next();
  pool = Buffer.from(words.buffer);
  return pool;
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}

/**
 * Fills `target` with the bytes of chunk `index` of stream `seed`: a copy of the pool from an offset that
 * (seed, index) pick, stamped with both, so no two chunks and no two streams are alike.
 */
export function fillChunk(target: Buffer, seed: number, index: number): Buffer {
  const source = sharedPool();
  const next = xorshift(Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b));
  next();
  let written = 0;
  while (written < target.length) {
    const length = Math.min(target.length - written, POOL_BYTES >> 1);
    const offset = next() % (POOL_BYTES - length);
    source.copy(target, written, offset, offset + length);
    written += length;
  }
  if (target.length >= 8) {
    target.writeUInt32LE(seed >>> 0, 0);
    target.writeUInt32LE(index >>> 0, 4);
  }
  return target;
}

/** `size` pseudo-random bytes of stream `seed`, in `chunkBytes` chunks, with optional bytes before and after. */
export class PseudoRandomStream extends Readable {
  private sent = 0;
  private index = 0;
  private headSent = false;

  constructor(
    private readonly size: number,
    private readonly seed: number,
    private readonly options: { chunkBytes?: number; before?: Buffer; after?: Buffer } = {},
  ) {
    super({ highWaterMark: options.chunkBytes ?? CHUNK_BYTES });
  }

  override _read(): void {
    const chunkBytes = this.options.chunkBytes ?? CHUNK_BYTES;
    for (;;) {
      if (!this.headSent) {
        this.headSent = true;
        if (this.options.before?.length && !this.push(this.options.before)) return;
        continue;
      }
      if (this.sent >= this.size) {
        if (this.options.after?.length) this.push(this.options.after);
        this.push(null);
        return;
      }
      const length = Math.min(chunkBytes, this.size - this.sent);
      const chunk = fillChunk(Buffer.allocUnsafe(length), this.seed, this.index++);
      this.sent += length;
      if (!this.push(chunk)) return;
    }
  }
}

/** A multipart/form-data envelope around one file part: text fields first, then the file. */
export interface MultipartEnvelope {
  contentType: string;
  /** Everything before the file's bytes. */
  before: Buffer;
  /** Everything after them. */
  after: Buffer;
}

/** Assemblyline's two parts: `json` (the data block) and `bin` (the file). */
export function multipartEnvelope(json: string, filename: string): MultipartEnvelope {
  return multipartForm([['json', json]], 'bin', filename);
}

/** Text `fields` in order (a Threat Grid `api_key`, say), then the file part named `filePart`. */
export function multipartForm(fields: ReadonlyArray<readonly [string, string]>, filePart: string, filename: string): MultipartEnvelope {
  const boundary = `----hopperbench${Math.random().toString(16).slice(2)}`;
  const text = fields.map(([name, value]) => `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`).join('');
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    before: Buffer.from(
      text +
        `--${boundary}\r\nContent-Disposition: form-data; name="${filePart}"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    after: Buffer.from(`\r\n--${boundary}--\r\n`),
  };
}
