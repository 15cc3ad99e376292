import type { AnalysisObservables, ThreatGridAnalysis } from '../analysis';

/**
 * Threat Grid's `annotations`: its `network` map keyed by IP address, plus Hopper's observables (ips, domains,
 * urls, emails, hashes). Hopper looks nothing up (no ASN, country or reverse DNS), so each address's
 * annotation is empty rather than guessed: clients that iterate `network` still find every address.
 */
export interface AnalysisAnnotations extends AnalysisObservables {
  network: Record<string, Record<string, never>>;
}

function annotationsOf(analysis: ThreatGridAnalysis): AnalysisAnnotations {
  const network: Record<string, Record<string, never>> = {};
  for (const ip of analysis.observables.ips) network[ip] = {};
  return { ...analysis.observables, network };
}

/**
 * The parts of analysis.json that Threat Grid also serves on their own, as `data` of
 * `GET /api/v2/samples/<id>/analysis/<part>`: lists and maps under `items`, the metadata bare (as Threat
 * Grid does). Each is cut from the rendered analysis, so the two can never disagree.
 */
export const ANALYSIS_PARTS = {
  iocs: (analysis: ThreatGridAnalysis) => ({ items: analysis.iocs }),
  artifacts: (analysis: ThreatGridAnalysis) => ({ items: analysis.artifacts }),
  metadata: (analysis: ThreatGridAnalysis) => analysis.metadata,
  processes: (analysis: ThreatGridAnalysis) => ({ items: analysis.dynamic.processes }),
  network_streams: (analysis: ThreatGridAnalysis) => ({ items: analysis.network }),
  annotations: (analysis: ThreatGridAnalysis) => ({ items: annotationsOf(analysis) }),
} as const;

export type AnalysisPart = keyof typeof ANALYSIS_PARTS;

export function analysisPart<P extends AnalysisPart>(analysis: ThreatGridAnalysis, part: P): ReturnType<(typeof ANALYSIS_PARTS)[P]> {
  return ANALYSIS_PARTS[part](analysis) as ReturnType<(typeof ANALYSIS_PARTS)[P]>;
}

// Own keys only: a key such as `__proto__` or `constructor` must not reach Object.prototype.
const own = <T>(map: Record<string, T>, key: string): T | null => (Object.hasOwn(map, key) ? map[key] : null);

/**
 * One entry of a part, as `…/analysis/<part>/<key>` names it: an indicator by its `ioc` name, an artifact or
 * a network stream by its key in the map ("1", "2"…); null when there is none.
 */
export const ANALYSIS_ENTRIES = {
  iocs: (analysis: ThreatGridAnalysis, key: string) => analysis.iocs.find((indicator) => indicator.ioc === key) ?? null,
  artifacts: (analysis: ThreatGridAnalysis, key: string) => own(analysis.artifacts, key),
  network_streams: (analysis: ThreatGridAnalysis, key: string) => own(analysis.network, key),
} as const;

export type AnalysisEntryPart = keyof typeof ANALYSIS_ENTRIES;

/** What a missing entry is called in its 404 ("Sample X has no indicator Y."). */
export const ENTRY_NOUNS: Readonly<Record<AnalysisEntryPart, string>> = {
  iocs: 'indicator',
  artifacts: 'artifact',
  network_streams: 'network stream',
};

export function analysisEntry<P extends AnalysisEntryPart>(analysis: ThreatGridAnalysis, part: P, key: string): ReturnType<(typeof ANALYSIS_ENTRIES)[P]> {
  return ANALYSIS_ENTRIES[part](analysis, key) as ReturnType<(typeof ANALYSIS_ENTRIES)[P]>;
}
