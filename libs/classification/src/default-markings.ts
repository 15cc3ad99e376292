import type { ClassificationDefinition } from './definition-types';
import { InvalidClassification } from './errors';
import { buildTables } from './name-tables';
import { normalizeWith } from './normalize';
import { isValidWith } from './validity';

/**
 * `unrestricted` and `restricted` must parse even with enforce off (the access-control parts of every
 * document describe `unrestricted` then), and must be valid markings with enforce on.
 */
export function checkDefaultMarkings(definition: ClassificationDefinition): string[] {
  const tables = buildTables(definition);
  const problems: string[] = [];
  for (const key of ['unrestricted', 'restricted'] as const) {
    const marking = definition[key];
    try {
      normalizeWith(tables, marking);
    } catch (error) {
      if (!(error instanceof InvalidClassification)) throw error;
      problems.push(`${key}: ${marking} is not a classification of this definition (${error.message})`);
      continue;
    }
    if (definition.enforce && !isValidWith(tables, marking)) {
      problems.push(`${key}: ${marking} is not a valid classification (write it as its normalized form would read)`);
    }
  }
  return problems;
}
