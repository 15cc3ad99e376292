/**
 * The result files Threat Grid serves raw per sample (`GET /api/v2/samples/<id>/<name>`), by the name a
 * service gives its supplementary file, with the Content-Type each is served with. analysis.json is not
 * here: Hopper renders it rather than serving a file.
 */
export const ARTIFACT_TYPES: Readonly<Record<string, string>> = {
  'processes.json': 'application/json',
  'timeline.json': 'application/json',
  'warnings.json': 'application/json',
  'registry.json': 'application/json',
  'network.pcap': 'application/vnd.tcpdump.pcap',
  'video.webm': 'video/webm',
  'report.html': 'text/html',
  'screenshot.png': 'image/png',
  'network-artifacts.zip': 'application/zip',
  'extracted-artifacts.zip': 'application/zip',
};

/** Other spellings clients ask for: `viedo.webm` is how Threat Grid's own integration guide writes it. */
const ARTIFACT_ALIASES: Readonly<Record<string, string>> = {
  'viedo.webm': 'video.webm',
};

/**
 * The route paths, one per name: a `:name` parameter would also catch `analysis.json`, `state`, `threat`…
 * depending on registration order, and turn unknown names into something other than "No such API".
 */
export const ARTIFACT_ROUTES: readonly string[] = [...Object.keys(ARTIFACT_TYPES), ...Object.keys(ARTIFACT_ALIASES)].map((name) => `:id/${name}`);

/** The artifact a request path names (its last segment; a trailing slash is ignored), aliases resolved; null if none. */
export function artifactNameOf(path: string): string | null {
  const name = path.replace(/\/+$/, '').split('/').pop() ?? '';
  const resolved = Object.hasOwn(ARTIFACT_ALIASES, name) ? ARTIFACT_ALIASES[name] : name;
  return Object.hasOwn(ARTIFACT_TYPES, resolved) ? resolved : null;
}
