import type { RedisConnection } from './redis-connection';
import type { IngestFileSighting } from '@hopper/messages';
import { RedisKeys } from './redis-keys';

/** A file sighting accepted by the API and not yet recorded in `files` by the ingester. */
export type PendingFile = IngestFileSighting['file'];

/**
 * Files the API has accepted whose `files` document the ingester has not written yet (it writes them in
 * batches, off the request path). A sha256 ingest or submit reads them beside the document, so a file is
 * known, and classified as high as every sighting of it, from the moment its first ingest is answered.
 * One hash per sha256, one field per classification seen; the ingester removes a field once it has recorded
 * that sighting, and the key lapses after `ttlSeconds` whatever happens.
 */
export class PendingFiles {
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: { prefix: string; ttlSeconds: number },
  ) {
    this.keys = new RedisKeys(options.prefix);
  }

  private key(sha256: string): string {
    return this.keys.pendingFile(sha256);
  }

  /** One round trip (MULTI). */
  async remember(file: PendingFile): Promise<void> {
    const key = this.key(file.sha256);
    await this.redis.multi().hset(key, file.classification, JSON.stringify(file)).expire(key, this.options.ttlSeconds).exec();
  }

  /** The pending sightings of the file (none once the ingester has recorded them all). */
  async lookUp(sha256: string): Promise<PendingFile[]> {
    return Object.values(await this.redis.hgetall(this.key(sha256))).map((value) => JSON.parse(value) as PendingFile);
  }

  /** Forgets recorded sightings, all in one round trip (a pipeline). */
  async forget(files: ReadonlyArray<Pick<PendingFile, 'sha256' | 'classification'>>): Promise<void> {
    if (files.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const file of files) pipeline.hdel(this.key(file.sha256), file.classification);
    await pipeline.exec();
  }
}
