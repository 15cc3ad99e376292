import { TgError } from '../http/tg-envelope';
import { submissionSearchFilter } from './submission-search-query';

describe('submissionSearchFilter', () => {
  it('matches nothing in particular without q', () => {
    expect(submissionSearchFilter(undefined)).toEqual({});
    expect(submissionSearchFilter('  ')).toEqual({});
  });

  it('finds a sha256 exactly, in lower case', () => {
    expect(submissionSearchFilter('A'.repeat(64))).toEqual({ 'files.sha256': 'a'.repeat(64) });
  });

  it('compares threat scores on the max_score range each one stands for', () => {
    expect(submissionSearchFilter('score:>=70')).toEqual({ max_score: { $gte: 695 } });
    expect(submissionSearchFilter('threat_score:>70')).toEqual({ max_score: { $gte: 705 } });
    expect(submissionSearchFilter('score:<30')).toEqual({ max_score: { $lt: 295 } });
    expect(submissionSearchFilter('score:<=30')).toEqual({ max_score: { $lt: 305 } });
    expect(submissionSearchFilter('score:=50')).toEqual({ max_score: { $gte: 495, $lt: 505 } });
    expect(submissionSearchFilter('score:=100')).toEqual({ max_score: { $gte: 995 } });
    expect(submissionSearchFilter('score:90')).toEqual({ max_score: { $gte: 895 } });
  });

  it('refuses a threat score above 100', () => {
    expect(() => submissionSearchFilter('score:>=101')).toThrow(TgError);
  });

  it('searches file names case-insensitively, with regex characters taken literally', () => {
    expect(submissionSearchFilter('filename:inv(1).pdf')).toEqual({ 'files.name': { $regex: 'inv\\(1\\)\\.pdf', $options: 'i' } });
    expect(submissionSearchFilter('invoice')).toEqual({ 'files.name': { $regex: 'invoice', $options: 'i' } });
  });
});
