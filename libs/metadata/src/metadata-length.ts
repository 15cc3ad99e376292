import { InvalidMetadata } from './metadata-errors';
import { FlatMetadata, MetadataValue, setOwn } from './metadata-types';

/** What to do with a value longer than `submission.max_metadata_length`. */
export type OverLengthPolicy = 'reject' | 'strip';

/** The length Assemblyline compares: characters of the text form (code points, as Python's len()). */
export function metadataValueLength(value: MetadataValue): number {
  const text = typeof value === 'string' ? value : Array.isArray(value) ? JSON.stringify(value) : String(value);
  return [...text].length;
}

/**
 * Enforces `submission.max_metadata_length` on every value. `reject` throws naming the key; `strip` drops
 * the key, as Assemblyline's ingester does ("Removing <key> from metadata because value is too big").
 */
export function enforceMetadataLength(
  metadata: FlatMetadata,
  maxLength: number,
  policy: OverLengthPolicy,
): { metadata: FlatMetadata; stripped: string[] } {
  const kept: FlatMetadata = {};
  const stripped: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    const length = metadataValueLength(value);
    if (length <= maxLength) {
      setOwn(kept, key, value);
    } else if (policy === 'strip') {
      stripped.push(key);
    } else {
      throw new InvalidMetadata(
        `Metadata field '${key}' is too long (${length} > ${maxLength} characters)`,
        'too_long',
        key,
      );
    }
  }
  return { metadata: kept, stripped };
}
