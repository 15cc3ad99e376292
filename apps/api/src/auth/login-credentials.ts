/** Body of POST /api/v4/auth/login/: a user with an API key (`name:secret`) or a password (the key wins). */
export type LoginCredentials = { user: string; apikey: string } | { user: string; password: string };

/**
 * The credentials of a login body, as Assemblyline reads them (`(user and password) or (user and apikey)`):
 * only non-empty strings count, anything else (null, a number, a list, an object) is as if absent. Null
 * when a user and one secret are not both there: "Not enough information to proceed with authentication".
 */
export function loginCredentials(body: unknown): LoginCredentials | null {
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const text = (name: string): string | undefined => {
    const value = Object.hasOwn(fields, name) ? fields[name] : undefined;
    return typeof value === 'string' && value !== '' ? value : undefined;
  };
  const user = text('user');
  const apikey = text('apikey');
  const password = text('password');
  if (user === undefined) return null;
  if (apikey !== undefined) return { user, apikey };
  if (password !== undefined) return { user, password };
  return null;
}
