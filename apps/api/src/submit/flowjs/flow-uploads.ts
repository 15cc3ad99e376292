import { BadRequestException, Inject, Injectable, Logger } from '@nestjs/common';
import type { RedisConnection } from '@hopper/queues';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { FILESTORE, Filestore, StagedBlob } from '@hopper/filestore';
import { REDIS_CONNECTION, RedisKeys } from '@hopper/queues';
import { flowCacheName, FlowChunk } from './flow-chunk';

/** An upload nobody touched for this long is deleted (its chunks, then its record). */
export const FLOW_UPLOAD_TTL_SECONDS = 24 * 3600;
/** Expired uploads removed per request, at most (each costs a few filestore deletes). */
const SWEEP_BATCH = 16;
/** Prefix of chunk blobs in the filestore: never a sha256, so never taken for a file. */
export const FLOW_CHUNK_KEY_PREFIX = 'flowjs.';

/** An upload whose chunks are all there, ready to be read in order. */
export interface FlowAssembly {
  /** The upload's cache name (the UI's id for it). */
  name: string;
  filename: string;
  size: number;
  /** The chunks in order, as one stream: one chunk is read at a time, never the whole file. */
  stream(): Readable;
}

interface UploadState {
  totalChunks: number;
  totalSize: number;
  filename: string;
  /** Bytes of each chunk received, by chunk number. */
  chunks: Map<number, number>;
}

/**
 * The flow.js uploads of the UI, between their chunks and the start of their submission. Chunks are blobs in
 * the filestore (`flowjs.<upload>.<n>`), so every API process of a deployment sees the same upload whichever
 * process got each chunk; Redis records which chunks arrived and what the upload said it was. Uploads are
 * per user (the id hashes the user with the flow identifier): one user can neither see, overwrite nor start
 * another's. An upload untouched for FLOW_UPLOAD_TTL_SECONDS is deleted by the next flow.js request.
 */
@Injectable()
export class FlowUploads {
  private readonly logger = new Logger(FlowUploads.name);
  private readonly keys: RedisKeys;

  constructor(
    @Inject(FILESTORE) private readonly filestore: Filestore,
    @Inject(REDIS_CONNECTION) private readonly redis: RedisConnection,
    @Inject(HOPPER_CONFIG) config: HopperConfig,
  ) {
    this.keys = new RedisKeys(config.redis.prefix);
  }

  /** Whether this chunk of the caller's upload has arrived (flow.js asks before sending it). */
  async hasChunk(uname: string, chunk: FlowChunk): Promise<boolean> {
    return (await this.redis.hexists(this.stateKey(this.uploadId(uname, chunk.identifier)), `c${chunk.chunkNumber}`)) === 1;
  }

  /**
   * Keeps a received chunk (already staged); answers whether the upload is now complete. Refuses a chunk whose
   * upload description (total chunks, total size) differs from the first chunk's, or whose bytes would make the
   * upload larger than it said; the staged bytes are discarded then.
   */
  async saveChunk(uname: string, chunk: FlowChunk, staged: StagedBlob, now = new Date()): Promise<{ completed: boolean }> {
    await this.sweep(now);
    const id = this.uploadId(uname, chunk.identifier);
    const key = this.stateKey(id);
    try {
      // The first chunk to arrive describes the upload; every later one must agree with it.
      const results = await this.register(id, now)
        .hsetnx(key, 'total_chunks', chunk.totalChunks)
        .hsetnx(key, 'total_size', chunk.totalSize)
        .hsetnx(key, 'filename', chunk.filename)
        .hmget(key, 'total_chunks', 'total_size')
        .exec();
      const described = results![results!.length - 1][1] as [string | null, string | null];
      if (Number(described[0]) !== chunk.totalChunks || Number(described[1]) !== chunk.totalSize) {
        throw new BadRequestException(
          `flowTotalChunks and flowTotalSize must stay those of the upload's first chunk (${described[0]} chunks, ${described[1]} bytes)`,
        );
      }
      await staged.commit(this.chunkKey(id, chunk.chunkNumber));
    } catch (error) {
      await staged.discard().catch(() => undefined);
      throw error;
    }
    await this.register(id, now).hset(key, `c${chunk.chunkNumber}`, staged.size).exec();

    const state = await this.state(id);
    const received = [...(state?.chunks.values() ?? [])].reduce((sum, size) => sum + size, 0);
    if (received > chunk.totalSize) {
      await this.redis.hdel(key, `c${chunk.chunkNumber}`);
      await this.filestore.delete(this.chunkKey(id, chunk.chunkNumber));
      throw new BadRequestException(`The chunks sent add up to more than flowTotalSize (${chunk.totalSize} bytes)`);
    }
    return { completed: state !== null && state.chunks.size === state.totalChunks };
  }

