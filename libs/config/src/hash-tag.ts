/**
 * The part of `key` Redis Cluster hashes to choose its slot: between the first `{` and the first `}` after
 * it, when that is not empty; null when the whole key is hashed (no tag).
 */
export function hashTagOf(key: string): string | null {
  const open = key.indexOf('{');
  const close = open < 0 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : null;
}

/** True when every key built on `prefix` lands in the slot of the prefix's hash tag. */
export function hasHashTag(prefix: string): boolean {
  return hashTagOf(prefix) !== null;
}
