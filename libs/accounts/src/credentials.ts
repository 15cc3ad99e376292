import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';

const BCRYPT_COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

export function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  return hash ? bcrypt.compare(password, hash) : Promise.resolve(false);
}

/** A new API key secret: 32 random bytes, URL-safe. */
export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * API key secrets are long random strings, so a keyed fast hash (HMAC-SHA256 with a per-key salt) is as
 * strong as bcrypt for them, and cheap enough to check on every X-APIKEY request.
 */
export function hashApiKey(secret: string, salt = randomBytes(16).toString('hex')): { hash: string; salt: string } {
  return { hash: createHmac('sha256', salt).update(secret).digest('hex'), salt };
}

export function verifyApiKey(secret: string, stored: { hash: string; salt: string }): boolean {
  const candidate = Buffer.from(hashApiKey(secret, stored.salt).hash, 'hex');
  const expected = Buffer.from(stored.hash, 'hex');
  return candidate.length === expected.length && timingSafeEqual(candidate, expected);
}

/** Splits Assemblyline's `name:secret` API key form; null when it is not of that form. */
export function parseApiKey(apikey: string): { name: string; secret: string } | null {
  const at = apikey.indexOf(':');
  if (at <= 0 || at === apikey.length - 1) return null;
  return { name: apikey.slice(0, at), secret: apikey.slice(at + 1) };
}
