import IORedis, { Cluster } from 'ioredis';

/** Deletes every key matching `pattern` (SCAN, so a large keyspace is not blocked). */
export async function deleteKeys(redis: IORedis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Removes every key of the deployment on `prefix` from every master of a cluster. */
export async function removeDeploymentKeys(cluster: Cluster, prefix: string): Promise<void> {
  for (const node of cluster.nodes('master')) await deleteKeys(node, `${prefix}:*`);
}
