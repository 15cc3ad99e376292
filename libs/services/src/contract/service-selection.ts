import { SERVICE_STAGES, ServiceManifest } from './service-manifest';

/** The services a submission asked for: names or categories, minus exclusions (names or categories). */
export interface SelectionRequest {
  selected: readonly string[];
  excluded: readonly string[];
}

const matches = (names: readonly string[], manifest: ServiceManifest): boolean =>
  names.includes(manifest.name) || names.includes(manifest.category);

/** The enabled services a submission selects, whatever the file: in stage order, then by name. */
export function selectedServices(manifests: readonly ServiceManifest[], request: SelectionRequest): ServiceManifest[] {
  return manifests
    .filter((manifest) => manifest.enabled && matches(request.selected, manifest) && !matches(request.excluded, manifest))
    .sort((a, b) => SERVICE_STAGES.indexOf(a.stage) - SERVICE_STAGES.indexOf(b.stage) || a.name.localeCompare(b.name));
}

const compiled = new Map<string, RegExp>();
function anchored(source: string): RegExp {
  let pattern = compiled.get(source);
  if (!pattern) {
    // Python's re.match: anchored at the start only.
    pattern = new RegExp(`^(?:${source})`);
    compiled.set(source, pattern);
  }
  return pattern;
}

/** Whether an Assemblyline type pattern matches a file type (from the start, like Python's re.match). */
export function typeMatches(pattern: string, fileType: string): boolean {
  return anchored(pattern).test(fileType);
}

/** Whether the service takes files of this Assemblyline type (accepts matches, rejects does not). */
export function acceptsFileType(manifest: ServiceManifest, fileType: string): boolean {
  return anchored(manifest.accepts).test(fileType) && !anchored(manifest.rejects).test(fileType);
}

/** The services to run on one file, grouped by stage in stage order (each group runs before the next). */
export function servicesForFile(selected: readonly ServiceManifest[], fileType: string): ServiceManifest[][] {
  const stages: ServiceManifest[][] = [];
  let current: ServiceManifest[] = [];
  let stage: string | null = null;
  for (const manifest of selected) {
    if (!acceptsFileType(manifest, fileType)) continue;
    if (stage !== null && manifest.stage !== stage) {
      stages.push(current);
      current = [];
    }
    stage = manifest.stage;
    current.push(manifest);
  }
  if (current.length > 0) stages.push(current);
  return stages;
}
