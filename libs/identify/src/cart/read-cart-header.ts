import { CartTruncatedError } from './cart-errors';
import { checkKeyLength, MANDATORY_HEADER_LENGTH, parseMandatoryHeader } from './cart-format';
import { CartJsonObject, decryptCartJson } from './cart-json';

export interface CartHeaderInfo {
  /** The 16-byte key field as stored (zeros when a private key was used). */
  keyField: Buffer;
  header: CartJsonObject;
}

/**
 * Reads the mandatory and optional header from the start of a file, before any decoding: enough to
 * decide whether to decode (Assemblyline keeps files whose header has `al.type` encoded) and to show
 * name and classification. Throws NotCartError, CartKeyError, or CartTruncatedError when `head` is too
 * short to hold the optional header.
 */
export function readCartHeader(head: Buffer, key?: Uint8Array): CartHeaderInfo {
  const mandatory = parseMandatoryHeader(head);
  if (key) checkKeyLength(key);
  const end = MANDATORY_HEADER_LENGTH + mandatory.optHeaderLength;
  if (head.length < end) throw new CartTruncatedError('CaRT: the optional header goes beyond the bytes given');
  const header = decryptCartJson(head.subarray(MANDATORY_HEADER_LENGTH, end), key ?? mandatory.key, 'header');
  return { keyField: mandatory.key, header };
}
