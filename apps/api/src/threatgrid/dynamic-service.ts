import type { HopperConfig } from '@hopper/config';
import { builtinServices, parseServiceManifest } from '@hopper/services';

/**
 * Why threatgrid.dynamic_service cannot run, read from the configuration the dispatchers share (the built-in
 * services it enables and the external services it declares), or null when it can. Threat Grid samples select
 * that service; without it they are analysed statically only, and each carries a SERVICE DOWN error saying so.
 * The dispatcher checks the same against the services it actually runs.
 */
export function dynamicServiceProblem(config: Pick<HopperConfig, 'services' | 'threatgrid'>): string | null {
  const name = config.threatgrid.dynamic_service;
  const manifests = [
    ...builtinServices(config.services.builtin).map((service) => service.manifest),
    ...config.services.external.map((manifest) => parseServiceManifest({ ...manifest, is_external: true })),
  ];
  const manifest = manifests.find((candidate) => candidate.name === name);
  if (manifest?.enabled) return null;
  const what = manifest ? 'is disabled' : 'is not a registered service (declare it in services.external)';
  return `threatgrid.dynamic_service "${name}" ${what}: Threat Grid samples will not run in a sandbox, and each will report that as an error`;
}
