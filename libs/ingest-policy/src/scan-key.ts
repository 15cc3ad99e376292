import { createHash } from 'node:crypto';
import { pyRepr } from '@hopper/metadata';
import type { SubmissionParams } from '@hopper/profiles';

/** Assemblyline's cache version, appended as `v<version>`; bumping it invalidates every cached result. */
export const SCAN_KEY_VERSION = 0;

/**
 * The parameters besides the file and its services that change a scan's result (Assemblyline's
 * `_KEY_HASHED_FIELDS` in `assemblyline/odm/models/submission.py`). Everything else (description,
 * priority, submitter, groups, ttl, generate_alert, never_drop, metadata, …) leaves the key unchanged.
 */
export const SCAN_KEY_PARAM_FIELDS = [
  'classification',
  'deep_scan',
  'ignore_cache',
  'ignore_filtering',
  'ignore_recursion_prevention',
  'ignore_size',
  'max_extracted',
  'max_supplementary',
] as const;

export type ScanKeyParams = Pick<SubmissionParams, (typeof SCAN_KEY_PARAM_FIELDS)[number] | 'services' | 'service_spec'>;

/** Python's string order: by code point (JavaScript's `<` compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i += 1) {
    const diff = (left[i].codePointAt(0) as number) - (right[i].codePointAt(0) as number);
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/** str() of a value: a string as is, anything else as its repr. */
function pyStr(value: unknown): string {
  return typeof value === 'string' ? value : pyRepr(value);
}

/** Python's `sorted(mapping.items())` for a mapping with string keys, rendered as a list of tuples. */
function sortedItemsRepr<V>(mapping: Readonly<Record<string, V>>, renderValue: (value: V) => string): string {
  const keys = Object.keys(mapping).sort(byCodePoint);
  return `[${keys.map((key) => `(${pyRepr(key)}, ${renderValue(mapping[key])})`).join(', ')}]`;
}

/**
 * The text Assemblyline hashes (`SubmissionParams.create_filescore_key`): `key: value` pairs joined by
 * `, ` in key order, each value as Python's str() prints it. service_spec becomes a sorted list of
 * (service, sorted list of (name, value)); services a sorted list of (selection key, sorted names), so the
 * order of service names and of object keys does not matter. Values nested inside a service parameter are
 * printed in their own order, as in Assemblyline.
 */
export function scanKeyText(sha256: string, params: ScanKeyParams): string {
  const data: Record<string, string> = {};
  for (const field of SCAN_KEY_PARAM_FIELDS) data[field] = pyStr(params[field]);
  data.service_spec = sortedItemsRepr(params.service_spec, (values) =>
    sortedItemsRepr(values, (value) => pyRepr(value)),
  );
  data.sha256 = sha256;
  data.services = sortedItemsRepr(params.services, (names) =>
    pyRepr([...names].sort(byCodePoint)),
  );
  return Object.keys(data)
    .sort(byCodePoint)
    .map((key) => `${key}: ${data[key]}`)
    .join(', ');
}

/**
 * The scan key: identical for two ingests exactly when the same file would be scanned the same way, so the
 * second can reuse (or wait for) the first's result. Assemblyline's format: the md5 of `scanKeyText` in hex,
 * then `v0`; Hopper's keys equal Assemblyline's for the same parameters.
 */
export function scanKey(sha256: string, params: ScanKeyParams): string {
  const digest = createHash('md5').update(scanKeyText(sha256, params), 'utf8').digest('hex');
  return `${digest}v${SCAN_KEY_VERSION}`;
}
