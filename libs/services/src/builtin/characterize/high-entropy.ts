export const HIGH_ENTROPY_THRESHOLD = 7.5;
/** Below this, even random data cannot reach the threshold reliably, and a short key or hash is no finding. */
export const HIGH_ENTROPY_MIN_BYTES = 4 * 1024;

/**
 * Assemblyline types whose content is compressed or encrypted by design: high entropy is their normal
 * state, so it says nothing about them. Everything else (executables, documents without compression,
 * unknown data) that is this random is likely packed, encrypted or carries an embedded payload.
 */
const EXPECTED_HIGH_ENTROPY = [
  /^archive\//,
  /^audio\//,
  /^audiovisual\//,
  /^video\//,
  /^image\//,
  /^font\//,
  /^quarantine\//,
  /^android\/apk/,
  /^java\/jar/,
  /^document\/office\//, // OOXML are zip files; OLE documents may be encrypted
  /^document\/pdf/, // Flate-compressed streams
  /^document\/installer\//, // MSI carries cabinets
];

export function expectsHighEntropy(fileType: string): boolean {
  return EXPECTED_HIGH_ENTROPY.some((pattern) => pattern.test(fileType));
}

/** Whether the whole-file entropy is a finding for this file. */
export function isSuspiciousEntropy(entropy: number, size: number, fileType: string): boolean {
  return entropy >= HIGH_ENTROPY_THRESHOLD && size >= HIGH_ENTROPY_MIN_BYTES && !expectsHighEntropy(fileType);
}
