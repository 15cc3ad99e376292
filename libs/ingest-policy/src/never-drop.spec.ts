import { isNeverDrop, matchesNeverDropRule, NeverDropRules } from './never-drop';

const rules: NeverDropRules = { submitters: ['vip', 'feed'], metadata: { source: ['honeypot', 'ir'], level: ['3'] } };
const task = (submitter: string, metadata: Record<string, unknown> = {}, never_drop = false) => ({
  params: { submitter, never_drop },
  metadata,
});

describe('matchesNeverDropRule', () => {
  it('matches a listed submitter', () => {
    expect(matchesNeverDropRule(task('feed'), rules)).toBe(true);
    expect(matchesNeverDropRule(task('alice'), rules)).toBe(false);
  });

  it('matches a listed value under a listed metadata key, and nothing else', () => {
    expect(matchesNeverDropRule(task('alice', { source: 'ir' }), rules)).toBe(true);
    expect(matchesNeverDropRule(task('alice', { source: 'mail' }), rules)).toBe(false);
    expect(matchesNeverDropRule(task('alice', { other: 'ir' }), rules)).toBe(false);
    expect(matchesNeverDropRule(task('alice', { source: ['ir'] }), rules)).toBe(false);
  });

  it('compares number and boolean metadata values as text', () => {
    expect(matchesNeverDropRule(task('alice', { level: 3 }), rules)).toBe(true);
    expect(matchesNeverDropRule(task('alice', { level: 4 }), rules)).toBe(false);
  });

  it('is not fooled by inherited keys', () => {
    expect(matchesNeverDropRule(task('alice', {}), { metadata: { toString: ['x'] } })).toBe(false);
  });

  it('matches nothing without rules or with empty ones', () => {
    expect(matchesNeverDropRule(task('vip'), undefined)).toBe(false);
    expect(matchesNeverDropRule(task('vip', { source: 'ir' }), {})).toBe(false);
  });
});

describe('isNeverDrop', () => {
  it('is true for the never_drop parameter or a matching rule', () => {
    expect(isNeverDrop(task('alice', {}, true), undefined)).toBe(true);
    expect(isNeverDrop(task('vip'), rules)).toBe(true);
    expect(isNeverDrop(task('alice'), rules)).toBe(false);
  });
});
