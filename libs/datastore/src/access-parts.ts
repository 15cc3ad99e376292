import type { AccessControlParts } from '@hopper/classification';

/**
 * What a repository stores beside a document's classification so that lists filter by clearance in the
 * database: the classification engine's access-control parts of that classification. Injected (built from
 * the configured engine by DatastoreModule) so the repositories need no engine of their own.
 */
export type AccessPartsOf = (classification: string) => AccessControlParts;
