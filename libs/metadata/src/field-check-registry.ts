import { booleanCheck } from './boolean-check';
import { dateCheck } from './date-check';
import { BuildFieldCheck, FieldCheckFactory, SchemeProblem } from './field-check';
import { md5Check, sha1Check, sha256Check } from './hash-checks';
import { listCheck } from './list-check';
import { domainCheck, emailCheck, ipCheck, uriCheck } from './network-checks';
import { floatCheck, integerCheck } from './number-checks';
import { caseCheck, enumCheck, regexCheck, textCheck } from './text-checks';

// Assemblyline's METADATA_FIELDTYPE_MAP, plus `int` (its documentation's spelling) and the hash and
// case types Hopper adds.
const FACTORIES: Readonly<Record<string, FieldCheckFactory>> = {
  text: textCheck,
  keyword: textCheck,
  upper: caseCheck('upper'),
  lower: caseCheck('lower'),
  regex: regexCheck,
  enum: enumCheck,
  integer: integerCheck,
  int: integerCheck,
  float: floatCheck,
  boolean: booleanCheck,
  date: dateCheck,
  email: emailCheck,
  domain: domainCheck,
  ip: ipCheck,
  uri: uriCheck,
  md5: md5Check,
  sha1: sha1Check,
  sha256: sha256Check,
  list: listCheck,
};

/** Every metadata field type the validator understands. */
export const METADATA_FIELD_TYPES: readonly string[] = Object.keys(FACTORIES);

/** Builds the check of a field type; throws SchemeProblem for an unknown type or unusable params. */
export const buildFieldCheck: BuildFieldCheck = (type, params) => {
  const factory = Object.prototype.hasOwnProperty.call(FACTORIES, type) ? FACTORIES[type] : undefined;
  if (!factory) throw new SchemeProblem(`unknown validation type ${type} (one of: ${METADATA_FIELD_TYPES.join(', ')})`);
  return factory(params, buildFieldCheck);
};
