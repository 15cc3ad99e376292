import {
  assignIngestPriority,
  bandOf,
  capIngestPriority,
  MIN_PRIORITY,
  PRIORITIES,
  PRIORITY_RANGES,
  reducePriorityIfExpired,
} from './priority';

describe('priority bands', () => {
  it('has Assemblyline\'s band values and derives inclusive ranges from them', () => {
    expect(PRIORITIES).toEqual({
      low: 100,
      medium: 200,
      high: 300,
      critical: 400,
      'user-low': 500,
      'user-medium': 1000,
      'user-high': 1500,
    });
    expect(PRIORITY_RANGES).toEqual({
      low: [0, 100],
      medium: [101, 200],
      high: [201, 300],
      critical: [301, 400],
      'user-low': [401, 500],
      'user-medium': [501, 1000],
      'user-high': [1001, 1500],
    });
    expect(MIN_PRIORITY).toBe(1);
  });

  it('names the band a priority falls in, at both edges of each range', () => {
    expect(bandOf(0)).toBe('low');
    expect(bandOf(100)).toBe('low');
    expect(bandOf(101)).toBe('medium');
    expect(bandOf(150)).toBe('medium');
    expect(bandOf(200)).toBe('medium');
    expect(bandOf(201)).toBe('high');
    expect(bandOf(400)).toBe('critical');
    expect(bandOf(401)).toBe('user-low');
    expect(bandOf(1000)).toBe('user-medium');
    expect(bandOf(1001)).toBe('user-high');
    expect(bandOf(1500)).toBe('user-high');
  });

  it('puts priorities above user-high or below zero in no band', () => {
    expect(bandOf(1501)).toBeNull();
    expect(bandOf(2000)).toBeNull();
    expect(bandOf(-1)).toBeNull();
  });
});

describe('capIngestPriority', () => {
  it('caps at ui.ingest_max_priority and keeps lower priorities', () => {
    expect(capIngestPriority(1000, 250)).toBe(250);
    expect(capIngestPriority(250, 250)).toBe(250);
    expect(capIngestPriority(150, 250)).toBe(150);
  });
});

describe('assignIngestPriority', () => {
  it('keeps a requested priority of zero or more, whatever the previous score', () => {
    expect(assignIngestPriority(150, 900, true)).toBe(150);
    expect(assignIngestPriority(0, null, false)).toBe(0);
  });

  it('chooses by the previous score when asked to (negative): critical from 500, high from 100, else low', () => {
    expect(assignIngestPriority(-1, 500, false)).toBe(400);
    expect(assignIngestPriority(-1, 499, false)).toBe(300);
    expect(assignIngestPriority(-1, 100, false)).toBe(300);
    expect(assignIngestPriority(-1, 99, false)).toBe(100);
    expect(assignIngestPriority(-1, 0, true)).toBe(100);
  });

  it('uses medium without a previous score, or low when the low-priority hook says so', () => {
    expect(assignIngestPriority(-1, null, false)).toBe(200);
    expect(assignIngestPriority(-1, null, true)).toBe(100);
  });
});

describe('reducePriorityIfExpired', () => {
  const limits = { expire_after: 1000 };

  it('leaves the priority of a submission younger than expire_after', () => {
    expect(reducePriorityIfExpired(150, 999, limits)).toBe(150);
    expect(reducePriorityIfExpired(150, 999.999, limits)).toBe(150);
  });

  it('cuts it by an order of magnitude (truncated) from exactly expire_after on', () => {
    expect(reducePriorityIfExpired(150, 1000, limits)).toBe(15);
    expect(reducePriorityIfExpired(155, 5000, limits)).toBe(15);
    expect(reducePriorityIfExpired(1500, 1000, limits)).toBe(150);
    expect(reducePriorityIfExpired(19, 1000, limits)).toBe(1);
    expect(reducePriorityIfExpired(5, 1000, limits)).toBe(0);
  });

  it('leaves priority 0 alone', () => {
    expect(reducePriorityIfExpired(0, 5000, limits)).toBe(0);
  });
});
