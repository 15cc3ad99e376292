// The small writes that used to go by ioredis MULTI or pipeline and now go by one Lua script each
// (hash-field-set, hash-fields-delete, file-records-seeing): what they leave in a real Redis, expiries included.
import { randomBytes } from 'node:crypto';
import IORedis from 'ioredis';
import { HopperConfig } from '@hopper/config';
import { FileRecords, PendingFiles, RedisKeys, SubmissionProgress } from '@hopper/queues';
import { isolatedConfig, removeTestKeys } from './support/test-env';

const TTL_SECONDS = 3600;
const sha256 = () => randomBytes(32).toString('hex');

describe('hash writes by script on a real Redis', () => {
  let config: HopperConfig;
  let redis: IORedis;
  let keys: RedisKeys;

  beforeAll(() => {
    config = isolatedConfig('hash-scripts');
    redis = new IORedis(config.redis.url);
    keys = new RedisKeys(config.redis.prefix);
  });

  afterAll(async () => {
    await redis.quit();
    await removeTestKeys(config);
  });

  const sighting = (file: string, classification: string) => ({
    file: { sha256: file, md5: 'a'.repeat(32), sha1: 'b'.repeat(40), size: 10, classification },
    seen_at: '2026-12-07T00:00:00.000Z',
    expiry: null,
  });

  it('PendingFiles.remember adds a field per classification to a hash that always has its expiry; forget deletes only the fields named', async () => {
    const pending = new PendingFiles(redis, { prefix: config.redis.prefix, ttlSeconds: TTL_SECONDS });
    const [first, second] = [sha256(), sha256()];
    await pending.remember(sighting(first, 'TLP:CLEAR'));
    await pending.remember(sighting(first, 'TLP:AMBER'));
    await pending.remember(sighting(second, 'TLP:CLEAR'));
    expect((await pending.lookUp(first)).map((file) => file.classification).sort()).toEqual(['TLP:AMBER', 'TLP:CLEAR']);
    for (const file of [first, second]) {
      const ttl = await redis.ttl(keys.pendingFile(file));
      expect(ttl).toBeGreaterThan(TTL_SECONDS - 60);
      expect(ttl).toBeLessThanOrEqual(TTL_SECONDS);
    }

    await pending.forget([
      { sha256: first, classification: 'TLP:CLEAR' },
      { sha256: second, classification: 'TLP:CLEAR' },
    ]);
    expect((await pending.lookUp(first)).map((file) => file.classification)).toEqual(['TLP:AMBER']);
    expect(await pending.lookUp(second)).toEqual([]);
    expect(await redis.exists(keys.pendingFile(second))).toBe(0); // its last field gone, the hash is gone
  });

  it('FileRecords.seeing tells which files had a record, adds each classification and renews the expiry', async () => {
    const records = new FileRecords(redis, { prefix: config.redis.prefix, ttlSeconds: TTL_SECONDS });
    const [known, fresh] = [sha256(), sha256()];
    await records.seeing([{ sha256: known, classification: 'TLP:CLEAR' }]);
    await redis.expire(keys.fileRecord(known), 10); // about to lapse: the next sighting renews it

    const recorded = await records.seeing([
      { sha256: known, classification: 'TLP:AMBER' },
      { sha256: fresh, classification: 'TLP:CLEAR' },
    ]);
    expect([...recorded]).toEqual([known]);
    expect(await redis.hgetall(keys.fileRecord(known))).toEqual({ 'c:TLP:CLEAR': '1', 'c:TLP:AMBER': '1' });
    expect(await redis.hgetall(keys.fileRecord(fresh))).toEqual({ 'c:TLP:CLEAR': '1' });
    expect(await redis.ttl(keys.fileRecord(known))).toBeGreaterThan(TTL_SECONDS - 60);
    expect(await records.seeing([])).toEqual(new Set());
  });

  it('SubmissionProgress keeps the last stage marked, with a two-day life', async () => {
    const progress = new SubmissionProgress(redis, config.redis.prefix);
    const sid = randomBytes(8).toString('hex');
    await progress.mark(sid, 'prep');
    await progress.mark(sid, 'run');
    await progress.setGloveboxUrl(sid, 'https://glovebox.example/1');
    expect(await progress.read(sid)).toEqual({ stage: 'run', glovebox_url: 'https://glovebox.example/1' });
    expect(await redis.ttl(progress.key(sid))).toBeGreaterThan(2 * 24 * 3600 - 60);
  });
});
