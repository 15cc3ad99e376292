import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { hashTagOf, hasHashTag, RedisKeys } from './redis-keys';

describe('RedisKeys', () => {
  const keys = new RedisKeys('{hopper}');
  const scan = keys.scan('abc{x}');
  // Names with braces of their own (user names, queue names, ids) must not move a key out of the slot.
  const every = [
    keys.quotaHeld('u{1}', 'submit'),
    keys.quotaHeld('u', 'async'),
    keys.quotaLeases('u', 'submit'),
    keys.quotaDaily('u', '2026-12-07'),
    scan.cache,
    scan.inflight,
    scan.tasks,
    scan.done('sid'),
    keys.ingestStatus('i'),
    keys.ingestNotified('i'),
    keys.unused('queue'),
    keys.notificationQueue('{nq}'),
    keys.progress('sid'),
    keys.session('s'),
    keys.loginFailuresOfUser('u'),
    keys.loginFailuresOfAddress('::1'),
    keys.flowUpload('f'),
    keys.flowUploadExpiry(),
    keys.idempotency('u', 'k'),
    keys.tgRateWindow('user', '{org}', 60),
    keys.tgDedupe('org', 'AB'),
    keys.fileSightings('ab'),
    keys.fileDeletion('ab'),
    keys.expiryLock(),
    keys.expiryBlobCursor(),
    keys.externalTaskDeadlines('s{id}'),
    keys.externalTaskOutcomes('s{id}'),
  ];

  it('puts every key under the prefix, in the slot of its hash tag', () => {
    for (const key of every) {
      expect(key.startsWith('{hopper}:')).toBe(true);
      expect(hashTagOf(key)).toBe('hopper');
    }
    expect(new Set(every).size).toBe(every.length);
  });

  it('keeps the layouts clients of earlier versions left (quota sets, notification queues)', () => {
    expect(keys.quotaHeld('alice', 'submit')).toBe('{hopper}:quota:alice:held');
    expect(keys.quotaHeld('alice', 'async')).toBe('{hopper}:quota:alice:async');
    expect(keys.notificationQueue('soar')).toBe('{hopper}:nq-soar');
    expect(keys.tgDedupe('org', 'AB')).toBe('{hopper}:tg:dedupe:org:ab');
  });

  it('tells a prefix that starts with a hash tag from one that does not', () => {
    expect(hasHashTag('{hopper}')).toBe(true);
    expect(hasHashTag('{a}:b')).toBe(true);
    expect(hasHashTag('hopper')).toBe(false);
    // Redis Cluster hashes the first {…} with something inside, wherever it is.
    expect(hasHashTag('x{hopper}')).toBe(true);
    expect(hasHashTag('{}hopper{x}')).toBe(false);
    expect(hashTagOf('{a}{b}')).toBe('a');
  });
});

describe('the key space has one owner', () => {
  const root = resolve(__dirname, '..', '..', '..');
  function sources(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(full);
      return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') ? [full] : [];
    });
  }

  it('builds no key from the prefix outside redis-keys.ts (BullMQ takes the prefix itself)', () => {
    // A key built elsewhere is one a cluster could put in another slot, or a cleanup could miss.
    const builders = /prefix\}:|prefix\s*\+\s*['"`]:|hopper:\$\{/;
    const offenders = [...sources(join(root, 'apps')), ...sources(join(root, 'libs'))]
      .filter((file) => !file.endsWith('redis-keys.ts'))
      .filter((file) => builders.test(readFileSync(file, 'utf8')))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
