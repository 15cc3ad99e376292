import { readFileSync } from 'node:fs';
import type { ClassificationDefinition } from './definition-types';
import { loadClassificationDefinition, LoadDefinitionOptions } from './definition-loader';
import { InvalidDefinition } from './errors';

/** The lib's only I/O: reads a classification.yml and loads it; problems are prefixed with the path. */
export function loadClassificationFile(path: string, options: LoadDefinitionOptions = {}): ClassificationDefinition {
  const text = readFileSync(path, 'utf8');
  try {
    return loadClassificationDefinition(text, options);
  } catch (error) {
    if (error instanceof InvalidDefinition) throw new InvalidDefinition(error.problems.map((p) => `${path}: ${p}`));
    throw error;
  }
}
