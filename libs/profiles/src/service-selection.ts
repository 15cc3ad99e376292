import { ExcludedServiceSelected } from './profile-errors';

/** What Hopper knows of an analysis service, to match selections made by name or by category. */
export interface ServiceInfo {
  name: string;
  category: string;
  enabled?: boolean;
}

/** Adds a profile's exclusions to the submission's: a limited user cannot lift them (Assemblyline). */
export function withProfileExclusions(excluded: readonly string[], profileExcluded: readonly string[]): string[] {
  return [...new Set([...excluded, ...profileExcluded])];
}

/**
 * Refuses a selection that asks for a service the exclusions remove, naming the first such enabled service
 * (Assemblyline's check over its service list; a service matches by its name or its category).
 */
export function assertNoExcludedSelected(
  selected: readonly string[],
  excluded: readonly string[],
  services: readonly ServiceInfo[],
  profileDisplayName: string,
): void {
  const matches = (names: readonly string[], service: ServiceInfo): boolean =>
    names.includes(service.name) || names.includes(service.category);
  for (const service of services) {
    if (service.enabled === false) continue;
    if (matches(selected, service) && matches(excluded, service)) {
      throw new ExcludedServiceSelected(service.name, service.category, profileDisplayName);
    }
  }
}
