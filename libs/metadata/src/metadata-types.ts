/** A metadata value after flattening: a scalar, or a list kept whole (Assemblyline does not flatten lists). */
export type MetadataValue = string | number | boolean | null | readonly unknown[];

/** Metadata with nested objects flattened to dotted keys: `{a: {b: 1}}` becomes `{'a.b': 1}`. */
export type FlatMetadata = Record<string, MetadataValue>;

/**
 * Sets an own property even when the key is `__proto__` (a plain assignment would replace the object's
 * prototype instead), so submitted keys always stay data.
 */
export function setOwn(target: FlatMetadata, key: string, value: MetadataValue): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}
