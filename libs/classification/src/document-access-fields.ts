import type { AccessControlParts } from './access-control';
import type { ClassificationEngine } from './classification-engine';

/**
 * The fields to store on a classified document beside its classification, so list and search queries
 * can filter with `mongoAccessFilter` in the database. Items get their auto-select groups.
 */
export function accessControlFieldsFor(engine: ClassificationEngine, classification: string): AccessControlParts {
  return engine.accessControlParts(classification, { userClassification: false });
}
