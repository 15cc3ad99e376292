import type { SubmissionProfileConfig } from '@hopper/config';
import { isPlainObject, PlainObject } from './params-merge';
import { RestrictedParameterChange } from './profile-errors';

const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Refuses changes to a profile's restricted parameters, as Assemblyline's apply_changes_to_profile does for
 * users without submission_customize: an error, not a silent reset. `changes` is what the user's saved
 * settings and request set differently from the profile's own values. The "submission" entry names
 * submission parameters (services and service_spec are governed elsewhere); every other entry names a
 * service and lists its service_spec parameters. The first offending entry, in configuration order, is
 * reported.
 */
export function assertNoRestrictedChanges(
  profile: Pick<SubmissionProfileConfig, 'display_name' | 'restricted_params'>,
  changes: PlainObject,
): void {
  for (const [paramType, restricted] of Object.entries(profile.restricted_params)) {
    const unique = [...new Set(restricted)];
    if (paramType === 'submission') {
      const changed = unique.filter((name) => name !== 'services' && name !== 'service_spec' && hasOwn(changes, name));
      if (changed.length > 0) throw new RestrictedParameterChange(changed, profile.display_name);
    } else {
      const spec = isPlainObject(changes.service_spec) ? changes.service_spec[paramType] : undefined;
      const changed = isPlainObject(spec) ? unique.filter((name) => hasOwn(spec, name)) : [];
      if (changed.length > 0) throw new RestrictedParameterChange(changed, profile.display_name, paramType);
    }
  }
}
