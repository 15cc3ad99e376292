import { LimitExceededError } from './errors';
import { ExtractBudget } from './extract-budget';

const limits = { max_entries: 2, max_total_bytes: 100, max_ratio: 10 };

describe('ExtractBudget', () => {
  it('admits max_entries stored files, then refuses with an archive-wide limit', () => {
    const budget = new ExtractBudget(limits);
    for (const name of ['a', 'b']) {
      budget.admit(name);
      budget.meter(name, null).commit();
    }
    expect(() => budget.admit('c')).toThrow(expect.objectContaining({ limit: 'max_entries', scope: 'archive' }));
  });

  it('refuses the chunk that takes the total past max_total_bytes', () => {
    const meter = new ExtractBudget(limits).meter('big', null);
    meter.add(100);
    expect(() => meter.add(1)).toThrow(expect.objectContaining({ limit: 'max_total_bytes', scope: 'archive' }));
  });

  it('refuses an entry past max_ratio times its compressed size, for that entry only', () => {
    const meter = new ExtractBudget(limits).meter('bomb', 5);
    meter.add(50);
    let thrown: unknown;
    try {
      meter.add(1);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LimitExceededError);
    expect(thrown).toMatchObject({ limit: 'max_ratio', scope: 'entry' });
    expect((thrown as Error).message).toContain('"bomb"');
  });

  it('gives a discarded entry its bytes back', () => {
    const budget = new ExtractBudget(limits);
    const failed = budget.meter('failed', null);
    failed.add(80);
    failed.discard();
    expect(budget.bytesCounted).toBe(0);
    expect(() => budget.meter('next', null).add(100)).not.toThrow();
  });
});
