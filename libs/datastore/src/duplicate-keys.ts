/** MongoDB's code for a write refused because its `_id` (or another unique key) is taken. */
export const DUPLICATE_KEY = 11000;

/**
 * The write errors of an unordered `insertMany` / `bulkWrite` that failed only on duplicate keys; null when it
 * failed otherwise (or had no write errors), which the caller rethrows. The driver gives one write error as an
 * object and several as an array.
 */
export function duplicateKeyErrors(error: unknown): Array<{ index: number; code: number }> | null {
  const bulk = error as { writeErrors?: Array<{ index: number; code: number }> | { index: number; code: number } };
  const writeErrors = Array.isArray(bulk?.writeErrors) ? bulk.writeErrors : bulk?.writeErrors ? [bulk.writeErrors] : [];
  if (writeErrors.length === 0 || writeErrors.some((writeError) => writeError.code !== DUPLICATE_KEY)) return null;
  return writeErrors;
}
