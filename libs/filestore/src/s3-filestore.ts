import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'minio';
import { assertValidKey, BlobEntry, BlobNotFoundError, BlobStat, Filestore, StagedBlob } from './filestore';
import { asS3Outage } from './s3-unavailable';
import { StagingEntry, stagingName } from './staging-owner';

export interface S3FilestoreOptions {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  bucket: string;
  region?: string;
}

// Unknown-length uploads go up in parts of this size: the most any one upload holds in memory.
const PART_SIZE = 8 * 1024 * 1024;
const STAGING_PREFIX = '.staging/';

/**
 * Blobs in an S3 bucket (MinIO or any S3). Staged uploads go to `.staging/<uuid>` and are committed
 * with a server-side copy, so the bytes cross the network once and a key only ever names a whole blob.
 * An error that says the store is unreachable or unavailable for now is thrown as FilestoreUnavailableError
 * (a dependency outage: the API answers 503 + Retry-After, workers put their job back).
 */
export class S3Filestore implements Filestore {
  readonly backend = 's3' as const;
  private readonly client: Client;
  private readonly bucket: string;
  private bucketReady?: Promise<void>;

  constructor(options: S3FilestoreOptions) {
    const url = new URL(options.endpoint);
    const useSSL = url.protocol === 'https:';
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : useSSL ? 443 : 80,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region || undefined,
      partSize: PART_SIZE,
    });
    this.bucket = options.bucket;
  }

  async stage(body: Readable): Promise<StagedBlob> {
    try {
      await this.ensureBucket();
    } catch (error) {
      // Nothing will read the input: end it, so whoever feeds it does not wait for ever.
      body.destroy();
      throw asS3Outage(error);
    }
    const tempKey = `${STAGING_PREFIX}${stagingName()}`;
    let size = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        size += chunk.length;
        done(null, chunk);
      },
    });
    // The upload only ends when its input ends; a failing input must abort it rather than stall it.
    let inputFailed = false;
    const input = pipeline(body, counter).catch((error: unknown) => {
      inputFailed = true;
      throw error;
    });
    try {
      await Promise.all([this.client.putObject(this.bucket, tempKey, counter), input]);
    } catch (error) {
      counter.destroy();
      await Promise.all([
        this.client.removeIncompleteUpload(this.bucket, tempKey).catch(() => undefined),
        this.client.removeObject(this.bucket, tempKey).catch(() => undefined),
      ]);
      // The input's own failure (a client gone mid-upload: `aborted`, ECONNRESET) is no outage of the store.
      throw inputFailed ? error : asS3Outage(error);
    }
    return {
      size,
      open: () => this.call(() => this.client.getObject(this.bucket, tempKey)),
      commit: (key) =>
        this.call(async () => {
          assertValidKey(key);
          if (!(await this.exists(key))) {
            await this.client.copyObject(this.bucket, key, `/${this.bucket}/${tempKey}`);
          }
          await this.client.removeObject(this.bucket, tempKey);
        }),
      discard: () => this.call(() => this.client.removeObject(this.bucket, tempKey)),
    };
  }

  async put(key: string, body: Readable): Promise<void> {
    assertValidKey(key);
    const staged = await this.stage(body);
    await staged.commit(key);
  }

  async get(key: string): Promise<Readable> {
    assertValidKey(key);
    try {
      return await this.client.getObject(this.bucket, key);
    } catch (error) {
      throw isNotFound(error) ? new BlobNotFoundError(key) : asS3Outage(error);
    }
  }

  async readHead(key: string, maxBytes: number): Promise<Buffer> {
    assertValidKey(key);
    let body: Readable;
    try {
      body = await this.client.getPartialObject(this.bucket, key, 0, maxBytes);
    } catch (error) {
      if (isNotFound(error)) throw new BlobNotFoundError(key);
      // S3 answers a range on an empty object with 416: the object is there, and has no head.
      if ((error as { code?: string }).code === 'InvalidRange') return Buffer.alloc(0);
      throw asS3Outage(error);
    }
    const parts: Buffer[] = [];
    try {
      for await (const part of body) parts.push(part as Buffer);
    } catch (error) {
      throw asS3Outage(error);
    }
    return Buffer.concat(parts).subarray(0, maxBytes);
  }

  async exists(key: string): Promise<boolean> {
    return (await this.stat(key)) !== null;
  }

  async stat(key: string): Promise<BlobStat | null> {
    assertValidKey(key);
    try {
      const info = await this.client.statObject(this.bucket, key);
      return { size: info.size };
    } catch (error) {
      if (isNotFound(error)) return null;
      throw asS3Outage(error);
    }
  }

  async delete(key: string): Promise<void> {
    assertValidKey(key);
    await this.call(() => this.client.removeObject(this.bucket, key));
  }

  async deleteMany(keys: readonly string[]): Promise<void> {
    keys.forEach(assertValidKey);
    // One request per 1000 keys (S3's DeleteObjects limit).
    for (let start = 0; start < keys.length; start += 1000) {
      const results = await this.call(() => this.client.removeObjects(this.bucket, keys.slice(start, start + 1000) as string[]));
      const failed = results.find((result) => result?.Error?.Code && result.Error.Code !== 'NoSuchKey');
      if (failed) throw new Error(`S3 refused to delete ${failed.Error?.Key}: ${failed.Error?.Code} ${failed.Error?.Message ?? ''}`);
    }
  }

  async *list(after = ''): AsyncIterable<BlobEntry> {
    await this.ensureBucket();
    // ListObjectsV2 pages of 1000 keys in key order, resumed after `after`.
    for await (const item of this.client.listObjectsV2(this.bucket, '', true, after)) {
      const { name, size, lastModified } = item as { name?: string; size: number; lastModified: Date };
      if (!name || name.startsWith(STAGING_PREFIX)) continue;
      yield { key: name, size, modified: lastModified };
    }
  }

  async ping(): Promise<void> {
    // A real request every time, so readiness notices when the server goes away.
    if (!(await this.client.bucketExists(this.bucket))) {
      this.bucketReady = undefined;
      await this.ensureBucket();
    }
  }

  /**
   * Staged objects, and the multipart uploads a killed process never finished (invisible in a listing, but
   * stored and billed): both named `.staging/<host>-<pid>-<uuid>`.
   */
  async sweepStaging(abandoned: (entry: StagingEntry) => boolean): Promise<number> {
    await this.ensureBucket();
    let removed = 0;
    for await (const object of this.client.listObjectsV2(this.bucket, STAGING_PREFIX, true) as AsyncIterable<{ name?: string; lastModified?: Date }>) {
      if (!object.name || !object.lastModified) continue;
      if (!abandoned({ name: object.name.slice(STAGING_PREFIX.length), modifiedAt: object.lastModified.getTime() })) continue;
      await this.client.removeObject(this.bucket, object.name);
      removed++;
    }
    // Paged by hand: the streaming listing drops when each upload began. Unfiltered: MinIO lists by prefix
    // only an exact key.
    let keyMarker = '';
    let uploadIdMarker = '';
    for (;;) {
      const page = await this.client.listIncompleteUploadsQuery(this.bucket, '', keyMarker, uploadIdMarker, '');
      for (const upload of page.uploads) {
        if (!upload.key.startsWith(STAGING_PREFIX)) continue;
        if (!abandoned({ name: upload.key.slice(STAGING_PREFIX.length), modifiedAt: upload.initiated.getTime() })) continue;
        await this.client.abortMultipartUpload(this.bucket, upload.key, upload.uploadId);
        removed++;
      }
      if (!page.isTruncated) break;
      keyMarker = page.nextKeyMarker;
      uploadIdMarker = page.nextUploadIdMarker;
    }
    return removed;
  }

  /** `operation`, its failure thrown as an outage when it says the store is unavailable. */
  private async call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw asS3Outage(error);
    }
  }

  /** Creates the bucket on first use; a failed attempt is retried on the next call. */
  private ensureBucket(): Promise<void> {
    this.bucketReady ??= (async () => {
      if (!(await this.client.bucketExists(this.bucket))) {
        await this.client.makeBucket(this.bucket).catch(async (error) => {
          // Another process may have created it in between.
          if (!(await this.client.bucketExists(this.bucket))) throw error;
        });
      }
    })().catch((error) => {
      this.bucketReady = undefined;
      throw error;
    });
    return this.bucketReady;
  }
}

function isNotFound(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'NoSuchKey' || code === 'NotFound' || code === 'NoSuchBucket';
}
