/** Assemblyline role names that Hopper's routes check. */
export const ROLES = [
  'submission_create',
  'submission_view',
  'submission_customize',
  'submission_delete',
  'submission_manage',
  'file_detail',
  'file_download',
  'alert_view',
  'alert_manage',
  'apikey_access',
  'obo_access',
  'self_manage',
  'administration',
  // Hopper's: an external analysis service's account (fetch its tasks' files, post their results).
  'external_service',
] as const;
export type Role = (typeof ROLES)[number];

/** Roles each user type brings (Assemblyline's types; `custom` users have only their own roles). */
const TYPE_ROLES: Record<string, readonly Role[]> = {
  admin: ROLES,
  user: [
    'submission_create', 'submission_view', 'submission_customize', 'submission_delete', 'file_detail',
    'file_download', 'alert_view', 'alert_manage', 'apikey_access', 'obo_access', 'self_manage',
  ],
  submitter: ['submission_create', 'submission_view', 'file_detail', 'apikey_access', 'self_manage'],
  viewer: ['submission_view', 'file_detail', 'alert_view', 'apikey_access', 'self_manage'],
  custom: [],
};

export const USER_TYPES = Object.keys(TYPE_ROLES);

/** The roles a user holds: those of its types plus those granted directly, without duplicates. */
export function effectiveRoles(types: readonly string[], roles: readonly string[]): string[] {
  return [...new Set([...types.flatMap((type) => TYPE_ROLES[type] ?? []), ...roles])].sort();
}
