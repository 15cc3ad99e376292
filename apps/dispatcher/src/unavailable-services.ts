import { SERVICE_CATEGORIES, SelectionRequest, ServiceManifest } from '@hopper/services';

/** A service a submission names that cannot run: none is registered under that name, or it is disabled. */
export interface UnavailableService {
  name: string;
  reason: 'not_registered' | 'disabled';
}

/**
 * The names a submission selects explicitly that no enabled service answers to. A category (Assemblyline's,
 * or one a registered service declares) is not a service: it selects whatever services of it exist, so a
 * category with none is no error, as in Assemblyline. An excluded name is not asked for.
 *
 * Assemblyline drops an unknown name silently; Hopper reports it, because a selected sandbox that does not
 * exist would otherwise read as a clean sandbox run.
 */
export function unavailableServices(manifests: readonly ServiceManifest[], request: SelectionRequest): UnavailableService[] {
  const byName = new Map(manifests.map((manifest) => [manifest.name, manifest]));
  const categories = new Set<string>([...SERVICE_CATEGORIES, ...manifests.map((manifest) => manifest.category)]);
  const unavailable: UnavailableService[] = [];
  for (const name of new Set(request.selected)) {
    if (categories.has(name) || request.excluded.includes(name)) continue;
    const manifest = byName.get(name);
    if (!manifest) unavailable.push({ name, reason: 'not_registered' });
    else if (!manifest.enabled) unavailable.push({ name, reason: 'disabled' });
  }
  return unavailable;
}

/** What the submitter reads in the error of a selected service that did not run. */
export function unavailableServiceMessage(service: UnavailableService): string {
  return service.reason === 'disabled'
    ? `The selected service ${service.name} is disabled: it did not run, and its analysis is missing from this submission`
    : `The selected service ${service.name} is not registered (no built-in or external service has that name): it did not run, and its analysis is missing from this submission`;
}
