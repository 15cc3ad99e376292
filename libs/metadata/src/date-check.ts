import isISO8601 from 'validator/lib/isISO8601';
import { allowParams, FieldCheckFactory, FieldValueError } from './field-check';

/**
 * `date`: an ISO 8601 date or date-time, "NOW", or a number of seconds since the epoch — what
 * Assemblyline's odm.Date (arrow.get) accepts in practice.
 */
export const dateCheck: FieldCheckFactory = (params) => {
  allowParams(params, []);
  return (value, field) => {
    const ok =
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' && (value === 'NOW' || isISO8601(value, { strict: true })));
    if (!ok) {
      const shown = Array.isArray(value) ? JSON.stringify(value) : String(value);
      throw new FieldValueError(`[${field}] '${shown}' is not a date (ISO 8601 expected)`);
    }
    return value;
  };
};
