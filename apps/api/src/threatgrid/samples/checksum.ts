/** A file checksum as Threat Grid clients give one: MD5, SHA-1 or SHA-256, told apart by length. */
export interface Checksum {
  algorithm: 'md5' | 'sha1' | 'sha256';
  /** Lower case. */
  value: string;
}

const ALGORITHM_BY_LENGTH: Readonly<Record<number, Checksum['algorithm']>> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };

/** The checksum `text` is (hexadecimal of 32, 40 or 64 digits, any case), null when it is none. */
export function checksumOf(text: string): Checksum | null {
  const value = text.trim().toLowerCase();
  const algorithm = /^[0-9a-f]+$/.test(value) ? ALGORITHM_BY_LENGTH[value.length] : undefined;
  return algorithm ? { algorithm, value } : null;
}
