import { SubmissionParamsSchema } from '@hopper/messages';
import { isPlainObject, PlainObject } from './params-merge';
import { InvalidSubmissionParams } from './profile-errors';
import { SERVICE_SELECTION_KEYS, SUBMISSION_PARAM_KEYS, SubmissionParams } from './submission-params';

const BOOLEAN_PARAMS = [
  'deep_scan', 'generate_alert', 'ignore_cache', 'ignore_recursion_prevention', 'ignore_dynamic_recursion_prevention',
  'ignore_filtering', 'ignore_size', 'never_drop', 'malicious', 'profile', 'quota_item', 'auto_archive',
  'delete_after_archive', 'use_archive_alternate_dtl',
] as const;
const COUNT_PARAMS = ['max_extracted', 'max_supplementary', 'ttl'] as const;
const TEXT_PARAMS = ['classification', 'description', 'submitter', 'type'] as const;
const OPTIONAL_TEXT_PARAMS = ['psid', 'initial_data'] as const;

function quoted(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(', ');
}

/** Refuses parameter names SubmissionParams does not have (Assemblyline's model refuses them too). */
export function assertKnownParams(params: PlainObject): void {
  const unknown = Object.keys(params).filter((key) => !(SUBMISSION_PARAM_KEYS as readonly string[]).includes(key));
  if (unknown.length > 0) throw new InvalidSubmissionParams(`Unknown submission parameters: ${quoted(unknown)}`, unknown[0]);
  const services = params.services;
  if (services === undefined || services === null) return;
  if (!isPlainObject(services)) throw new InvalidSubmissionParams('Invalid submission parameter "services": must be an object', 'services');
  const unknownSelection = Object.keys(services).filter((key) => !(SERVICE_SELECTION_KEYS as readonly string[]).includes(key));
  if (unknownSelection.length > 0) {
    throw new InvalidSubmissionParams(`Unknown submission parameters: ${quoted(unknownSelection.map((k) => `services.${k}`))}`, 'services');
  }
}

const isTextList = (value: unknown): boolean => Array.isArray(value) && value.every((item) => typeof item === 'string');

function fail(param: string, rule: string): never {
  throw new InvalidSubmissionParams(`Invalid submission parameter "${param}": ${rule}`, param);
}

/**
 * Checks the type of every resolved parameter, naming the first that is wrong (a 400 in these words), then
 * answers them as the one schema (libs/messages) reads them.
 */
export function assertParamTypes(record: PlainObject): SubmissionParams {
  for (const name of BOOLEAN_PARAMS) if (typeof record[name] !== 'boolean') fail(name, 'must be true or false');
  for (const name of COUNT_PARAMS) {
    const value = record[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(name, 'must be a non-negative integer');
  }
  if (!Number.isInteger(record.priority)) fail('priority', 'must be an integer');
  for (const name of TEXT_PARAMS) if (typeof record[name] !== 'string') fail(name, 'must be a string');
  for (const name of OPTIONAL_TEXT_PARAMS) if (record[name] !== null && typeof record[name] !== 'string') fail(name, 'must be a string');
  if (!isTextList(record.groups)) fail('groups', 'must be a list of strings');
  const services = isPlainObject(record.services) ? record.services : {};
  for (const key of SERVICE_SELECTION_KEYS) if (!isTextList(services[key])) fail(`services.${key}`, 'must be a list of strings');
  const spec = record.service_spec;
  if (!isPlainObject(spec) || !Object.values(spec).every(isPlainObject)) fail('service_spec', 'must map service names to parameter objects');
  assertStorable(record, '');
  const parsed = SubmissionParamsSchema.safeParse(record);
  if (!parsed.success) fail(parsed.error.issues[0]?.path.join('.') || 'params', parsed.error.issues[0]?.message ?? 'invalid');
  return parsed.data;
}

/**
 * The parameters are stored as they are in the submission document: no text may hold a NUL and no name
 * (a service_spec service or parameter, at any depth) a `.`, a leading `$` or a NUL, which the datastore
 * refuses. Names the first offending parameter.
 */
function assertStorable(value: unknown, path: string): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) fail(path, 'must not contain a NUL character');
  } else if (Array.isArray(value)) {
    value.forEach((item) => assertStorable(item, path));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (key.includes('.') || key.startsWith('$') || key.includes('\u0000')) fail(at, "names may not contain '.' or a NUL character, nor start with '$'");
      assertStorable(item, at);
    }
  }
}
