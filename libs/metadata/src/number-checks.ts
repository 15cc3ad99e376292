import { allowParams, FieldCheckFactory, FieldValueError, SchemeProblem } from './field-check';
import { MetadataValue } from './metadata-types';
import { pyStrRepr } from './python-repr';

// The string forms Python's int() and float() accept (ASCII digits, optional sign, `_` between digits).
const INT_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:\d+(?:_\d+)*(?:\.(?:\d+(?:_\d+)*)?)?|\.\d+(?:_\d+)*)(?:[eE][+-]?\d+(?:_\d+)*)?\s*$/;

function bound(params: Record<string, unknown>, name: 'min' | 'max'): number | undefined {
  const limit = params[name];
  if (limit === undefined || limit === null) return undefined;
  if (typeof limit !== 'number' || !Number.isFinite(limit)) throw new SchemeProblem(`${name} must be a number`);
  return limit;
}

function checkRange(number: number, shown: MetadataValue, field: string, min?: number, max?: number): void {
  // Assemblyline's own wording ("bigger then"), kept so messages match.
  if (max !== undefined && number > max) {
    throw new FieldValueError(`[${field}] Value bigger then the max value. (${String(shown)} > ${max})`);
  }
  if (min !== undefined && number < min) {
    throw new FieldValueError(`[${field}] Value smaller then the min value. (${String(shown)} < ${min})`);
  }
}

function toNumber(value: MetadataValue, field: string, kind: 'int' | 'float'): number {
  if (value === null || value === '') {
    throw new FieldValueError(`[${field}] No value provided and no default value set.`);
  }
  if (typeof value === 'number') {
    // Python's int(1.5) silently truncates; Hopper refuses a fraction where an integer is declared.
    if (!Number.isFinite(value) || (kind === 'int' && !Number.isInteger(value))) {
      throw new FieldValueError(`[${field}] ${String(value)} is not ${kind === 'int' ? 'an integer' : 'a finite number'}`);
    }
    return value;
  }
  if (typeof value === 'string' && (kind === 'int' ? INT_TEXT : FLOAT_TEXT).test(value)) {
    return Number(value.replace(/_/g, ''));
  }
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  throw new FieldValueError(
    kind === 'int'
      ? `invalid literal for int() with base 10: ${pyStrRepr(shown)}`
      : `could not convert string to float: ${pyStrRepr(shown)}`,
  );
}

/** `integer` (or `int`): a whole number or its decimal text; `min`/`max` bound it. */
export const integerCheck: FieldCheckFactory = (params) => {
  allowParams(params, ['min', 'max']);
  const min = bound(params, 'min');
  const max = bound(params, 'max');
  return (value, field) => {
    checkRange(toNumber(value, field, 'int'), value, field, min, max);
    return value;
  };
};

/** `float`: a finite number or its text; `min`/`max` bound it. */
export const floatCheck: FieldCheckFactory = (params) => {
  allowParams(params, ['min', 'max']);
  const min = bound(params, 'min');
  const max = bound(params, 'max');
  return (value, field) => {
    checkRange(toNumber(value, field, 'float'), value, field, min, max);
    return value;
  };
};
