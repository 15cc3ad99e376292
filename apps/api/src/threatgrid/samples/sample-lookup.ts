import { TgError } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';
import { Checksum, checksumOf } from './checksum';
import type { SampleMatch } from './sample-match';
import { refuseUnsupported } from './unsupported-parameters';

/** `GET /api/v2/samples` keys that name samples; Hopper supports these. */
export const SAMPLE_LOOKUP_KEYS = ['id', 'sha256', 'md5', 'sha1', 'checksum', 'submission_id'] as const;

/** Look-up keys Threat Grid's clients send to `GET /api/v2/samples` that Hopper cannot answer. */
export const UNSUPPORTED_SAMPLE_KEYS = [
  'ioc',
  'submission_ids',
  'q',
  'checksum_sample',
  'path',
  'path_sample',
  'path_artifact',
  'path_deleted',
  'url',
  'registry_key',
  'domain',
  'domain_dns_lookup',
  'domain_http_request',
  'ip',
  'ip_dns_lookup',
  'ip_src',
  'ip_dst',
  'tag',
] as const;

const CHECKSUM_WORDS: Readonly<Record<string, string>> = {
  md5: 'an MD5 checksum (32 hexadecimal digits)',
  sha1: 'a SHA-1 checksum (40 hexadecimal digits)',
  sha256: 'a SHA-256 checksum (64 hexadecimal digits)',
  checksum: 'an MD5, SHA-1 or SHA-256 checksum (32, 40 or 64 hexadecimal digits)',
};

/**
 * The samples `GET /api/v2/samples` asks for, one match per key given (all must hold); empty when it gives
 * none (the caller's default list). 400 for a key Hopper does not support or a value that cannot match.
 */
export function sampleLookup(fields: TgFields): SampleMatch[] {
  refuseUnsupported(fields, UNSUPPORTED_SAMPLE_KEYS);
  const matches: SampleMatch[] = [];
  const id = fields.given('id');
  if (id !== undefined) matches.push({ filter: { _id: id } });
  for (const key of ['sha256', 'md5', 'sha1', 'checksum'] as const) {
    const value = fields.given(key);
    if (value !== undefined) matches.push({ checksum: checksumParam(key, value) });
  }
  const submissionId = fields.given('submission_id');
  if (submissionId !== undefined) {
    // Threat Grid's submission_ids here are up to 2^52 (sixteen digits): any safe integer is accepted.
    const value = /^\d{1,16}$/.test(submissionId) ? Number(submissionId) : NaN;
    if (!Number.isSafeInteger(value)) throw new TgError(`The parameter submission_id must be an integer (got ${JSON.stringify(submissionId)}).`, 400);
    matches.push({ filter: { 'threatgrid.submission_id': value } });
  }
  return matches;
}

/** The checksum a `sha256`, `md5`, `sha1` or `checksum` parameter gives; 400 when it is not of that kind. */
export function checksumParam(key: 'sha256' | 'md5' | 'sha1' | 'checksum', value: string): Checksum {
  const checksum = checksumOf(value);
  if (!checksum || (key !== 'checksum' && checksum.algorithm !== key)) {
    throw new TgError(`The parameter ${key} must be ${CHECKSUM_WORDS[key]}.`, 400);
  }
  return checksum;
}
