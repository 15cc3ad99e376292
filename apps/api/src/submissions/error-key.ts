import type { ServiceErrorRecord, ServiceErrorType } from '@hopper/datastore';

/**
 * Assemblyline's error type codes (`ERROR_TYPES` in assemblyline-base `odm/models/error.py`), which end its
 * error keys as `.e<code>`: clients read the code back (`al_result_to_text` names 10, 11, 12, 20 and 21).
 */
export const ERROR_TYPE_CODES: Readonly<Record<ServiceErrorType | 'MAX RETRY REACHED' | 'SERVICE BUSY', number>> = {
  UNKNOWN: 0,
  EXCEPTION: 1,
  'MAX DEPTH REACHED': 10,
  'MAX FILES REACHED': 11,
  'MAX RETRY REACHED': 12,
  'SERVICE BUSY': 20,
  'SERVICE DOWN': 21,
  'TASK PRE-EMPTED': 30,
};

/** A stored key's Assemblyline ending: `.e` followed by the type code. */
const AL_ENDING = /\.e\d+$/;

/**
 * The key an error is shown under: Hopper stores it ending in `.e` (the key is chosen before the error's type
 * is known: the dispatcher waits on that key for an external service's answer, and a re-run overwrites it
 * whatever its type), so the type code Assemblyline puts there is added when the error is shown.
 */
export function shownErrorKey(record: Pick<ServiceErrorRecord, '_id' | 'type'>): string {
  return record._id.endsWith('.e') ? `${record._id}${ERROR_TYPE_CODES[record.type] ?? 0}` : record._id;
}

/** The stored key an error key names: a shown key loses its type code (`.e21` → `.e`); a stored key stays. */
export function storedErrorKey(key: string): string {
  return AL_ENDING.test(key) ? key.replace(AL_ENDING, '.e') : key;
}
