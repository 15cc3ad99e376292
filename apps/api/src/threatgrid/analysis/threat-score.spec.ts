import { indicatorSeverity, threatScore } from './threat-score';

describe('threatScore', () => {
  it.each([
    [0, 0],
    [4, 0],
    [5, 1], // halves round up
    [500, 50],
    [999, 100],
    [1000, 100],
    [25_000, 100],
    [Number.POSITIVE_INFINITY, 100],
  ])('maps Hopper max_score %p to Threat Grid threat score %p', (maxScore, expected) => {
    expect(threatScore(maxScore)).toBe(expected);
  });

  it('answers a plain 0, never -0 or NaN, for negative (safe) and unusable scores', () => {
    expect(Object.is(threatScore(-3), 0)).toBe(true);
    expect(Object.is(threatScore(-1000), 0)).toBe(true);
    expect(threatScore(Number.NaN)).toBe(0);
  });
});

describe('indicatorSeverity', () => {
  it('maps a heuristic score on the same 0-100 scale', () => {
    expect([indicatorSeverity(-100), indicatorSeverity(0), indicatorSeverity(100), indicatorSeverity(250), indicatorSeverity(1000), indicatorSeverity(2000)]).toEqual([
      0, 0, 10, 25, 100, 100,
    ]);
  });
});
