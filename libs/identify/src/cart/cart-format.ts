import { NotCartError, CartCorruptError } from './cart-errors';

// Byte layout of CaRT v1 (see test/fixtures/cart/README.md): all integers little-endian, no padding.
export const CART_MAGIC = Buffer.from('CART', 'ascii');
export const CART_FOOTER_MAGIC = Buffer.from('TRAC', 'ascii');
export const CART_VERSION = 1;
export const MANDATORY_HEADER_LENGTH = 38;
export const MANDATORY_FOOTER_LENGTH = 28;
/** The first eight digits of pi, twice, as byte values. */
export const DEFAULT_CART_KEY: Buffer = Buffer.from('03010401050902060301040105090206', 'hex');
/** A private key leaves 16 zero bytes in the header's key field. */
export const PRIVATE_KEY_PLACEHOLDER: Buffer = Buffer.alloc(16);
export const CART_KEY_FIELD_LENGTH = 16;
/** The reference library's RC4 takes keys of 5 to 256 bytes. */
export const MIN_KEY_LENGTH = 5;
export const MAX_KEY_LENGTH = 256;

export interface MandatoryHeader {
  version: number;
  /** The 16-byte key field (the default key, a stored key, or zeros for a private key). */
  key: Buffer;
  /** Length of the optional header (H). */
  optHeaderLength: number;
}

export interface MandatoryFooter {
  /** Absolute offset of the optional footer (P). */
  optFooterPos: number;
  /** Length of the optional footer (F). */
  optFooterLength: number;
}

/** uint64 LE as a safe integer; a value beyond 2^53 cannot be a real offset, so it counts as corruption. */
function readLength(buf: Buffer, offset: number, what: string, error: new (m: string) => Error): number {
  const value = buf.readBigUInt64LE(offset);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new error(`CaRT ${what} is out of range`);
  return Number(value);
}

/** True when the first 38 bytes form a valid mandatory header: the check Assemblyline uses to call a file CaRT. */
export function isCart(head: Uint8Array): boolean {
  // Most files are not CaRTs: answer them without building (and throwing) an error.
  if (head.length < MANDATORY_HEADER_LENGTH || !CART_MAGIC.equals(head.subarray(0, CART_MAGIC.length))) return false;
  try {
    parseMandatoryHeader(Buffer.from(head.buffer, head.byteOffset, head.byteLength));
    return true;
  } catch {
    return false;
  }
}

export function parseMandatoryHeader(buf: Buffer): MandatoryHeader {
  if (buf.length < MANDATORY_HEADER_LENGTH) throw new NotCartError('CaRT: could not unpack mandatory header (too short)');
  if (!buf.subarray(0, 4).equals(CART_MAGIC)) throw new NotCartError('CaRT: mandatory header magic is not CART');
  const version = buf.readInt16LE(4);
  if (version !== CART_VERSION) throw new NotCartError(`CaRT: unsupported version ${version}`);
  if (buf.readBigUInt64LE(6) !== 0n) throw new NotCartError('CaRT: mandatory header reserved field is not 0');
  const key = Buffer.from(buf.subarray(14, 30));
  const optHeaderLength = readLength(buf, 30, 'optional header length', NotCartError);
  return { version, key, optHeaderLength };
}

export function packMandatoryHeader(keyField: Buffer, optHeaderLength: number): Buffer {
  if (keyField.length !== CART_KEY_FIELD_LENGTH) throw new RangeError('CaRT key field must be 16 bytes');
  const buf = Buffer.alloc(MANDATORY_HEADER_LENGTH);
  CART_MAGIC.copy(buf, 0);
  buf.writeInt16LE(CART_VERSION, 4);
  // bytes 6..13 reserved, already 0
  keyField.copy(buf, 14);
  buf.writeBigUInt64LE(BigInt(optHeaderLength), 30);
  return buf;
}

export function parseMandatoryFooter(buf: Buffer): MandatoryFooter {
  if (buf.length !== MANDATORY_FOOTER_LENGTH || !buf.subarray(0, 4).equals(CART_FOOTER_MAGIC)) {
    throw new CartCorruptError('CaRT: could not validate mandatory footer (no TRAC magic)');
  }
  if (buf.readBigUInt64LE(4) !== 0n) throw new CartCorruptError('CaRT: mandatory footer reserved field is not 0');
  return {
    optFooterPos: readLength(buf, 12, 'optional footer position', CartCorruptError),
    optFooterLength: readLength(buf, 20, 'optional footer length', CartCorruptError),
  };
}

export function packMandatoryFooter(optFooterPos: number, optFooterLength: number): Buffer {
  const buf = Buffer.alloc(MANDATORY_FOOTER_LENGTH);
  CART_FOOTER_MAGIC.copy(buf, 0);
  buf.writeBigUInt64LE(BigInt(optFooterPos), 12);
  buf.writeBigUInt64LE(BigInt(optFooterLength), 20);
  return buf;
}

export function checkKeyLength(key: Uint8Array): void {
  if (key.length < MIN_KEY_LENGTH || key.length > MAX_KEY_LENGTH) {
    throw new RangeError(`CaRT key must be ${MIN_KEY_LENGTH} to ${MAX_KEY_LENGTH} bytes, got ${key.length}`);
  }
}
