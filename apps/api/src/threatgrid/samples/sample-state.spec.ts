import { SAMPLE_STATUS, sampleState } from './sample-state';

describe('sampleState', () => {
  it('is wait until the dispatcher marks progress, then follows its marks', () => {
    expect(sampleState({ state: 'submitted' }, null)).toBe('wait');
    expect(sampleState({ state: 'submitted' }, 'prep')).toBe('prep');
    expect(sampleState({ state: 'submitted' }, 'run')).toBe('run');
    expect(sampleState({ state: 'submitted' }, 'proc')).toBe('proc');
  });

  it('answers the ended state whatever mark is left over', () => {
    expect(sampleState({ state: 'completed' }, 'proc')).toBe('succ');
    expect(sampleState({ state: 'failed' }, 'run')).toBe('fail');
  });

  it('pairs each state with Threat Grid status words', () => {
    expect(SAMPLE_STATUS.succ).toBe('job_done');
    expect(SAMPLE_STATUS.wait).toBe('pending');
    expect(SAMPLE_STATUS.run).toBe('analyzing_sample');
  });
});
