import type { FileTreeNode } from '@hopper/datastore';

/** A new tree node for a file seen under `name`. */
export function treeNode(sha256: string, name: string, type: string, size: number): FileTreeNode {
  return { name: [name], sha256, type, size, score: 0, children: {}, truncated: false };
}

/** Adds a file under a parent's children (or the roots); a file met twice there gains the second name. */
export function attachChild(children: Record<string, FileTreeNode>, sha256: string, name: string, type: string, size: number): { node: FileTreeNode; added: boolean } {
  const existing = children[sha256];
  if (existing) {
    if (!existing.name.includes(name)) existing.name.push(name);
    return { node: existing, added: false };
  }
  const node = treeNode(sha256, name, type, size);
  children[sha256] = node;
  return { node, added: true };
}

/** Sets every node's score from the scores of the files (a file's score is the same wherever it appears). */
export function applyScores(tree: Record<string, FileTreeNode>, scores: ReadonlyMap<string, number>): void {
  for (const node of Object.values(tree)) {
    node.score = scores.get(node.sha256) ?? 0;
    applyScores(node.children, scores);
  }
}
