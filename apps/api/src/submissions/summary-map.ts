import type { ResultRecord } from '@hopper/datastore';

interface SectionHeuristic {
  heur_id: string;
  attack_ids?: string[];
}

/**
 * The `map` of Assemblyline's submission summary: each file (sha256) to the heuristics
 * (`heuristic__<id>`), ATT&CK techniques (`attack_pattern__<id>`) and summary tags (`<type>__<value>`, tag types
 * of `submission.tag_types` only) its results raised, and each of those back to the files, each entry once.
 */
export function summaryMap(results: readonly ResultRecord[], tagTypes: Record<string, readonly string[]>): Record<string, string[]> {
  const map: Record<string, string[]> = {};
  const add = (from: string, to: string) => {
    const list = (map[from] ??= []);
    if (!list.includes(to)) list.push(to);
  };
  const link = (sha256: string, key: string) => {
    add(key, sha256);
    add(sha256, key);
  };
  const summaryTypes = new Set(Object.values(tagTypes).flat());
  for (const result of results) {
    for (const section of result.result.sections as { heuristic?: SectionHeuristic | null }[]) {
      if (!section.heuristic) continue;
      for (const attackId of section.heuristic.attack_ids ?? []) link(result.sha256, `attack_pattern__${attackId}`);
      link(result.sha256, `heuristic__${section.heuristic.heur_id}`);
    }
    for (const tag of result.tags) {
      if (tag.value !== '' && summaryTypes.has(tag.type)) link(result.sha256, `${tag.type}__${tag.value}`);
    }
  }
  return map;
}
