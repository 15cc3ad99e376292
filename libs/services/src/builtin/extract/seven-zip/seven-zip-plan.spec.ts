import type { SevenZipEntry } from './seven-zip-listing';
import { planSevenZip } from './seven-zip-plan';

const file = (path: string, size: number, block: number | null, packedSize: number | null = null): SevenZipEntry => ({
  path,
  size,
  packedSize,
  block,
  encrypted: false,
  kind: 'file',
});
const limits = { max_entries: 10, max_total_bytes: 1000, max_ratio: 10 };

describe('planSevenZip', () => {
  it('plans non-empty regular files only', () => {
    const entries: SevenZipEntry[] = [
      { ...file('dir', 0, null), kind: 'directory' },
      { ...file('link', 5, 0, 50), kind: 'link' },
      file('empty', 0, null),
      file('a', 5, 0),
    ];
    expect(planSevenZip(entries, limits, 100).files.map((planned) => planned.entry.path)).toEqual(['a']);
  });

  it('stops at max_entries', () => {
    const entries = [1, 2, 3].map((n) => file(`f${n}`, 1, n, 1));
    const plan = planSevenZip(entries, { ...limits, max_entries: 2 }, 100);
    expect(plan.files.map((planned) => planned.entry.path)).toEqual(['f1', 'f2']);
    expect(plan.hits.map((hit) => hit.limit)).toEqual(['max_entries']);
  });

  it('stops before declared sizes pass max_total_bytes', () => {
    const plan = planSevenZip([file('a', 600, 0, 600), file('b', 600, 1, 600), file('c', 1, 2, 1)], limits, 2000);
    expect(plan.files.map((planned) => planned.entry.path)).toEqual(['a']);
    expect(plan.hits.map((hit) => hit.limit)).toEqual(['max_total_bytes']);
  });

  it('counts a solid block together against its packed size for max_ratio', () => {
    // Block 0 packs to 10 bytes: at ratio 10 it may yield 100 bytes in all.
    const plan = planSevenZip([file('a', 60, 0, 10), file('b', 60, 0), file('c', 30, 0)], limits, 500);
    expect(plan.files.map((planned) => planned.entry.path)).toEqual(['a', 'c']);
    expect(plan.hits).toHaveLength(1);
    expect(plan.hits[0]).toMatchObject({ limit: 'max_ratio', scope: 'entry' });
    expect(plan.files[0]?.compressedSize).toBe(10);
  });
});
