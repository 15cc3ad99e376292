import { SchemeProblem } from './field-check';
import { compilePythonRegex, matchesAtStart } from './python-regex';

describe('compilePythonRegex', () => {
  it('matches at the start only, like re.match', () => {
    const regex = compilePythonRegex('blee');
    expect(matchesAtStart(regex, 'bleeblah')).toBe(true);
    expect(matchesAtStart(regex, 'xblee')).toBe(false);
    // Repeated use is stable (the sticky position is reset each time).
    expect(matchesAtStart(regex, 'blee')).toBe(true);
  });

  it('translates Python-only syntax', () => {
    expect(matchesAtStart(compilePythonRegex('(?P<w>ab)(?P=w)\\Z'), 'abab')).toBe(true);
    expect(matchesAtStart(compilePythonRegex('(?P<w>ab)(?P=w)\\Z'), 'ababx')).toBe(false);
    expect(matchesAtStart(compilePythonRegex('\\Aab'), 'ab')).toBe(true);
    expect(matchesAtStart(compilePythonRegex('(?i)abc'), 'ABC')).toBe(true);
    expect(matchesAtStart(compilePythonRegex('a\\\\A'), 'a\\A')).toBe(true);
  });

  it('reports bad patterns and unsupported flags as scheme problems', () => {
    expect(() => compilePythonRegex('(')).toThrow(SchemeProblem);
    expect(() => compilePythonRegex('(?x)a')).toThrow('regex inline flag (?x) is not supported');
    expect(() => compilePythonRegex('(?P<a>x)(?P=a')).toThrow('invalid regex (?P<a>x)(?P=a: unterminated (?P=');
  });

  it('accepts the unicode flag, which JavaScript matching needs no flag for, and repeated flags', () => {
    expect(matchesAtStart(compilePythonRegex('(?ui)é'), 'É')).toBe(true);
    expect(matchesAtStart(compilePythonRegex('(?ii)a'), 'A')).toBe(true);
  });
});
