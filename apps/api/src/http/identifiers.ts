// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Longest identifier looked up. Hopper's ids are 22 (sid, ingest_id, alert_id) or 32 (Threat Grid sample)
 * characters and a sha256 64; user names are short. Anything longer cannot name a record.
 */
export const MAX_IDENTIFIER_LENGTH = 256;

/**
 * Why `value` cannot be the identifier `field` (a sid, sha256, user name, alert or ingest id…), or null. No
 * identifier holds a control character: a NUL would reach the datastore, which refuses it (a 500), and the
 * others name nothing. Checked before any query, here only: routes do it through IdentifierPipe, the login
 * and the API-key headers through AuthService.
 */
export function identifierError(field: string, value: string): string | null {
  if (CONTROL_CHARACTERS.test(value)) return `${field} must not contain control characters`;
  if (value.length > MAX_IDENTIFIER_LENGTH) return `${field} must be at most ${MAX_IDENTIFIER_LENGTH} characters`;
  return null;
}

/**
 * Route path and query parameters that name a record, by the name the route gives them, with the name the
 * caller knows them by (the Assemblyline or Threat Grid field). Every route that takes one of these names
 * gets it checked by IdentifierPipe before its handler runs.
 */
export const IDENTIFIER_PARAMETERS: Readonly<Record<string, string>> = {
  sid: 'sid',
  copy_sid: 'copy_sid',
  ui_sid: 'ui_sid',
  sha256: 'sha256',
  alert_id: 'alert_id',
  ingestId: 'ingest_id',
  user: 'user',
  username: 'username',
  // Threat Grid: a sample id, and the user name of GET /api/v3/users/<login>/rate-limit.
  id: 'id',
  login: 'login',
};
