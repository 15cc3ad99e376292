import { TgError } from '../http/tg-envelope';
import { submissionStatesOf } from './state-words';

describe('submissionStatesOf', () => {
  it('maps succ and fail to the ended states, separated by | or commas, in any case', () => {
    expect(submissionStatesOf('succ|fail')).toEqual(['completed', 'failed']);
    expect(submissionStatesOf('SUCC, fail')).toEqual(['completed', 'failed']);
    expect(submissionStatesOf('fail')).toEqual(['failed']);
  });

  it('maps wait, prep, run and proc to the one running state', () => {
    expect(submissionStatesOf('wait|prep|run|proc')).toEqual(['submitted']);
    expect(submissionStatesOf('run,succ')).toEqual(['submitted', 'completed']);
  });

  it('refuses an unknown word with a 400 listing the known ones', () => {
    expect(() => submissionStatesOf('succ|done')).toThrow(new TgError('The state "done" is not one of wait, prep, run, proc, succ, fail.', 400));
    expect(() => submissionStatesOf('toString')).toThrow(TgError);
  });

  it('gives no state for separators alone', () => {
    expect(submissionStatesOf(' | ,')).toEqual([]);
  });
});
