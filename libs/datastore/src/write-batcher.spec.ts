import { WriteBatcher } from './write-batcher';

describe('WriteBatcher', () => {
  it('writes the items added together in one batch, closed at maxItems, and answers each its own answer', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher(async (items: number[]) => {
      batches.push(items);
      return items.map((item) => item * 10);
    }, { maxItems: 3, maxWaitMs: 60_000 });
    const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((item) => batcher.add(item)));
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(answers).toEqual([10, 20, 30, 40, 50, 60]);
  });

  it('closes a batch maxWaitMs after its first item when it does not fill', async () => {
    const batches: string[][] = [];
    const batcher = new WriteBatcher(async (items: string[]) => {
      batches.push(items);
      return items;
    }, { maxItems: 100, maxWaitMs: 5 });
    const first = batcher.add('a');
    const second = batcher.add('b');
    expect(batches).toEqual([]); // nothing written before the batch closes
    expect(await Promise.all([first, second])).toEqual(['a', 'b']);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('rejects every item of a batch whose write failed, and goes on with the next batch', async () => {
    let calls = 0;
    const batcher = new WriteBatcher(async (items: number[]) => {
      if (++calls === 1) throw new Error('server down');
      return items;
    }, { maxItems: 2, maxWaitMs: 60_000 });
    const failed = [batcher.add(1), batcher.add(2)];
    await expect(failed[0]).rejects.toThrow('server down');
    await expect(failed[1]).rejects.toThrow('server down');
    expect(await Promise.all([batcher.add(3), batcher.add(4)])).toEqual([3, 4]);
  });

  it('writes a batch an item of it spoiled again item by item, so only that item fails', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher(
      async (items: number[]) => {
        batches.push(items);
        if (items.includes(13)) throw new Error(`document ${13} refused`);
        return items.map((item) => item * 10);
      },
      { maxItems: 3, maxWaitMs: 60_000 },
      (error) => !String(error).includes('server down'),
    );
    const answers = await Promise.allSettled([12, 13, 14].map((item) => batcher.add(item)));
    expect(answers.map((answer) => (answer.status === 'fulfilled' ? answer.value : String(answer.reason)))).toEqual([
      120,
      'Error: document 13 refused',
      140,
    ]);
    expect(batches).toEqual([[12, 13, 14], [12], [13], [14]]);
  });

  it('flush writes what is pending at once', async () => {
    const batches: number[][] = [];
    const batcher = new WriteBatcher(async (items: number[]) => {
      batches.push(items);
      return items;
    }, { maxItems: 100, maxWaitMs: 60_000 });
    const pending = batcher.add(7);
    batcher.flush();
    expect(await pending).toBe(7);
    expect(batches).toEqual([[7]]);
  });

  it('keeps one write in flight: what arrives meanwhile goes out as the next batch when it ends', async () => {
    const batches: number[][] = [];
    let finishFirst!: () => void;
    const firstWritten = new Promise<void>((resolve) => (finishFirst = resolve));
    const batcher = new WriteBatcher(async (items: number[]) => {
      batches.push(items);
      if (batches.length === 1) await firstWritten;
      return items;
    }, { maxItems: 2, maxWaitMs: 60_000 });
    const first = [batcher.add(1), batcher.add(2)];
    const next = [batcher.add(3), batcher.add(4), batcher.add(5)];
    expect(batches).toEqual([[1, 2]]); // 3, 4 and 5 wait for the write in flight
    finishFirst();
    expect(await Promise.all([...first, ...next])).toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });
});
