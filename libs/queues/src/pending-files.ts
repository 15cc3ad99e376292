import type { RedisConnection } from './redis-connection';
import type { IngestFileSighting } from '@hopper/messages';
import type { HashFieldWrite } from './file-guard';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import { RedisKeys } from './redis-keys';

/**
 * A file sighting accepted by the API and not yet recorded in `files` by the ingester: the file as measured,
 * when it was seen and until when it is kept (ISO 8601, as in the task; absent from records of an API that
 * stored the file alone).
 */
export type PendingFile = IngestFileSighting['file'] & Partial<Pick<IngestFileSighting, 'seen_at' | 'expiry'>>;

/**
 * Files the API has accepted whose `files` document the ingester has not written yet (it writes them in
 * batches, off the request path). A sha256 ingest or submit reads them beside the document, so a file is
 * known, and classified as high as every sighting of it, from the moment its first ingest is answered; so do
 * the file read routes (a file is readable as soon as its ingest is answered).
 * One hash per sha256, one field per classification seen; the ingester removes a field once it has recorded
 * that sighting, and the key lapses after `ttlSeconds` whatever happens.
 */
export class PendingFiles {
  private readonly keys: RedisKeys;
  private readonly scripts: ScriptedRedis;

  constructor(
    private readonly redis: RedisConnection,
    private readonly options: { prefix: string; ttlSeconds: number },
  ) {
    this.scripts = hopperScripts(redis);
    this.keys = new RedisKeys(options.prefix);
  }

  private key(sha256: string): string {
    return this.keys.pendingFile(sha256);
  }

  /** One round trip (a script: the hash never exists without its expiry). */
  async remember(sighting: IngestFileSighting): Promise<void> {
    const { key, field, value, ttlSeconds } = this.fieldOf(sighting);
    await this.scripts.hopperHashFieldSet(key, field, value, ttlSeconds);
  }

  /** What `remember` writes, for a caller that writes it in a step of its own (a FileGuard release). */
  fieldOf(sighting: IngestFileSighting): HashFieldWrite {
    const { file, seen_at, expiry } = sighting;
    const record: PendingFile = { ...file, seen_at, expiry };
    return { key: this.key(file.sha256), field: file.classification, value: JSON.stringify(record), ttlSeconds: this.options.ttlSeconds };
  }

  /** The pending sightings of the file (none once the ingester has recorded them all). */
  async lookUp(sha256: string): Promise<PendingFile[]> {
    return Object.values(await this.redis.hgetall(this.key(sha256))).map((value) => JSON.parse(value) as PendingFile);
  }

  /** Forgets recorded sightings, all in one round trip (one script). */
  async forget(files: ReadonlyArray<Pick<PendingFile, 'sha256' | 'classification'>>): Promise<void> {
    if (files.length === 0) return;
    const keys = files.map((file) => this.key(file.sha256));
    await this.scripts.hopperHashFieldsDelete(files.length, ...keys, ...files.map((file) => file.classification));
  }
}
