import { randomBytes } from 'node:crypto';
import { BlockEntropyProfile, MAX_PROFILE_POINTS } from './block-entropy';

describe('BlockEntropyProfile', () => {
  it('measures each block on its own: a zero block then a random block give min 0 and max near 8', () => {
    const profile = new BlockEntropyProfile(1024);
    profile.update(Buffer.alloc(1024));
    profile.update(randomBytes(64 * 1024).subarray(0, 1024));
    const summary = profile.finish();
    expect(summary.blocks).toBe(2);
    expect(summary.min).toBe(0);
    expect(summary.max).toBeGreaterThan(7.5);
    expect(summary.mean).toBeCloseTo(summary.max / 2, 10);
    expect(summary.profile).toEqual([0, summary.max]);
  });

  it('measures a file shorter than one block as one block', () => {
    const profile = new BlockEntropyProfile(1024);
    profile.update(Buffer.from('abab'));
    expect(profile.finish()).toMatchObject({ blocks: 1, min: 1, max: 1, mean: 1, profile: [1] });
  });

  it('leaves out a short trailing partial block', () => {
    const profile = new BlockEntropyProfile(8192);
    profile.update(Buffer.alloc(8192 + 100, 0x41));
    expect(profile.finish().blocks).toBe(1);
  });

  it('keeps at most MAX_PROFILE_POINTS points, each the mean of an equal run of blocks', () => {
    const profile = new BlockEntropyProfile(2);
    // 200 blocks alternating entropy 0 ("aa") and 1 ("ab").
    for (let i = 0; i < 100; i++) profile.update(Buffer.from('aaab'));
    const summary = profile.finish();
    expect(summary.blocks).toBe(200);
    expect(summary.profile.length).toBeLessThanOrEqual(MAX_PROFILE_POINTS);
    expect(summary.profile.length).toBeGreaterThan(MAX_PROFILE_POINTS / 4);
    expect(summary.blocksPerPoint).toBe(4);
    // 200 blocks / 4 per point = 50 points, every one averaging an even number of 0s and 1s.
    expect(summary.profile).toEqual(new Array(50).fill(0.5));
    expect(summary.mean).toBe(0.5);
  });

  it('gives the same summary whatever the chunking', () => {
    const data = Buffer.concat([randomBytes(5000), Buffer.alloc(3000), Buffer.from('hello world '.repeat(300))]);
    const whole = new BlockEntropyProfile(97);
    whole.update(data);
    const pieces = new BlockEntropyProfile(97);
    for (let at = 0, step = 1; at < data.length; at += step, step = (step % 13) + 1) pieces.update(data.subarray(at, at + step));
    expect(pieces.finish()).toEqual(whole.finish());
  });
});
