import { MetadataValue } from './metadata-types';

/** A value failed its field's type; the message is the reason part of Assemblyline's error text. */
export class FieldValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FieldValueError';
  }
}

/** The field's configuration cannot be used (bad params); collected into InvalidMetadataScheme. */
export class SchemeProblem extends Error {}

/** Checks one value of a field; returns the value to store (unchanged, or case-normalised) or throws. */
export type FieldCheck = (value: MetadataValue, field: string) => MetadataValue;

/** Builds a check from `validation_params`; `build` makes checks of other types (for list children). */
export type FieldCheckFactory = (params: Record<string, unknown>, build: BuildFieldCheck) => FieldCheck;

export type BuildFieldCheck = (type: string, params: Record<string, unknown>) => FieldCheck;

/** Refuses params a type does not take, so a typo in the configuration is caught at start-up. */
export function allowParams(params: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(params).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) {
    const accepted = allowed.length ? `accepted: ${allowed.join(', ')}` : 'this type takes none';
    throw new SchemeProblem(`unknown validation parameter(s) ${unknown.join(', ')} (${accepted})`);
  }
}

/**
 * The text of a single value, as Assemblyline's Keyword/Text fields take it: empty values and lists are
 * refused (Assemblyline's "Empty strings are not allowed without defaults").
 */
export function singleText(value: MetadataValue, field: string): string {
  if (value === null || value === '') {
    throw new FieldValueError(`[${field}] Empty strings are not allowed without defaults`);
  }
  if (Array.isArray(value)) throw new FieldValueError(`[${field}] A list was given where a single value is expected`);
  return String(value);
}
