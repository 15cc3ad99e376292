import type { FileTreeNode } from '@hopper/datastore';
import { keyedWithMissing, treeSha256s, visibleTree } from './full-submission-view';

const node = (sha256: string, children: Record<string, FileTreeNode> = {}): FileTreeNode => ({
  name: [`${sha256}.bin`],
  sha256,
  type: 'unknown',
  size: 1,
  score: 0,
  children,
  truncated: false,
});

describe('treeSha256s and visibleTree', () => {
  const tree = { a: node('a', { b: node('b', { c: node('c') }), d: node('d') }), e: node('e') };

  it('lists every file of the tree once, parents first', () => {
    expect(treeSha256s(tree)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(treeSha256s({ a: node('a', { b: node('b') }), x: node('x', { b: node('b') }) })).toEqual(['a', 'b', 'x']);
  });

  it('drops the files not shown, with everything below them', () => {
    const shown = visibleTree(tree, new Set(['a', 'c', 'd']));
    expect(treeSha256s(shown)).toEqual(['a', 'd']);
    expect(shown.a.name).toEqual(['a.bin']);
  });
});

describe('keyedWithMissing', () => {
  const records = [
    { _id: 'k1', level: 'open' },
    { _id: 'k3', level: 'secret' },
  ];

  it('keys the shown records by key in the order of the keys; missing keys are those nothing is stored under', () => {
    const answer = keyedWithMissing(['k3', 'k1', 'k2', 'k1'], records, (record) => record.level === 'open', (record) => record.level);
    expect(answer.byKey).toEqual({ k1: 'open' });
    // k3 exists but is hidden: neither shown nor missing.
    expect(answer.missing).toEqual(['k2']);
  });
});
