import { TgError } from '../http/tg-envelope';
import { submissionSearch, submissionSearches, submissionSearchFilter } from './submission-search-query';

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

  it("reads Threat Grid's analysis.threat_score as score", () => {
    expect(submissionSearchFilter('analysis.threat_score:100')).toEqual({ max_score: { $gte: 995 } });
    expect(submissionSearchFilter('analysis.threat_score:>=70')).toEqual({ max_score: { $gte: 695 } });
    expect(submissionSearchFilter('Analysis.Threat_Score:<30')).toEqual({ max_score: { $lt: 295 } });
  });

  it('refuses a threat score above 100', () => {
    expect(() => submissionSearchFilter('score:>=101')).toThrow(TgError);
  });

  it('searches file names case-insensitively, with regex characters taken literally', () => {
    expect(submissionSearchFilter('filename:inv(1).pdf')).toEqual({ 'files.name': { $regex: 'inv\\(1\\)\\.pdf', $options: 'i' } });
    expect(submissionSearchFilter('invoice')).toEqual({ 'files.name': { $regex: 'invoice', $options: 'i' } });
  });
});

describe('submissionSearch', () => {
  it('is null without q', () => {
    expect(submissionSearch(undefined)).toBeNull();
    expect(submissionSearch(' ')).toBeNull();
  });

  it('looks md5 and sha1 up in the files, in lower case; a sha256 is a filter', () => {
    expect(submissionSearch('D41D8CD98F00B204E9800998ECF8427E')).toEqual({ checksum: { algorithm: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' } });
    expect(submissionSearch('b'.repeat(40))).toEqual({ checksum: { algorithm: 'sha1', value: 'b'.repeat(40) } });
    expect(submissionSearch('C'.repeat(64))).toEqual({ filter: { 'files.sha256': 'c'.repeat(64) } });
  });

  it("looks IPs, domains and URLs up in the results' tags", () => {
    expect(submissionSearch('185.220.101.4')).toEqual({ observable: { kind: 'ip', value: '185.220.101.4' } });
    expect(submissionSearch('evil-domain.net')).toEqual({ observable: { kind: 'domain', value: 'evil-domain.net' } });
    expect(submissionSearch('http://evil-domain.net/drop')).toEqual({ observable: { kind: 'url', value: 'http://evil-domain.net/drop' } });
  });

  it('keeps scores, file names and words as filters', () => {
    expect(submissionSearch('analysis.threat_score:>=0')).toEqual({ filter: { max_score: { $gte: -5 } } });
    expect(submissionSearch('filename:evil-domain.net')).toEqual({ filter: { 'files.name': { $regex: 'evil-domain\\.net', $options: 'i' } } });
    expect(submissionSearch('invoice.pdf')).toEqual({ filter: { 'files.name': { $regex: 'invoice\\.pdf', $options: 'i' } } });
    expect(submissionSearch('QUARTERLY-report')).toEqual({ filter: { 'files.name': { $regex: 'QUARTERLY-report', $options: 'i' } } });
  });

  it('refuses an over-long q', () => {
    expect(() => submissionSearch('a'.repeat(257))).toThrow(TgError);
  });
});

describe('submissionSearches', () => {
  it('is every term joined with && (all must hold); empty without q', () => {
    expect(submissionSearches(undefined)).toEqual([]);
    expect(submissionSearches('analysis.threat_score:>=95 && filename:invoice')).toEqual([
      { filter: { max_score: { $gte: 945 } } },
      { filter: { 'files.name': { $regex: 'invoice', $options: 'i' } } },
    ]);
    expect(submissionSearches('185.220.101.4')).toEqual([{ observable: { kind: 'ip', value: '185.220.101.4' } }]);
  });

  it('refuses an advanced-search field it cannot search, naming it (Cisco get_org_exes_95_or_greater.py)', () => {
    expect(() => submissionSearches('analysis.metadata.submitted_file.type:exe && analysis.threat_score:>=95')).toThrow(
      /^The search term analysis\.metadata\.submitted_file\.type is not supported by this server/,
    );
  });
});
