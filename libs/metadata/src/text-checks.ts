import { allowParams, FieldCheckFactory, FieldValueError, SchemeProblem, singleText } from './field-check';
import { pySetRepr } from './python-repr';
import { compilePythonRegex, matchesAtStart } from './python-regex';

/** `text` and `keyword`: any single non-empty value (Assemblyline's Text / Keyword). */
export const textCheck: FieldCheckFactory = (params) => {
  allowParams(params, []);
  return (value, field) => {
    singleText(value, field);
    return value;
  };
};

/** `upper` / `lower`: a keyword stored case-normalised, as Assemblyline's UpperKeyword does. */
export function caseCheck(toCase: 'upper' | 'lower'): FieldCheckFactory {
  return (params) => {
    allowParams(params, []);
    return (value, field) => {
      const text = singleText(value, field);
      return toCase === 'upper' ? text.toUpperCase() : text.toLowerCase();
    };
  };
}

/** `regex`: Assemblyline's ValidatedKeyword; `validation_regex` must match at the start (re.match). */
export const regexCheck: FieldCheckFactory = (params) => {
  allowParams(params, ['validation_regex']);
  const pattern = params.validation_regex;
  if (typeof pattern !== 'string' || pattern === '') {
    throw new SchemeProblem('type regex needs a validation_regex string');
  }
  const regex = compilePythonRegex(pattern);
  return (value, field) => {
    const text = singleText(value, field);
    if (!matchesAtStart(regex, text)) {
      throw new FieldValueError(`[${field}] '${text}' not match the validator: ${pattern}`);
    }
    return value;
  };
};

/** `enum`: the value must be one of `values` (compared exactly, as Python's `in` does). */
export const enumCheck: FieldCheckFactory = (params) => {
  allowParams(params, ['values']);
  const values = params.values;
  if (!Array.isArray(values) || values.length === 0) {
    throw new SchemeProblem('type enum needs a non-empty list of values');
  }
  return (value, field) => {
    if (value === null || value === '') {
      throw new FieldValueError(`[${field}] Empty enums are not allow without defaults`);
    }
    if (!values.includes(value)) {
      throw new FieldValueError(`[${field}] ${String(value)} not in the possible values: ${pySetRepr(values)}`);
    }
    return value;
  };
};
