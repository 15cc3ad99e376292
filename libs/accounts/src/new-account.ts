import type { ApiKeyRecord, NewUser } from '@hopper/datastore';
import { hashApiKey, hashPassword, newApiKeySecret } from './credentials';

export interface AccountRequest {
  uname: string;
  name?: string;
  email?: string | null;
  type?: string[];
  roles?: string[];
  groups?: string[];
  /** Threat Grid-style organization; null or absent = the configured default. */
  organization?: string | null;
  classification: string;
  /** Null or absent: the user logs in by API key only. */
  password?: string | null;
}

const UNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

export class InvalidAccountError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAccountError';
  }
}

/** The record of a new user, its password hashed; refuses names that could not be used in a login. */
export async function newAccount(request: AccountRequest): Promise<NewUser> {
  if (!UNAME.test(request.uname)) {
    throw new InvalidAccountError(`Invalid user name "${request.uname}": letters, digits and . _ @ - only, at most 64`);
  }
  return {
    uname: request.uname,
    name: request.name ?? request.uname,
    email: request.email ?? null,
    type: request.type ?? ['user'],
    roles: request.roles ?? [],
    groups: request.groups ?? [],
    organization: request.organization ?? null,
    classification: request.classification,
    is_active: true,
    password: request.password ? await hashPassword(request.password) : null,
    submission_quota: null,
    submission_async_quota: null,
    submission_daily_quota: null,
    submission_settings: {},
  };
}

/** A new API key: the record to store and the `name:secret` to show its owner, once. */
export function newApiKey(
  name: string,
  options: { roles?: string[]; expiry?: Date | null; now?: Date } = {},
): { record: ApiKeyRecord; apikey: string } {
  if (!KEY_NAME.test(name)) throw new InvalidAccountError(`Invalid key name "${name}": letters, digits, _ and - only, at most 32`);
  const secret = newApiKeySecret();
  return {
    record: { ...hashApiKey(secret), roles: options.roles ?? [], created: options.now ?? new Date(), expiry_ts: options.expiry ?? null },
    apikey: `${name}:${secret}`,
  };
}
