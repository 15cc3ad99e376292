import { BadRequestException } from '@nestjs/common';
import { identifierError } from '../http/identifiers';

/** Keys one `result/multiple_keys/` call may ask for, of each kind. */
export const MAX_KEYS_PER_CALL = 10_000;

/**
 * `value` as a result or error key named `field`: 400 when it cannot be one (a control character, or longer
 * than any key: a sha256, a service name and version of at most 64 characters each, a digest, a sid and a type
 * code stay within the identifier limit).
 */
export function checkedKey(field: string, value: unknown): string {
  if (typeof value !== 'string') throw new BadRequestException(`${field} must be a string`);
  const error = identifierError(field, value);
  if (error) throw new BadRequestException(error);
  return value;
}

/** A list of keys (absent: none); 400 naming `field` when it is not a list of keys. */
export function checkedKeyList(field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new BadRequestException(`${field} must be a list of keys`);
  if (value.length > MAX_KEYS_PER_CALL) throw new BadRequestException(`${field} may hold at most ${MAX_KEYS_PER_CALL} keys`);
  return value.map((key, index) => checkedKey(`${field}[${index}]`, key));
}
