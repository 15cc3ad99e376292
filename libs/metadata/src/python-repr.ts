// Assemblyline's error texts embed Python reprs (`['a', 'b']`, `{'x', 'y'}`); clients match on them, so
// Hopper renders values the way CPython's repr() does.

// Characters str.isprintable() rejects: other (Cc, Cf, Cs, Co, Cn) and separators except the plain space.
const NOT_PRINTABLE = /[\p{C}\p{Z}]/u;

function escapeCodePoint(codePoint: number): string {
  if (codePoint < 0x100) return `\\x${codePoint.toString(16).padStart(2, '0')}`;
  if (codePoint < 0x10000) return `\\u${codePoint.toString(16).padStart(4, '0')}`;
  return `\\U${codePoint.toString(16).padStart(8, '0')}`;
}

/** repr() of a Python str: single quotes unless the text has one and no double quote. */
export function pyStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    if (char === quote || char === '\\') out += `\\${char}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (char !== ' ' && NOT_PRINTABLE.test(char)) out += escapeCodePoint(char.codePointAt(0) as number);
    else out += char;
  }
  return out + quote;
}

/** repr() of a JSON-like value as Python would print the same data. */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') return pyStrRepr(value);
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : value > 0 ? 'inf' : value < 0 ? '-inf' : 'nan';
  if (Array.isArray(value)) return pyListRepr(value);
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${pyStrRepr(k)}: ${pyRepr(v)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(value);
}

/** repr() of a Python list, e.g. `['a', 'b']`. */
export function pyListRepr(values: readonly unknown[]): string {
  return `[${values.map(pyRepr).join(', ')}]`;
}

/** repr() of a Python set, e.g. `{'a', 'b'}` (in the given order; Python's own order is arbitrary). */
export function pySetRepr(values: readonly unknown[]): string {
  return values.length === 0 ? 'set()' : `{${values.map(pyRepr).join(', ')}}`;
}
