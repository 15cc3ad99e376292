/**
 * The replies of a pipeline or transaction (`exec()`), failing on the first command that failed: ioredis
 * reports errors per command, and an aborted transaction as null.
 */
export function repliesOf(replies: Array<[Error | null, unknown]> | null): unknown[] {
  if (!replies) throw new Error('Redis transaction aborted');
  for (const [error] of replies) if (error) throw error;
  return replies.map(([, reply]) => reply);
}
