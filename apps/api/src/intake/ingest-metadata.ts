import type { CartMetadata } from '@hopper/identify';
import { assertSafeMetadata, flattenMetadata, FlatMetadata } from '@hopper/metadata';

/** The CaRT header minus what Assemblyline takes out of it (name, classification), flattened. */
export function cartHeaderMetadata(cart: CartMetadata | null): FlatMetadata {
  if (!cart) return {};
  const { name: _name, classification: _classification, ...rest } = cart.header;
  return flattenMetadata(rest);
}

export interface IngestMetadataParts {
  /** The request's metadata, flattened and validated. */
  submitted: FlatMetadata;
  ingestId: string;
  type: string;
  cart: FlatMetadata;
  /** What Hopper adds about where the file came from (`submitted_url`, a file source's metadata). */
  extra: Record<string, unknown>;
  now: Date;
}

/**
 * The submission's metadata, layered as seed 000 does: the request's, then `ingest_id` and `type`, then the
 * CaRT header's, then `ts` when nobody set it, then what Hopper adds. Values are stored as strings
 * (Assemblyline's flattened metadata is a string map).
 */
export function buildIngestMetadata(parts: IngestMetadataParts): Record<string, string> {
  const merged: Record<string, unknown> = { ...parts.submitted, ingest_id: parts.ingestId, type: parts.type, ...parts.cart };
  if (merged.ts === undefined) merged.ts = parts.now.toISOString();
  Object.assign(merged, flattenMetadata(parts.extra));
  return storable(merged);
}

/**
 * Values as strings (Assemblyline's flattened metadata is a string map), then refused if the datastore cannot
 * hold them: the CaRT header's and the origin's layers were never validated like the request's.
 */
function storable(merged: Record<string, unknown>): Record<string, string> {
  const metadata = Object.fromEntries(Object.entries(merged).map(([key, value]) => [key, asMetadataString(value)]));
  assertSafeMetadata(metadata);
  return metadata;
}

function asMetadataString(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export interface SubmitMetadataParts {
  /** The request's metadata, flattened and validated. */
  submitted: FlatMetadata;
  /** What Hopper adds about where the file came from (`submitted_url`, a file source's metadata). */
  extra: Record<string, unknown>;
  cart: FlatMetadata;
}

/**
 * A submit's metadata, layered as seed 000's `submit` and Assemblyline's SubmissionClient do: the request's,
 * then where the file came from, then the CaRT header's; no ingest keys. Values stored as strings.
 */
export function buildSubmitMetadata(parts: SubmitMetadataParts): Record<string, string> {
  const merged: Record<string, unknown> = { ...parts.submitted, ...flattenMetadata(parts.extra), ...parts.cart };
  return storable(merged);
}
