import type { FileSourceDefinition } from './file-source';
import type { ClassificationOps } from './types';

/** The sources a user of clearance `userClassification` may see and use; a source without classification is open. */
export function sourcesVisibleTo<T extends Pick<FileSourceDefinition, 'classification'>>(
  userClassification: string,
  sources: readonly T[],
  access: Pick<ClassificationOps, 'isAccessible'>,
): T[] {
  return sources.filter((source) => !source.classification || access.isAccessible(userClassification, source.classification));
}
