import { decideDrop, DropConfig, dropChance, DropSubject, mustDrop, SKIPPED } from './drop';

const config: DropConfig = {
  submission: { max_file_size: 1000 },
  core: {
    ingester: {
      sampling_at: { low: 100, medium: 50, high: 20, critical: 10 },
      never_drop: { submitters: ['vip'], metadata: { source: ['honeypot'] } },
    },
  },
};

function subject(overrides: {
  priority?: number;
  never_drop?: boolean;
  ignore_size?: boolean;
  submitter?: string;
  metadata?: Record<string, unknown>;
  fileSize?: number;
  bandQueueLength?: number;
}): DropSubject {
  return {
    params: {
      priority: overrides.priority ?? 150,
      never_drop: overrides.never_drop ?? false,
      ignore_size: overrides.ignore_size ?? false,
      submitter: overrides.submitter ?? 'alice',
    },
    metadata: overrides.metadata ?? {},
    fileSize: overrides.fileSize ?? 10,
    bandQueueLength: overrides.bandQueueLength ?? 0,
  };
}

const never = () => 0.999_999;
const always = () => 0;

describe('dropChance (tanh of twice the relative overshoot)', () => {
  it('is zero at the threshold, negative below it and rises towards 1 above it', () => {
    expect(dropChance(100, 100)).toBe(0);
    expect(dropChance(50, 100)).toBeLessThan(0);
    expect(dropChance(150, 100)).toBeCloseTo(0.7616, 4);
    expect(dropChance(200, 100)).toBeCloseTo(0.964, 3);
    expect(dropChance(300, 100)).toBeCloseTo(0.99933, 5);
  });
});

describe('mustDrop', () => {
  it('drops when the random draw is below the chance', () => {
    expect(mustDrop(150, 100, () => 0.76)).toBe(true);
    expect(mustDrop(150, 100, () => 0.77)).toBe(false);
  });

  it('never drops at or under the threshold, even with a draw of 0', () => {
    expect(mustDrop(100, 100, always)).toBe(false);
    expect(mustDrop(10, 100, always)).toBe(false);
  });
});

describe('decideDrop', () => {
  it('keeps a task whose band queue is under its threshold', () => {
    expect(decideDrop(subject({ bandQueueLength: 49 }), config, always)).toEqual({ drop: false });
  });

  it('samples by the threshold of the task\'s own band', () => {
    // 150 is medium (threshold 50): 75 queued gives a chance of tanh(1) ≈ 0.76.
    expect(decideDrop(subject({ bandQueueLength: 75 }), config, () => 0.7)).toEqual({ drop: true, reason: SKIPPED, cause: 'sampled' });
    expect(decideDrop(subject({ bandQueueLength: 75 }), config, () => 0.8)).toEqual({ drop: false });
    // 250 is high (threshold 20): the same 75 queued is far over it.
    expect(decideDrop(subject({ priority: 250, bandQueueLength: 75 }), config, () => 0.99)).toMatchObject({ drop: true, cause: 'sampled' });
    // 50 is low (threshold 100): 75 queued is under it.
    expect(decideDrop(subject({ priority: 50, bandQueueLength: 75 }), config, always)).toEqual({ drop: false });
  });

  it('never samples the user bands nor priorities above them (no sampling_at threshold)', () => {
    const random = jest.fn(always);
    expect(decideDrop(subject({ priority: 500, bandQueueLength: 1e9 }), config, random)).toEqual({ drop: false });
    expect(decideDrop(subject({ priority: 2000, bandQueueLength: 1e9 }), config, random)).toEqual({ drop: false });
    expect(random).not.toHaveBeenCalled();
  });

  it('always drops priority 1 and below, without drawing', () => {
    const random = jest.fn(never);
    expect(decideDrop(subject({ priority: 1 }), config, random)).toEqual({ drop: true, reason: 'Skipped', cause: 'min_priority' });
    expect(decideDrop(subject({ priority: 0 }), config, random)).toMatchObject({ drop: true, cause: 'min_priority' });
    expect(random).not.toHaveBeenCalled();
    expect(decideDrop(subject({ priority: 2 }), config, random)).toEqual({ drop: false });
  });

  it('drops a task over max_file_size unless ignore_size, and an empty one', () => {
    expect(decideDrop(subject({ fileSize: 1001 }), config, never)).toMatchObject({ drop: true, reason: 'Skipped', cause: 'too_large' });
    expect(decideDrop(subject({ fileSize: 1000 }), config, never)).toEqual({ drop: false });
    expect(decideDrop(subject({ fileSize: 1001, ignore_size: true }), config, never)).toEqual({ drop: false });
    expect(decideDrop(subject({ fileSize: 0 }), config, never)).toMatchObject({ drop: true, cause: 'empty' });
    expect(decideDrop(subject({ fileSize: 0, ignore_size: true }), config, never)).toMatchObject({ drop: true, cause: 'empty' });
  });

  it('never drops a task with never_drop, whatever else applies', () => {
    expect(decideDrop(subject({ never_drop: true, priority: 0 }), config, always)).toEqual({ drop: false });
    expect(decideDrop(subject({ never_drop: true, bandQueueLength: 1e9 }), config, always)).toEqual({ drop: false });
    expect(decideDrop(subject({ never_drop: true, fileSize: 0 }), config, always)).toEqual({ drop: false });
  });

  it('never drops a task matching a configured never-drop rule', () => {
    expect(decideDrop(subject({ submitter: 'vip', priority: 0 }), config, always)).toEqual({ drop: false });
    expect(decideDrop(subject({ metadata: { source: 'honeypot' }, bandQueueLength: 1e9 }), config, always)).toEqual({ drop: false });
    expect(decideDrop(subject({ metadata: { source: 'mail' }, bandQueueLength: 1e9 }), config, always)).toMatchObject({ drop: true });
  });

  it('works without configured rules', () => {
    const bare: DropConfig = { ...config, core: { ingester: { sampling_at: config.core.ingester.sampling_at } } };
    expect(decideDrop(subject({ submitter: 'vip', priority: 0 }), bare, always)).toMatchObject({ drop: true, cause: 'min_priority' });
  });
});
