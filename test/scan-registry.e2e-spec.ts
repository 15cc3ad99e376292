import IORedis from 'ioredis';
import { ClaimRequest, ScanRegistry } from '@hopper/queues';
import { serviceEnv, uniqueId } from './support/test-env';

describe('ScanRegistry (the ingester state in Redis)', () => {
  let redis: IORedis;
  let registry: ScanRegistry;
  const now = new Date('2026-11-23T12:00:00Z');
  const HOUR = 3600_000;

  beforeAll(() => {
    redis = new IORedis(serviceEnv().HOPPER_REDIS_URL!);
    registry = new ScanRegistry(redis, { prefix: `{${uniqueId('scan')}}` });
  });
  afterAll(() => redis.quit());

  const claim = (scanKey: string, ingestId: string, extra: Partial<ClaimRequest> = {}) =>
    registry.claim({
      scanKey,
      ingestId,
      task: { ingest_id: ingestId },
      newSid: `sid-of-${ingestId}`,
      ignoreCache: false,
      staleAfterMs: 24 * HOUR,
      staleAfterWithErrorsMs: HOUR / 2,
      inflightTtlSeconds: 3600,
      now,
      ...extra,
    });
  const complete = (scanKey: string, sid: string, extra: { errors?: boolean; cacheTtlSeconds?: number; score?: number } = {}) =>
    registry.complete<{ ingest_id: string }>({
      scanKey,
      sid,
      score: extra.score ?? 42,
      errors: extra.errors ?? false,
      completedAt: now,
      cacheTtlSeconds: extra.cacheTtlSeconds ?? 3600,
    });

  it('starts a scan for the first ingest and attaches later ones to it, recording each status', async () => {
    const key = uniqueId('k');
    expect(await claim(key, 'i1')).toEqual({ outcome: 'new', sid: 'sid-of-i1' });
    expect(await claim(key, 'i2')).toEqual({ outcome: 'attached', sid: 'sid-of-i1' });
    expect(await registry.status('i2')).toEqual({ ingest_id: 'i2', state: 'in_progress', outcome: 'attached', sid: 'sid-of-i1' });
    // The starter retried after a crash: still the same scan, still "new" (so it dispatches again, idempotently).
    expect(await claim(key, 'i1', { newSid: 'another' })).toEqual({ outcome: 'new', sid: 'sid-of-i1' });
    const tasks = await complete(key, 'sid-of-i1');
    expect(tasks.sort((a, b) => a.task.ingest_id.localeCompare(b.task.ingest_id))).toEqual([
      { outcome: 'new', task: { ingest_id: 'i1' } },
      { outcome: 'attached', task: { ingest_id: 'i2' } },
    ]);
  });

  it('serves a fresh result from the cache, and scans again once it is stale', async () => {
    const key = uniqueId('k');
    await claim(key, 'a1');
    await complete(key, 'sid-of-a1', { score: 500 });
    expect(await claim(key, 'a2', { now: new Date(now.getTime() + 23 * HOUR) })).toEqual({ outcome: 'cached', sid: 'sid-of-a1', score: 500 });
    expect(await claim(key, 'a3', { now: new Date(now.getTime() + 24 * HOUR) })).toEqual({ outcome: 'new', sid: 'sid-of-a3' });
  });

  it('keeps a result with errors fresh for less time', async () => {
    const key = uniqueId('k');
    await claim(key, 'e1');
    await complete(key, 'sid-of-e1', { errors: true });
    expect((await claim(key, 'e2', { now: new Date(now.getTime() + HOUR / 2 - 1) })).outcome).toBe('cached');
    expect((await claim(key, 'e3', { now: new Date(now.getTime() + HOUR / 2) })).outcome).toBe('new');
  });

  it('bypasses the cache with ignore_cache, and never caches a failed scan', async () => {
    const key = uniqueId('k');
    await claim(key, 'c1');
    await complete(key, 'sid-of-c1');
    expect((await claim(key, 'c2', { ignoreCache: true })).outcome).toBe('new');
    await complete(key, 'sid-of-c2', { cacheTtlSeconds: 0, score: 9 });
    expect(await claim(key, 'c3')).toEqual({ outcome: 'cached', sid: 'sid-of-c1', score: 42 });
  });

  it('answers the ingests not yet notified when a completion is retried, and none once all are', async () => {
    const key = uniqueId('k');
    await claim(key, 'r1');
    await claim(key, 'r2');
    const queueKey = `${uniqueId('nq')}`;
    const first = await complete(key, 'sid-of-r1');
    expect(first).toHaveLength(2);
    const status = { ingest_id: 'r1', state: 'completed' as const, outcome: 'new' as const, sid: 'sid-of-r1', score: 42, failure: null };
    const notify = () => registry.notify({ status, message: { ingest_id: 'r1' }, queueKey, maxLength: 10, queueTtlSeconds: 60, done: { scanKey: key, sid: 'sid-of-r1' } });
    expect(await notify()).toBe('sent');
    expect(await notify()).toBe('duplicate');
    expect(await redis.lrange(queueKey, 0, -1)).toEqual([JSON.stringify({ ingest_id: 'r1' })]);
    expect((await complete(key, 'sid-of-r1')).map((entry) => entry.task.ingest_id)).toEqual(['r2']);
    expect(await registry.status('r1')).toEqual(status);
    await redis.del(queueKey);
  });

  it('reports a full notification queue instead of growing it, and can record a status without a message', async () => {
    const queueKey = uniqueId('nq');
    const status = (id: string) => ({ ingest_id: id, state: 'dropped' as const, outcome: null, sid: null, score: null, failure: 'Skipped' });
    const send = (id: string, queue: string | null) => registry.notify({ status: status(id), message: { id }, queueKey: queue, maxLength: 1, queueTtlSeconds: 60 });
    expect(await send(uniqueId('f'), queueKey)).toBe('sent');
    expect(await send(uniqueId('f'), queueKey)).toBe('full');
    expect(await redis.llen(queueKey)).toBe(1);
    const quiet = uniqueId('q');
    expect(await send(quiet, null)).toBe('skipped');
    expect((await registry.status(quiet))?.failure).toBe('Skipped');
    await redis.del(queueKey);
  });

  it('answers ended, changing nothing, when an ingest is claimed again after its scan ended', async () => {
    const key = uniqueId('k');
    await claim(key, 'z1');
    await complete(key, 'sid-of-z1', { cacheTtlSeconds: 0 });
    // Not yet notified (it waits on the done list): a re-run must not start a second scan.
    expect(await claim(key, 'z1', { newSid: 'second' })).toEqual({ outcome: 'ended', sid: 'sid-of-z1' });
    const status = { ingest_id: 'z1', state: 'completed' as const, outcome: 'new' as const, sid: 'sid-of-z1', score: 42, failure: null };
    await registry.notify({ status, message: {}, queueKey: null, maxLength: 0, queueTtlSeconds: 0, done: { scanKey: key, sid: 'sid-of-z1' } });
    expect(await claim(key, 'z1', { newSid: 'third' })).toEqual({ outcome: 'ended', sid: 'sid-of-z1' });
    expect(await registry.status('z1')).toEqual(status);
    // Another ingest of the same file still starts a new scan (the failed result was not cached).
    expect(await claim(key, 'z2')).toEqual({ outcome: 'new', sid: 'sid-of-z2' });
  });
});

