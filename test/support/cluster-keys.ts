import type { Cluster } from 'ioredis';
import { hashTagOf } from '@hopper/queues';

/**
 * Every key on every master of `cluster` that is not in the slot of `prefix`'s hash tag, as the cluster itself
 * computes slots (CLUSTER KEYSLOT). Keys of other test or bench deployments (another `{test-…}` or `{bench-…}`
 * tag) are theirs and are skipped; a key with no tag, or any other tag, counts against this deployment.
 */
/** Hash tags of the deployments other test files and benchmarks make. */
const OTHER_RUNS = /^(test|bench)-/;

export async function keysOutsideSlot(cluster: Cluster, prefix: string): Promise<{ checked: number; keys: string[]; areas: string[] }> {
  const own = hashTagOf(prefix);
  const slot = Number(await cluster.cluster('KEYSLOT', prefix));
  const outside: string[] = [];
  let checked = 0;
  const areas = new Set<string>();
  for (const node of cluster.nodes('master')) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'COUNT', 1000);
      cursor = next;
      const keys = found.filter((key) => {
        const tag = hashTagOf(key);
        return tag === own || !OTHER_RUNS.test(tag ?? '');
      });
      const pipeline = node.pipeline();
      for (const key of keys) pipeline.cluster('KEYSLOT', key);
      const slots = (await pipeline.exec()) ?? [];
      keys.forEach((key, i) => {
        checked++;
        if (key.startsWith(`${prefix}:`)) areas.add(key.slice(prefix.length + 1).split(':')[0]);
        if (Number(slots[i][1]) !== slot) outside.push(key);
      });
    } while (cursor !== '0');
  }
  return { checked, keys: outside, areas: [...areas].sort() };
}

export { removeDeploymentKeys } from '../../bench/support/redis-keys';
