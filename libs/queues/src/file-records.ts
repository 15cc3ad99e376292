import type { FileRecordMirror, FileFacts } from '@hopper/datastore';
import { hopperScripts, ScriptedRedis } from './lua-scripts';
import type { RedisConnection } from './redis-connection';
import { RedisKeys } from './redis-keys';
import { repliesOf } from './redis-replies';

/** What a file's record says: its identity, and every classification its document has had (their max is its own). */
export interface FileRecordView {
  file: Omit<FileFacts, 'classification'>;
  classifications: string[];
}

const CLASSIFICATION_FIELD = 'c:';
/**
 * How long a deletion's tombstone refuses a reader's copy: longer than any lookup takes between reading the
 * document and writing its copy (a lookup that slow only leaves the file to be read from `files` again).
 */
const TOMBSTONE_SECONDS = 300;

/**
 * Each file's record in Redis, so that a lookup by sha256 on the request path (ingest, submit) needs no
 * MongoDB read: FilesRepository keeps it as its FileRecordMirror, on every write and deletion of `files`, and
 * a lookup that finds no trusted record reads the document once and records it. One hash per file:
 * - `c:<classification>`: each classification the file was seen with; the file's classification is their max
 *   (the classification engine's, taken by the reader). A sighting adds its own before it writes the document,
 *   so the record is never below the document, whoever reads first;
 * - `f`: the identity (hashes, size, type, magic, mime, entropy), JSON;
 * - `complete`: a document has been copied in; until then the record is only sightings, and not trusted;
 * - `tomb`: the file's document was deleted; a reader's copy (of a document read before) is refused until
 *   a new document is created or the tombstone lapses.
 * A record lapses `ttlSeconds` after its last write. Its existence says nothing of the blob's: lookups check
 * the filestore as before.
 */
export class FileRecords implements FileRecordMirror {
  private readonly keys: RedisKeys;
  private readonly redis: ScriptedRedis;

  constructor(
    redis: RedisConnection,
    private readonly options: { prefix: string; ttlSeconds: number },
  ) {
    this.redis = hopperScripts(redis);
    this.keys = new RedisKeys(options.prefix);
  }

  /**
   * The file's trusted record (at least one classification), or null (none, only sightings so far, or a
   * deletion's tombstone). One round trip.
   */
  async read(sha256: string): Promise<FileRecordView | null> {
    const fields = await this.redis.hgetall(this.keys.fileRecord(sha256));
    if (fields.complete !== '1' || fields.tomb === '1' || fields.f === undefined) return null;
    const classifications = Object.keys(fields)
      .filter((field) => field.startsWith(CLASSIFICATION_FIELD))
      .map((field) => field.slice(CLASSIFICATION_FIELD.length));
    if (classifications.length === 0) return null;
    return { file: JSON.parse(fields.f) as FileRecordView['file'], classifications };
  }

  /** Answers the sha256s that had a record before (told by the same script: no extra round trip). */
  async seeing(sightings: ReadonlyArray<Pick<FileFacts, 'sha256' | 'classification'>>): Promise<ReadonlySet<string>> {
    const recorded = new Set<string>();
    if (sightings.length === 0) return recorded;
    const keys = sightings.map(({ sha256 }) => this.keys.fileRecord(sha256));
    const fields = sightings.map(({ classification }) => CLASSIFICATION_FIELD + classification);
    const existed = await this.redis.hopperFileRecordsSeeing(sightings.length, ...keys, this.options.ttlSeconds, ...fields);
    sightings.forEach(({ sha256 }, index) => {
      if (existed[index] === 1) recorded.add(sha256);
    });
    return recorded;
  }

  async known(documents: ReadonlyArray<{ file: FileFacts; created: boolean }>): Promise<void> {
    if (documents.length === 0) return;
    const pipeline = this.redis.pipeline() as ReturnType<ScriptedRedis['pipeline']> & PipelinedScripts;
    for (const { file, created } of documents) {
      const { classification, ...identity } = file;
      pipeline.hopperFileRecordKnown(this.keys.fileRecord(file.sha256), JSON.stringify(identity), classification, this.options.ttlSeconds, created ? '1' : '0');
    }
    repliesOf(await pipeline.exec());
  }

  async deleted(sha256s: readonly string[]): Promise<void> {
    if (sha256s.length === 0) return;
    // One transaction: no reader may find the record between its removal and its tombstone.
    const transaction = this.redis.multi();
    for (const sha256 of sha256s) {
      const key = this.keys.fileRecord(sha256);
      transaction.del(key).hset(key, 'tomb', '1').expire(key, TOMBSTONE_SECONDS);
    }
    repliesOf(await transaction.exec());
  }
}

/** The scripts as a pipeline queues them (ioredis defines each custom command on pipelines too). */
interface PipelinedScripts {
  hopperFileRecordKnown(record: string, identity: string, classification: string, ttlSeconds: number, created: '0' | '1'): unknown;
}
