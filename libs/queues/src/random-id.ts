import { randomBytes } from 'node:crypto';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * A random id in Assemblyline's form (`get_random_id`: 128 random bits in base 62, 22 characters), used for
 * ingest ids and submission ids. Safe in URLs, Redis keys and BullMQ job ids.
 */
export function randomId(): string {
  let value = BigInt(`0x${randomBytes(16).toString('hex')}`);
  let out = '';
  for (let i = 0; i < 22; i++) {
    out = BASE62[Number(value % 62n)] + out;
    value /= 62n;
  }
  return out;
}
