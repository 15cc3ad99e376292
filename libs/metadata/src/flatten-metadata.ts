import { InvalidMetadata } from './metadata-errors';
import { FlatMetadata, MetadataValue, setOwn } from './metadata-types';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flattenInto(out: FlatMetadata, data: Record<string, unknown>, prefix: string | undefined): void {
  for (const [key, value] of Object.entries(data)) {
    const path = prefix === undefined ? key : `${prefix}.${key}`;
    // Like Assemblyline's flatten(): only mappings are walked; an empty one leaves no key behind.
    if (isPlainObject(value)) flattenInto(out, value, path);
    else setOwn(out, path, value as MetadataValue);
  }
}

/**
 * Flattens submitted metadata to dotted keys, as Assemblyline stores it. Absent metadata is empty;
 * anything but an object is refused (Assemblyline crashes on it).
 */
export function flattenMetadata(metadata: unknown): FlatMetadata {
  if (metadata === undefined || metadata === null) return {};
  if (!isPlainObject(metadata)) {
    throw new InvalidMetadata('Metadata must be an object of key/value pairs', 'not_an_object');
  }
  const out: FlatMetadata = {};
  flattenInto(out, metadata, undefined);
  return out;
}
