import { Rc4 } from '../rc4';
import { CartKeyError } from './cart-errors';

export type CartJsonObject = Record<string, unknown>;

/** Python sorts str keys by code point; JavaScript's default sort compares UTF-16 units, which differs above U+FFFF. */
function byCodePoint(a: string, b: string): number {
  const x = Array.from(a, (c) => c.codePointAt(0)!);
  const y = Array.from(b, (c) => c.codePointAt(0)!);
  for (let n = 0; n < Math.min(x.length, y.length); n++) if (x[n] !== y[n]) return x[n]! - y[n]!;
  return x.length - y.length;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(byCodePoint)) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/**
 * Serialises a CaRT header/footer the way the reference does (Python `json.dumps(sort_keys=True,
 * separators=(',', ':'))`, ASCII only): compact, keys sorted, everything outside printable ASCII escaped
 * as \uXXXX (astral characters as their surrogate pair, which is what JS strings hold anyway). Same text
 * means the same encrypted bytes, so Assemblyline and Hopper produce identical optional headers.
 * Known difference: floats with integral values (1.0) and exponents print as JavaScript prints them.
 */
export function serialiseCartJson(value: CartJsonObject): string {
  const text = JSON.stringify(sortKeys(value));
  // JSON.stringify already escaped the control characters; Python also escapes DEL and all non-ASCII.
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

export function encryptCartJson(value: CartJsonObject, key: Uint8Array): Buffer {
  return new Rc4(key).update(Buffer.from(serialiseCartJson(value), 'utf8'));
}

/** Decrypts an optional header/footer with a fresh keystream and parses it; anything but a JSON object is a key error. */
export function decryptCartJson(data: Buffer, key: Uint8Array, part: 'header' | 'footer'): CartJsonObject {
  if (data.length === 0) return {};
  const text = new Rc4(key).update(data).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CartKeyError(`CaRT: could not decrypt ${part} with the given key`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new CartKeyError(`CaRT: optional ${part} is not a JSON object`);
  }
  return parsed as CartJsonObject;
}
