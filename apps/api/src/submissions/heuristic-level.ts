/** Assemblyline's heuristic levels (`h_type`), lowest first. */
export const HEURISTIC_LEVELS = ['safe', 'info', 'suspicious', 'malicious'] as const;
export type HeuristicLevel = (typeof HEURISTIC_LEVELS)[number];

/** `submission.verdicts`: the lowest score of each level. */
export interface Verdicts {
  info: number;
  suspicious: number;
  malicious: number;
}

/** The level of a heuristic's score, as Assemblyline's summaries rank it (below `info` is safe). */
export function heuristicLevel(score: number, verdicts: Verdicts): HeuristicLevel {
  if (score >= verdicts.malicious) return 'malicious';
  if (score >= verdicts.suspicious) return 'suspicious';
  if (score >= verdicts.info) return 'info';
  return 'safe';
}

/** The level of a section: its heuristic's, or info when it has none. */
export function sectionLevel(section: { heuristic: { score: number } | null }, verdicts: Verdicts): HeuristicLevel {
  return section.heuristic ? heuristicLevel(section.heuristic.score, verdicts) : 'info';
}

/** Sections highest heuristic score first (no heuristic counts 0), as Assemblyline walks them; stable. */
export function byHeuristicScore<S extends { heuristic: { score: number } | null }>(sections: readonly S[]): S[] {
  return [...sections].sort((a, b) => (b.heuristic?.score ?? 0) - (a.heuristic?.score ?? 0));
}
