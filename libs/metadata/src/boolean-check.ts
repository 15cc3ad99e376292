import { allowParams, FieldCheckFactory, FieldValueError } from './field-check';

const BOOLEAN_TEXTS = new Set(['true', 'false', '1', '0']);

/**
 * `boolean`: true/false, 1/0, or their text. (Assemblyline's odm.Boolean takes bool(value) and so accepts
 * anything; a declared boolean that accepts "maybe" would validate nothing, so Hopper is stricter.)
 */
export const booleanCheck: FieldCheckFactory = (params) => {
  allowParams(params, []);
  return (value, field) => {
    const ok =
      typeof value === 'boolean' ||
      value === 0 ||
      value === 1 ||
      (typeof value === 'string' && BOOLEAN_TEXTS.has(value.trim().toLowerCase()));
    if (!ok) throw new FieldValueError(`[${field}] '${Array.isArray(value) ? JSON.stringify(value) : String(value)}' is not a boolean`);
    return value;
  };
};
