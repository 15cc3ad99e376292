/**
 * One query parameter as a string: the first value when it is repeated (as Flask's `request.args.get`
 * answers), undefined when absent. Nested objects (`a[b]=c`) count as absent.
 */
export function queryValue(raw: unknown): string | undefined {
  const first = Array.isArray(raw) ? raw[0] : raw;
  return typeof first === 'string' ? first : undefined;
}

/**
 * A whole number in [min, max] from a query parameter, `fallback` when absent or empty; an error naming
 * the parameter otherwise (Assemblyline would answer a 500 for `int()` of a bad value; Hopper a 400).
 */
export function queryInteger(
  name: string,
  raw: unknown,
  bounds: { fallback: number; min: number; max: number },
): { value: number } | { error: string } {
  const text = queryValue(raw)?.trim();
  if (text === undefined || text === '') return { value: bounds.fallback };
  const value = /^[+-]?\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    return { error: `${name} must be an integer from ${bounds.min} to ${bounds.max}; got ${JSON.stringify(text)}` };
  }
  return { value };
}
