import { Readable } from 'node:stream';
import type { StagingEntry } from './staging-owner';

/** A blob that has been written to temporary storage and is not yet visible under any key. */
export interface StagedBlob {
  /** Bytes written. */
  readonly size: number;
  /** A read stream of the staged bytes (e.g. to decode a CaRT before deciding what to keep). */
  open(): Promise<Readable>;
  /** Makes the blob visible under `key` in one step; if `key` already holds a blob, the staged copy is dropped. */
  commit(key: string): Promise<void>;
  /** Drops the staged bytes. */
  discard(): Promise<void>;
}

export interface BlobStat {
  size: number;
}

/** A committed blob, as a listing answers it. */
export interface BlobEntry {
  key: string;
  size: number;
  /** When the blob was last written (a commit over an existing blob may or may not renew it). */
  modified: Date;
}

/**
 * Content-addressed blob storage. Writes are atomic: a blob appears under its key whole or not at all,
 * so a crash never leaves a partial file under a sha256 name.
 */
export interface Filestore {
  readonly backend: 'local' | 's3';
  /** Consumes `body` into temporary storage; the caller names it (e.g. by its hash) once it is known. */
  stage(body: Readable): Promise<StagedBlob>;
  /** Stages and commits in one call, for when the key is known up front. */
  put(key: string, body: Readable): Promise<void>;
  /** A read stream of the blob; throws BlobNotFoundError. */
  get(key: string): Promise<Readable>;
  /**
   * The blob's first `maxBytes` bytes (all of a shorter blob), read alone (local: one read; S3: a ranged GET),
   * e.g. to identify a stored file without reading the rest; throws BlobNotFoundError.
   */
  readHead(key: string, maxBytes: number): Promise<Buffer>;
  exists(key: string): Promise<boolean>;
  /** The blob's size, or null when absent. */
  stat(key: string): Promise<BlobStat | null>;
  /** Removes the blob; removing an absent blob is not an error. */
  delete(key: string): Promise<void>;
  /** Removes the blobs (a bulk request where the backend has one); absent blobs are not an error. */
  deleteMany(keys: readonly string[]): Promise<void>;
  /**
   * The committed blobs in key order, starting after `after` (staged uploads left out): streamed, so a
   * listing of millions of blobs holds one directory (local) or one page (S3) in memory at a time.
   */
  list(after?: string): AsyncIterable<BlobEntry>;
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>;
  /**
   * Removes the staged uploads `abandoned` picks (a request that died left them: see StagingSweeper);
   * answers how many went.
   */
  sweepStaging(abandoned: (entry: StagingEntry) => boolean): Promise<number>;
}

export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob ${key} not found in the filestore`);
    this.name = 'BlobNotFoundError';
  }
}

/**
 * The store cannot be reached or cannot serve right now (an S3 endpoint refusing connections, going away, or
 * answering that it is unavailable): the work is fine, try it again later. Its message names no address; the
 * client's error is its `cause`.
 */
export class FilestoreUnavailableError extends Error {
  constructor(options: { cause: unknown }) {
    super('The filestore cannot be reached right now; retry later', options);
    this.name = 'FilestoreUnavailableError';
  }
}

export class InvalidBlobKeyError extends Error {
  constructor(readonly key: string) {
    super(`Invalid filestore key: ${JSON.stringify(key)}`);
    this.name = 'InvalidBlobKeyError';
  }
}

// Keys are hashes or similar names: no separators, so a key can never escape the store.
const KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{3,254}$/;

export function assertValidKey(key: string): void {
  if (!KEY_PATTERN.test(key)) throw new InvalidBlobKeyError(key);
}
