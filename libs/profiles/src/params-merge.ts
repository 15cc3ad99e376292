// Assemblyline's dict_utils (recursive_update, get_recursive_delta, strip_nulls) over plain JSON objects;
// none of them modifies its inputs.

export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}

/**
 * Sets an own property, even one named `__proto__` (JSON.parse makes such keys; an assignment would set the
 * prototype instead). The merges below build their objects key by key with it: they run on every submission,
 * and loops cost a quarter of Object.entries/fromEntries' intermediate arrays.
 */
function setOwn(out: PlainObject, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
  else out[key] = value;
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (!isPlainObject(value)) return value;
  const out: PlainObject = {};
  for (const key of Object.keys(value)) setOwn(out, key, copy(value[key]));
  return out;
}

/** `update` over `base`: objects merge key by key; anything else (lists included) replaces. */
export function recursiveUpdate<T extends PlainObject>(base: T, update: PlainObject): T {
  const out: PlainObject = copy(base) as PlainObject;
  for (const key of Object.keys(update)) {
    const value = update[key];
    const current = Object.prototype.hasOwnProperty.call(out, key) ? out[key] : undefined;
    setOwn(out, key, isPlainObject(value) && isPlainObject(current) ? recursiveUpdate(current, value) : copy(value));
  }
  return out as T;
}

/** What `update` sets differently from `base` (objects compared key by key, everything else whole). */
export function recursiveDelta(base: PlainObject, update: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const [key, value] of Object.entries(update)) {
    const current = base[key];
    if (isPlainObject(value) && isPlainObject(current)) {
      const inner = recursiveDelta(current, value);
      if (Object.keys(inner).length > 0) out[key] = inner;
    } else if (!deepEqual(current, value)) {
      out[key] = copy(value);
    }
  }
  return out;
}

/** Drops null and undefined values at every level: in saved settings and requests they mean "not set". */
export function stripNulls(value: PlainObject): PlainObject {
  const out: PlainObject = {};
  for (const key of Object.keys(value)) {
    const item = value[key];
    if (item === null || item === undefined) continue;
    setOwn(out, key, isPlainObject(item) ? stripNulls(item) : copy(item));
  }
  return out;
}
