import { Inject, Injectable, Logger } from '@nestjs/common';
import { HOPPER_CONFIG, HopperConfig } from '@hopper/config';
import { AnalysisService, builtinServices, parseServiceManifest, ServiceManifest } from '@hopper/services';

/** Extra in-process services (tests, embedders) added to the built-in ones. */
export const EXTRA_SERVICES = Symbol('EXTRA_SERVICES');

/**
 * Every service the dispatcher knows: the built-in services the configuration enables, extra in-process
 * services, and external services declared by manifest. Names are unique; a clash stops the start-up.
 */
@Injectable()
export class ServiceCatalog {
  readonly manifests: ServiceManifest[];
  private readonly running = new Map<string, AnalysisService>();
  private readonly names = new Set<string>();

  constructor(@Inject(HOPPER_CONFIG) config: HopperConfig, @Inject(EXTRA_SERVICES) extra: AnalysisService[]) {
    for (const service of [...builtinServices(config.services.builtin), ...extra]) {
      this.register(service.manifest.name);
      this.running.set(service.manifest.name, { manifest: parseServiceManifest(service.manifest), execute: (context) => service.execute(context) });
    }
    const external = config.services.external.map((manifest) => parseServiceManifest({ ...manifest, is_external: true }));
    for (const manifest of external) this.register(manifest.name);
    this.manifests = [...[...this.running.values()].map((service) => service.manifest), ...external];
    const sandbox = dynamicServiceProblem(config.threatgrid.dynamic_service, this.manifests);
    if (sandbox) new Logger(ServiceCatalog.name).warn(sandbox);
  }

  /** The in-process service of that name (the dispatcher only asks for names its manifests list). */
  inProcess(name: string): AnalysisService {
    const service = this.running.get(name);
    if (!service) throw new Error(`${name} is not an in-process service`);
    return service;
  }

  private register(name: string): void {
    if (this.names.has(name)) throw new Error(`Two services are named ${name}: service names must be unique`);
    this.names.add(name);
  }
}

/**
 * Why threatgrid.dynamic_service cannot run, or null when it can. Threat Grid samples select it; without it
 * they are analysed statically only, and each carries a SERVICE DOWN error saying so.
 */
export function dynamicServiceProblem(name: string, manifests: readonly ServiceManifest[]): string | null {
  const manifest = manifests.find((candidate) => candidate.name === name);
  if (manifest?.enabled) return null;
  const what = manifest ? 'is disabled' : 'is not a registered service (declare it in services.external)';
  return `threatgrid.dynamic_service "${name}" ${what}: Threat Grid samples will not run in a sandbox, and each will report that as an error`;
}
