import type { ResultRecord } from '@hopper/datastore';

/** Assemblyline's heuristic levels, from the score of the section that raised a tag. */
export type HeuristicLevel = 'safe' | 'info' | 'suspicious' | 'malicious';

export interface Verdicts {
  suspicious: number;
  malicious: number;
}

export function heuristicLevel(score: number, verdicts: Verdicts): HeuristicLevel {
  if (score < 0) return 'safe';
  if (score >= verdicts.malicious) return 'malicious';
  if (score >= verdicts.suspicious) return 'suspicious';
  return 'info';
}

/** `[value, level, safelisted, classification]`, Assemblyline's summary entry for one tag. */
export type TagEntry = [string, HeuristicLevel, boolean, string];

/**
 * Tags of `results` grouped as Assemblyline's submission summary groups them: by summary type (the
 * `submission.tag_types` lists: attribution, behavior, ioc), then tag type, each value once at its highest
 * level (the score of the section that carried it; file-level tags count as info). Also the heuristics raised,
 * by level.
 */
export function summarize(results: readonly ResultRecord[], tagTypes: Record<string, readonly string[]>, verdicts: Verdicts) {
  const levelOrder: HeuristicLevel[] = ['safe', 'info', 'suspicious', 'malicious'];
  const seen = new Map<string, { type: string; value: string; level: HeuristicLevel; classification: string }>();
  const heuristics: Record<HeuristicLevel, { heur_id: string; name: string }[]> = { safe: [], info: [], suspicious: [], malicious: [] };
  const note = (type: string, value: string, level: HeuristicLevel, classification: string) => {
    const key = `${type}\u0000${value}`;
    const known = seen.get(key);
    if (!known || levelOrder.indexOf(level) > levelOrder.indexOf(known.level)) seen.set(key, { type, value, level, classification });
  };
  for (const result of results) {
    for (const tag of result.tags) note(tag.type, tag.value, 'info', result.classification);
    for (const section of result.result.sections as { heuristic?: { heur_id: string; name: string; score: number } | null; tags?: { type: string; value: string }[] }[]) {
      if (!section.heuristic) continue;
      const level = heuristicLevel(section.heuristic.score, verdicts);
      if (!heuristics[level].some((known) => known.heur_id === section.heuristic!.heur_id)) {
        heuristics[level].push({ heur_id: section.heuristic.heur_id, name: section.heuristic.name });
      }
      for (const tag of section.tags ?? []) note(tag.type, tag.value, level, result.classification);
    }
  }
  const tags: Record<string, Record<string, TagEntry[]>> = {};
  for (const [summaryType, types] of Object.entries(tagTypes)) {
    tags[summaryType] = {};
    for (const { type, value, level, classification } of seen.values()) {
      if (!types.includes(type)) continue;
      (tags[summaryType][type] ??= []).push([value, level, false, classification]);
    }
  }
  return { tags, heuristics };
}
