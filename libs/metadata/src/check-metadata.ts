import { CompiledScheme } from './compiled-scheme';
import { FieldValueError } from './field-check';
import { InvalidMetadata } from './metadata-errors';
import { FlatMetadata, MetadataValue, setOwn } from './metadata-types';
import { pyListRepr } from './python-repr';

export interface CheckOptions {
  /** Refuse keys the scheme does not declare. */
  strict: boolean;
  /** Keys a strict scheme still tolerates (those the system itself adds). */
  allowExtra?: readonly string[];
}

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

function hasDefault(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

/**
 * Validates flattened metadata against one scheme, in Assemblyline's order: aliases, then required fields
 * (filled from `default` when one is set), then — for strict schemes — undeclared keys, then each field's
 * type. Returns a new object: aliases renamed, defaults filled, upper/lower values case-normalised.
 */
export function checkMetadata(metadata: FlatMetadata, scheme: CompiledScheme, options: CheckOptions): FlatMetadata {
  const out: FlatMetadata = { ...metadata };

  for (const field of scheme) {
    if (hasOwn(out, field.name)) continue;
    const alias = field.aliases.find((name) => hasOwn(out, name));
    if (alias !== undefined) {
      setOwn(out, field.name, out[alias]);
      delete out[alias];
    }
  }

  const missing: string[] = [];
  for (const field of scheme) {
    if (hasOwn(out, field.name) || !field.required) continue;
    if (hasDefault(field.default)) setOwn(out, field.name, field.default as MetadataValue);
    else missing.push(field.name);
  }
  if (missing.length > 0) {
    throw new InvalidMetadata(
      `Required metadata is missing from submission: ${pyListRepr(missing)}`,
      'missing',
      missing.length === 1 ? missing[0] : undefined,
    );
  }

  if (options.strict) {
    const known = new Set([...scheme.map((field) => field.name), ...(options.allowExtra ?? [])]);
    const extra = Object.keys(out).filter((key) => !known.has(key));
    if (extra.length > 0) {
      throw new InvalidMetadata(
        `Extra metadata found from submission: ${pyListRepr(extra)}`,
        'extra',
        extra.length === 1 ? extra[0] : undefined,
      );
    }
  }

  for (const field of scheme) {
    const value = out[field.name];
    // Absent (or null) optional fields are not checked, as in Assemblyline.
    if (!field.check || value === undefined || (value === null && !field.required)) continue;
    try {
      setOwn(out, field.name, field.check(value, field.name));
    } catch (error) {
      if (!(error instanceof FieldValueError)) throw error;
      throw new InvalidMetadata(
        `Validation of '${field.name}' of type ${field.type} failed: ${error.message}`,
        'invalid_value',
        field.name,
      );
    }
  }
  return out;
}
