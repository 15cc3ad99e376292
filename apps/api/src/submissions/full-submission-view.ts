import type { FileTreeNode } from '@hopper/datastore';

/** Every sha256 of the tree, each once, parents before their children. */
export function treeSha256s(tree: Record<string, FileTreeNode>): string[] {
  const seen = new Set<string>();
  const walk = (branch: Record<string, FileTreeNode>) => {
    for (const [sha256, node] of Object.entries(branch)) {
      seen.add(sha256);
      walk(node.children ?? {});
    }
  };
  walk(tree);
  return [...seen];
}

/**
 * The tree without the files the caller may not see or that are no longer stored (with their children), as
 * Assemblyline builds it for a caller.
 */
export function visibleTree(tree: Record<string, FileTreeNode>, shown: ReadonlySet<string>): Record<string, FileTreeNode> {
  const out: Record<string, FileTreeNode> = {};
  for (const [sha256, node] of Object.entries(tree)) {
    if (!shown.has(sha256)) continue;
    out[sha256] = { ...node, children: visibleTree(node.children ?? {}, shown) };
  }
  return out;
}

/**
 * Records keyed by their key in the order of `keys`, and the keys no record answers (Assemblyline's
 * `missing_result_keys` / `missing_error_keys`: expired or never written). `found` is everything stored under
 * one of the keys, `shown` what the caller may see of it: a record that exists but is hidden is neither
 * answered nor missing.
 */
export function keyedWithMissing<R extends { _id: string }, V>(
  keys: readonly string[],
  found: readonly R[],
  shown: (record: R) => boolean,
  view: (record: R) => V,
): { byKey: Record<string, V>; missing: string[] } {
  const stored = new Map(found.map((record) => [record._id, record]));
  const byKey: Record<string, V> = {};
  const missing: string[] = [];
  for (const key of new Set(keys)) {
    const record = stored.get(key);
    if (!record) missing.push(key);
    else if (shown(record)) byKey[key] = view(record);
  }
  return { byKey, missing };
}