  /** The caller's upload named `uiSid` when every chunk of it arrived (and adds up to its size); else null. */
  async complete(uname: string, uiSid: string): Promise<FlowAssembly | null> {
    await this.sweep(new Date());
    const id = this.uploadId(uname, uiSid);
    const state = await this.state(id);
    if (!state || !(state.totalChunks > 0) || state.chunks.size !== state.totalChunks) return null;
    const received = [...state.chunks.values()].reduce((sum, size) => sum + size, 0);
    if (received !== state.totalSize) {
      throw new BadRequestException(`The upload is not whole: its chunks hold ${received} bytes, flowTotalSize said ${state.totalSize}`);
    }
    const keys = Array.from({ length: state.totalChunks }, (_, index) => this.chunkKey(id, index + 1));
    const filestore = this.filestore;
    return {
      name: flowCacheName(uiSid),
      filename: state.filename,
      size: state.totalSize,
      stream: () =>
        Readable.from(
          (async function* () {
            for (const key of keys) yield* await filestore.get(key);
          })(),
        ),
    };
  }

  /** Deletes the caller's upload `uiSid`, whatever state it is in (no-op when there is none). */
  async remove(uname: string, uiSid: string): Promise<void> {
    await this.removeById(this.uploadId(uname, uiSid));
  }

  /** Deletes uploads untouched since before `now - FLOW_UPLOAD_TTL_SECONDS` (a batch of them). */
  async sweep(now: Date): Promise<void> {
    const expired = await this.redis.zrangebyscore(this.expiryKey(), '-inf', now.getTime(), 'LIMIT', 0, SWEEP_BATCH);
    for (const id of expired) {
      // Only the sweeper that takes it off the index deletes it.
      if ((await this.redis.zrem(this.expiryKey(), id)) === 1) {
        await this.removeById(id).catch((error) => this.logger.warn({ upload: id, error: String(error) }, 'expired flow.js upload not removed'));
      }
    }
  }

  /** Chunk numbers of the caller's upload that are stored (for tests and diagnostics). */
  async storedChunks(uname: string, uiSid: string): Promise<number[]> {
    const state = await this.state(this.uploadId(uname, uiSid));
    return state ? [...state.chunks.keys()].sort((a, b) => a - b) : [];
  }

  /** The filestore key of one chunk of the caller's upload. */
  chunkBlobKey(uname: string, uiSid: string, chunkNumber: number): string {
    return this.chunkKey(this.uploadId(uname, uiSid), chunkNumber);
  }

  private async removeById(id: string): Promise<void> {
    const state = await this.state(id);
    for (const number of state?.chunks.keys() ?? []) await this.filestore.delete(this.chunkKey(id, number));
    await this.redis.multi().del(this.stateKey(id)).zrem(this.expiryKey(), id).exec();
  }

  /** A MULTI that (re)registers the upload for expiry; the record itself outlives it by a day, as a backstop. */
  private register(id: string, now: Date) {
    return this.redis
      .multi()
      .zadd(this.expiryKey(), now.getTime() + FLOW_UPLOAD_TTL_SECONDS * 1000, id)
      .expire(this.stateKey(id), FLOW_UPLOAD_TTL_SECONDS + 24 * 3600);
  }

  private async state(id: string): Promise<UploadState | null> {
    const fields = await this.redis.hgetall(this.stateKey(id));
    if (Object.keys(fields).length === 0) return null;
    const chunks = new Map<number, number>();
    for (const [field, value] of Object.entries(fields)) {
      if (/^c\d+$/.test(field)) chunks.set(Number(field.slice(1)), Number(value));
    }
    return { totalChunks: Number(fields.total_chunks), totalSize: Number(fields.total_size), filename: fields.filename ?? '', chunks };
  }

  /** The upload's id: the user and the flow identifier's cache name, hashed (a safe key whatever they contain). */
  private uploadId(uname: string, identifier: string): string {
    return createHash('sha256').update(`${uname}\n${flowCacheName(identifier)}`).digest('hex').slice(0, 40);
  }

  private stateKey(id: string): string {
    return this.keys.flowUpload(id);
  }

  private expiryKey(): string {
    return this.keys.flowUploadExpiry();
  }

  private chunkKey(id: string, chunkNumber: number): string {
    return `${FLOW_CHUNK_KEY_PREFIX}${id}.${chunkNumber}`;
  }
}
