import { SchemeProblem } from './field-check';

/**
 * Compiles a `validation_regex` written for Python's `re` (as in Assemblyline configurations) into a
 * JavaScript RegExp with re.match() semantics: anchored at the start only (sticky flag, lastIndex 0).
 * Translates the Python-only spellings (?P<name>…), (?P=name), \A, \Z and leading inline flags.
 */
export function compilePythonRegex(pattern: string): RegExp {
  let source = pattern;
  let flags = 'y';
  const inline = /^\(\?([a-zA-Z]+)\)/.exec(source);
  if (inline) {
    for (const flag of inline[1]) {
      if (flag === 'i' || flag === 'm' || flag === 's') flags += flags.includes(flag) ? '' : flag;
      else if (flag !== 'u') throw new SchemeProblem(`regex inline flag (?${flag}) is not supported`);
    }
    source = source.slice(inline[0].length);
  }
  let out = '';
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (char === '\\' && i + 1 < source.length) {
      const next = source[i + 1];
      out += next === 'A' ? '^' : next === 'Z' ? '$' : `\\${next}`;
      i += 1;
    } else if (source.startsWith('(?P<', i)) {
      out += '(?<';
      i += 3;
    } else if (source.startsWith('(?P=', i)) {
      const end = source.indexOf(')', i);
      if (end < 0) throw new SchemeProblem(`invalid regex ${pattern}: unterminated (?P=`);
      out += `\\k<${source.slice(i + 4, end)}>`;
      i = end;
    } else {
      out += char;
    }
  }
  try {
    return new RegExp(out, flags);
  } catch (error) {
    throw new SchemeProblem(`invalid regex ${pattern}: ${(error as Error).message}`);
  }
}

/** re.match(): does the pattern match at the start of the text? */
export function matchesAtStart(regex: RegExp, text: string): boolean {
  regex.lastIndex = 0;
  return regex.test(text);
}
