import { TgError } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';
import { OBSERVABLE_WORDS, Observable, observableOf } from './observable';
import { checksumParam } from './sample-lookup';
import type { SampleMatch } from './sample-match';
import { refuseUnsupported } from './unsupported-parameters';

/** Threat Grid's `relation` of a sample found by each search parameter Hopper supports. */
export const SEARCH_RELATIONS = {
  checksum: 'checksum',
  ip: 'network-ip',
  domain: 'network-domain',
  url: 'network-url',
  tag: 'tag',
} as const;

type SearchKey = keyof typeof SEARCH_RELATIONS;
export type SearchRelation = (typeof SEARCH_RELATIONS)[SearchKey];

/** `GET /api/v2/samples/search` parameters of Threat Grid that Hopper cannot answer. */
export const UNSUPPORTED_SEARCH_KEYS = [
  'checksum_sample',
  'path',
  'path_sample',
  'path_artifact',
  'path_deleted',
  'registry_key',
  'domain_dns_lookup',
  'domain_http_request',
  'ip_dns_lookup',
  'ip_src',
  'ip_dst',
  'ioc',
] as const;

/** A tag as Threat Grid's submit takes it (Hopper stores each one trimmed). */
const MAX_TAG = 256;

/**
 * What `GET /api/v2/samples/search` looks for: exactly one of checksum, ip, domain, url, tag (the relation
 * each answered sample is found by). 400 when none is given, when several are, when one is unsupported or
 * when its value cannot match.
 */
export function sampleSearchCriterion(fields: TgFields): { relation: SearchRelation; match: SampleMatch } {
  refuseUnsupported(fields, UNSUPPORTED_SEARCH_KEYS);
  const keys = Object.keys(SEARCH_RELATIONS) as SearchKey[];
  const given = keys.filter((key) => fields.given(key) !== undefined);
  if (given.length === 0) throw new TgError(`Give one of the parameters ${keys.join(', ')} to search samples.`, 400);
  if (given.length > 1) throw new TgError(`Give only one of the parameters ${given.join(', ')}: samples are searched by one at a time.`, 400);
  const key = given[0];
  const value = fields.given(key)!;
  return { relation: SEARCH_RELATIONS[key], match: matchOf(key, value) };
}

function matchOf(key: SearchKey, value: string): SampleMatch {
  if (key === 'checksum') return { checksum: checksumParam('checksum', value) };
  if (key === 'tag') {
    if (value.length > MAX_TAG) throw new TgError(`The parameter tag may have at most ${MAX_TAG} characters.`, 400);
    return { filter: { 'threatgrid.tags': value } };
  }
  const observable = observableOf(key, value);
  if (!observable) throw new TgError(`The parameter ${key} must be ${OBSERVABLE_WORDS[key as Observable['kind']]}.`, 400);
  return { observable };
}
