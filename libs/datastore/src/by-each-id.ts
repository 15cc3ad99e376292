import type { QueryFilter, Model } from 'mongoose';

/** Lookups side by side, at most this many in flight (a submission can hold hundreds of result keys). */
const LOOKUPS_IN_FLIGHT = 32;

/**
 * One `_id` equality per key, in parallel batches, rather than one `{_id: {$in: keys}}`: FerretDB v1 serves an
 * `_id` equality from its index but pushes no `$in` down, so the `$in` scanned the whole table (issue 17).
 * On MongoDB both are index-backed; the batches cost round trips, never a scan.
 */
export async function byEachId<T>(keys: readonly string[], find: (key: string) => Promise<T | null>): Promise<T[]> {
  const unique = [...new Set(keys)];
  const found: T[] = [];
  for (let start = 0; start < unique.length; start += LOOKUPS_IN_FLIGHT) {
    const batch = await Promise.all(unique.slice(start, start + LOOKUPS_IN_FLIGHT).map(find));
    for (const record of batch) if (record !== null) found.push(record);
  }
  return found;
}

/**
 * Deletes the documents of `ids` that still match `condition`, one `_id` equality each (see byEachId: a
 * `deleteMany({_id: {$in}})` scans the table on FerretDB v1, once per batch of the expiry sweep). Answers how
 * many went.
 */
export async function deleteEachById<T>(model: Model<T>, ids: readonly string[], condition: QueryFilter<T> = {}): Promise<number> {
  const deleted = await byEachId(ids, async (id) => {
    const { deletedCount } = await model.deleteOne({ ...condition, _id: id } as QueryFilter<T>).exec();
    return deletedCount ? id : null;
  });
  return deleted.length;
}
