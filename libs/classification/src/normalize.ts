import type { ClassificationTables } from './name-tables';
import { parseClassification } from './parser';
import { renderClassification } from './renderer';

export interface NormalizeOptions {
  longFormat?: boolean;
  skipAutoSelect?: boolean;
  getDynamicGroups?: boolean;
  ignoreUnused?: boolean;
}

/**
 * Parses (without auto-select) and renders. Assemblyline also remembers every string it has returned
 * and hands such a string back unchanged whatever the options; that cache makes answers depend on
 * history, so it is left out.
 */
export function normalizeWith(tables: ClassificationTables, c12n: string, options: NormalizeOptions = {}): string {
  const parts = parseClassification(tables, c12n, {
    getDynamicGroups: options.getDynamicGroups,
    ignoreUnused: options.ignoreUnused,
  });
  return renderClassification(tables, parts, { longFormat: options.longFormat, skipAutoSelect: options.skipAutoSelect });
}
