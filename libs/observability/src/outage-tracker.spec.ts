import { OutageTracker } from './outage-tracker';

describe('OutageTracker', () => {
  it('tells when a dependency goes down and comes back, and counts failed checks in a row', () => {
    const tracker = new OutageTracker();
    expect(tracker.record('mongodb', true, 0)).toBeNull();
    expect(tracker.record('mongodb', false, 1_000)).toBe('down');
    expect(tracker.record('mongodb', false, 3_000)).toBeNull();
    expect(tracker.failuresInARow('mongodb')).toBe(2);
    expect(tracker.isDown('mongodb')).toBe(true);
    expect(tracker.isDown('redis')).toBe(false);
    expect(tracker.record('mongodb', true, 5_000)).toBe('up');
    expect(tracker.failuresInARow('mongodb')).toBe(0);
    expect(tracker.isDown('mongodb')).toBe(false);
  });

  it('is overdue only past the allowed time, counted from the first failed check', () => {
    const tracker = new OutageTracker();
    tracker.record('redis', false, 10_000);
    tracker.record('redis', false, 70_000);
    expect(tracker.overdue(70_000, 60_000)).toEqual([]);
    expect(tracker.overdue(70_001, 60_000)).toEqual(['redis']);
    expect(tracker.outages(70_001)).toEqual({ redis: 60 });
    tracker.record('redis', true, 71_000);
    expect(tracker.overdue(200_000, 60_000)).toEqual([]);
    expect(tracker.outages(200_000)).toEqual({});
  });
});
