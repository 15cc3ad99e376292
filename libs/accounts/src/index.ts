export { hashApiKey, hashPassword, newApiKeySecret, parseApiKey, verifyApiKey, verifyPassword } from './credentials';
export { effectiveRoles, ROLES, USER_TYPES } from './roles';
export type { Role } from './roles';
export { InvalidAccountError, newAccount, newApiKey } from './new-account';
export type { AccountRequest } from './new-account';
