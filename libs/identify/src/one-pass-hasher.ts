import { createHash, Hash } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { EntropyCounter } from './entropy';
import type { FileDigests, FileHashes } from './file-digests';

/**
 * A pass-through stream that computes md5, sha1, sha256, size and entropy of what flows through it, so a
 * file is hashed while it is written to the filestore, in one pass and without holding the file.
 * `digests()` / `fileDigests()` are valid once the stream has ended.
 *
 * ssdeep and TLSH are left out: no maintained npm package computes them incrementally over a stream (the
 * ones there are take a whole buffer or string).
 */
export class OnePassHasher extends Transform {
  private readonly md5: Hash = createHash('md5');
  private readonly sha1: Hash = createHash('sha1');
  private readonly sha256: Hash = createHash('sha256');
  private readonly entropy = new EntropyCounter();
  private result: FileHashes | null = null;
  private bytes = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.md5.update(chunk);
    this.sha1.update(chunk);
    this.sha256.update(chunk);
    this.entropy.update(chunk);
    this.bytes += chunk.length;
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    this.result = { md5: this.md5.digest('hex'), sha1: this.sha1.digest('hex'), sha256: this.sha256.digest('hex') };
    callback();
  }

  /** Bytes seen so far. */
  get size(): number {
    return this.bytes;
  }

  digests(): FileHashes {
    if (!this.result) throw new Error('OnePassHasher: digests() called before the stream ended');
    return this.result;
  }

  /** The digests plus size and entropy, as a file record stores them. */
  fileDigests(): FileDigests {
    return { ...this.digests(), size: this.bytes, entropy: this.entropy.value() };
  }
}
