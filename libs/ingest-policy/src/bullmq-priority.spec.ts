import { BULLMQ_PRIORITY_LIMIT, bullmqScoreRange, toBullmqPriority } from './bullmq-priority';
import { PRIORITY_RANGES } from './priority';

describe('toBullmqPriority', () => {
  it('maps the highest Assemblyline priority to BullMQ\'s first (1) and 0 to the last used (2001)', () => {
    expect(toBullmqPriority(2000)).toBe(1);
    expect(toBullmqPriority(1500)).toBe(501);
    expect(toBullmqPriority(150)).toBe(1851);
    expect(toBullmqPriority(0)).toBe(2001);
  });

  it('keeps the order: a higher priority always gets a smaller BullMQ number', () => {
    for (let p = 0; p < 2000; p += 1) expect(toBullmqPriority(p + 1)).toBeLessThan(toBullmqPriority(p));
  });

  it('never answers 0 (unprioritised in BullMQ) nor more than BullMQ\'s limit, clamping out-of-range input', () => {
    expect(toBullmqPriority(5000)).toBe(1);
    expect(toBullmqPriority(-10)).toBe(2001);
    expect(BULLMQ_PRIORITY_LIMIT).toBe(2_097_151);
    expect(toBullmqPriority(-10)).toBeLessThanOrEqual(BULLMQ_PRIORITY_LIMIT);
  });

  it('refuses a fractional priority (BullMQ would)', () => {
    expect(() => toBullmqPriority(1.5)).toThrow(RangeError);
    expect(() => toBullmqPriority(Number.NaN)).toThrow('priority must be an integer');
  });
});

describe('bullmqScoreRange', () => {
  const score = (priority: number, counter: number) => toBullmqPriority(priority) * 2 ** 32 + counter;
  const inRange = (value: number, [min, max]: [number, number]) => value >= min && value <= max;

  it('holds the jobs of every priority in the band, whatever their arrival counter, and no other', () => {
    const medium = bullmqScoreRange(PRIORITY_RANGES.medium);
    expect(inRange(score(101, 0), medium)).toBe(true);
    expect(inRange(score(200, 2 ** 32 - 1), medium)).toBe(true);
    expect(inRange(score(150, 12345), medium)).toBe(true);
    expect(inRange(score(100, 2 ** 32 - 1), medium)).toBe(false);
    expect(inRange(score(201, 0), medium)).toBe(false);
  });

  it('stays within exact integers', () => {
    const [, max] = bullmqScoreRange(PRIORITY_RANGES.low);
    expect(Number.isSafeInteger(max)).toBe(true);
  });
});
