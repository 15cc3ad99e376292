import { ROLES, USER_TYPES } from '@hopper/accounts';
import type { ClassificationEngine } from '@hopper/classification';
import type { UserRecord } from '@hopper/datastore';

/** The account fields `hopper user edit` sets (Assemblyline's user fields; the quotas are the ones Hopper enforces). */
export type EditableUser = Pick<UserRecord, 'email' | 'name' | 'type' | 'roles' | 'groups' | 'classification' | 'submission_quota' | 'submission_daily_quota'> & {
  organization?: string | null;
  submission_async_quota?: number | null;
};

/** The options as given on the command line (all text: each is checked here, so every problem is reported at once). */
export interface UserEditOptions {
  email?: string;
  name?: string;
  type?: string;
  roles?: string;
  groups?: string;
  organization?: string;
  classification?: string;
  submissionQuota?: string;
  submissionAsyncQuota?: string;
  submissionDailyQuota?: string;
}

/** The options in the order they are checked and reported, with the field each sets. */
export const EDIT_OPTIONS: readonly { option: keyof UserEditOptions; flag: string; field: keyof EditableUser }[] = [
  { option: 'email', flag: '--email', field: 'email' },
  { option: 'name', flag: '--name', field: 'name' },
  { option: 'type', flag: '--type', field: 'type' },
  { option: 'roles', flag: '--roles', field: 'roles' },
  { option: 'groups', flag: '--groups', field: 'groups' },
  { option: 'organization', flag: '--organization', field: 'organization' },
  { option: 'classification', flag: '--classification', field: 'classification' },
  { option: 'submissionQuota', flag: '--submission-quota', field: 'submission_quota' },
  { option: 'submissionAsyncQuota', flag: '--submission-async-quota', field: 'submission_async_quota' },
  { option: 'submissionDailyQuota', flag: '--submission-daily-quota', field: 'submission_daily_quota' },
];

export interface UserEditPlan {
  /** The fields to set, only those whose value changes. */
  changes: Partial<EditableUser>;
  /** One line per change: `<field>: <before> -> <after>`. */
  lines: string[];
  /** One line per refused option; when any, nothing is to be changed. */
  problems: string[];
}

// A deliberately plain check: one @, something on each side, a dot in the domain, no spaces.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ORGANIZATION = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const GROUP = /^[A-Za-z0-9][A-Za-z0-9 _.:-]{0,63}$/;
const QUOTA = /^\d{1,9}$/;
const MAX_NAME = 256;

const quote = (value: string): string => JSON.stringify(value);
const items = (value: string): string[] => value.split(',').map((item) => item.trim()).filter(Boolean);

type Parsed = { value: EditableUser[keyof EditableUser] } | { problem: string };

/** Each option's value as the field stores it, or why it is refused. */
function parse(flag: string, option: keyof UserEditOptions, raw: string, engine: Pick<ClassificationEngine, 'isValid' | 'normalize'>): Parsed {
  switch (option) {
    case 'email':
      if (raw === '') return { value: null };
      return EMAIL.test(raw) ? { value: raw } : { problem: `${flag} ${quote(raw)} is not an e-mail address (use "" to remove it)` };
    case 'name': {
      const name = raw.trim();
      if (!name) return { problem: `${flag} must not be empty` };
      return name.length > MAX_NAME ? { problem: `${flag} may have at most ${MAX_NAME} characters` } : { value: name };
    }
    case 'type': {
      const types = [...new Set(items(raw))];
      if (!types.length) return { problem: `${flag} must name at least one user type` };
      const unknown = types.find((type) => !USER_TYPES.includes(type));
      return unknown ? { problem: `${flag}: unknown user type ${quote(unknown)} (one of ${USER_TYPES.join(', ')})` } : { value: types };
    }
    case 'roles': {
      const roles = [...new Set(items(raw))];
      const unknown = roles.find((role) => !(ROLES as readonly string[]).includes(role));
      return unknown ? { problem: `${flag}: unknown role ${quote(unknown)} (one of ${ROLES.join(', ')})` } : { value: roles };
    }
    case 'groups': {
      const groups = [...new Set(items(raw))];
      const bad = groups.find((group) => !GROUP.test(group));
      return bad ? { problem: `${flag}: invalid group ${quote(bad)} (letters, digits, space and . _ : - only, at most 64)` } : { value: groups };
    }
    case 'organization':
      if (raw === '') return { value: null };
      return ORGANIZATION.test(raw)
        ? { value: raw }
        : { problem: `${flag} ${quote(raw)} is not a valid organization name (letters, digits and . _ @ - only, at most 64; "" for the default)` };
    case 'classification':
      return engine.isValid(raw) ? { value: engine.normalize(raw) } : { problem: `${flag} ${quote(raw)} is not a valid classification` };
    default: {
      // The quotas: 0 is unlimited (Assemblyline's meaning), "default" goes back to ui.default_quotas.
      if (raw === 'default') return { value: null };
      return QUOTA.test(raw) ? { value: Number(raw) } : { problem: `${flag} must be a whole number >= 0 (0 = unlimited) or "default" (got ${quote(raw)})` };
    }
  }
}

/** How a field's value reads in the list of changes. */
function shown(field: keyof EditableUser, value: EditableUser[keyof EditableUser]): string {
  if (Array.isArray(value)) return value.length ? value.join(',') : '(none)';
  if (value === null || value === undefined) return field === 'email' ? '(none)' : '(default)';
  if (typeof value === 'number' && value === 0) return '0 (unlimited)';
  return String(value);
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * What `hopper user edit` does to `current` with `options`: every option checked (all problems at once), and
 * the fields that change with a line saying from what to what. Pure: the caller reads and writes the user.
 */
export function planUserEdit(current: EditableUser, options: UserEditOptions, engine: Pick<ClassificationEngine, 'isValid' | 'normalize'>): UserEditPlan {
  const plan: UserEditPlan = { changes: {}, lines: [], problems: [] };
  for (const { option, flag, field } of EDIT_OPTIONS) {
    const raw = options[option];
    if (raw === undefined) continue;
    const parsed = parse(flag, option, raw, engine);
    if ('problem' in parsed) {
      plan.problems.push(parsed.problem);
      continue;
    }
    if (same(current[field], parsed.value)) continue;
    (plan.changes as Record<string, unknown>)[field] = parsed.value;
    plan.lines.push(`${field}: ${shown(field, current[field])} -> ${shown(field, parsed.value)}`);
  }
  if (plan.problems.length) return { changes: {}, lines: [], problems: plan.problems };
  return plan;
}
