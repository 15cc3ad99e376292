import { BULLMQ_PRIORITY_LIMIT, toBullmqPriority } from './bullmq-priority';

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
