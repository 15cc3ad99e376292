import { FieldCheckFactory, SchemeProblem } from './field-check';
import { MetadataValue } from './metadata-types';

/**
 * `list`: every element is checked as `child_type` (default text); the other params go to the child, as
 * in Assemblyline. A single value is checked as a one-element list and kept as it was given.
 */
export const listCheck: FieldCheckFactory = (params, build) => {
  const { child_type: childType = 'text', ...childParams } = params;
  if (typeof childType !== 'string') throw new SchemeProblem('child_type must be a type name');
  if (childType === 'list') throw new SchemeProblem('List of Lists are not supported');
  const child = build(childType, childParams);
  return (value, field) => {
    if (!Array.isArray(value)) return child(value, field);
    return value.map((element) => child(element as MetadataValue, field));
  };
};
