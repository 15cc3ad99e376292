import { formatParts, sameParts } from './classification-parts';
import { InvalidClassification } from './errors';
import type { ClassificationTables } from './name-tables';
import { normalizeWith } from './normalize';
import { parseClassification } from './parser';
import { hasValidStructure } from './structure-check';

/**
 * Assemblyline's `is_valid` with enforce on: normalizing must succeed and must not change the level,
 * required markings, groups or subgroups, and the raw string must pass the structure checks.
 */
export function isValidWith(tables: ClassificationTables, c12n: string, skipAutoSelect = false): boolean {
  try {
    const normalized = normalizeWith(tables, c12n, { skipAutoSelect });
    const before = formatParts(tables, parseClassification(tables, c12n), true);
    const after = formatParts(tables, parseClassification(tables, normalized), true);
    if (!sameParts(before, after)) return false;
  } catch (error) {
    if (error instanceof InvalidClassification) return false;
    throw error;
  }
  return hasValidStructure(tables, c12n);
}
