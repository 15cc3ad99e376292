import type { Clearance } from './clearance';
import { byHeuristicScore, HeuristicLevel, sectionLevel, Verdicts } from './heuristic-level';
import type { ResultView } from './result-view';
import type { TagEntry } from './submission-summary-view';

/**
 * How a tag seen again is merged: `by-value` (the file of a submission, `get_file_submission_results`: one
 * entry per value, its level raised to malicious or suspicious when either sighting was, else info) or
 * `by-value-and-level` (a file's results, `get_file_results`: one entry per value and level, safelisted when
 * either was, at the least restrictive classification).
 */
export type TagMerge = 'by-value' | 'by-value-and-level';

/**
 * What Assemblyline's file views add to a file's results, walking each result's sections highest heuristic
 * score first: `heuristics` (per level, `[heur_id, name]`, each heuristic once), `attack_matrix` (per
 * category, `[attack_id, pattern, level]`), `signatures` (`[name, level, safe]`) and `tags` (per tag type,
 * `[value, level, safelisted, classification]`). Hopper's techniques have no categories, so the matrix stays
 * empty, and its services report no signatures.
 */
export function fileFindings(results: readonly ResultView[], verdicts: Verdicts, clearance: Pick<Clearance, 'min'>, merge: TagMerge) {
  const heuristics: Partial<Record<HeuristicLevel, [string, string][]>> = {};
  const attackMatrix: Record<string, [string, string, HeuristicLevel][]> = {};
  const signatures: [string, HeuristicLevel, boolean][] = [];
  const tags: Record<string, TagEntry[]> = {};
  const seenHeuristics = new Set<string>();

  for (const result of results) {
    for (const section of byHeuristicScore(result.result.sections)) {
      const level = sectionLevel(section, verdicts);
      const heuristic = section.heuristic;
      if (heuristic) {
        if (!seenHeuristics.has(heuristic.heur_id)) {
          seenHeuristics.add(heuristic.heur_id);
          (heuristics[level] ??= []).push([heuristic.heur_id, heuristic.name]);
        }
        for (const attack of heuristic.attack) {
          for (const category of attack.categories) {
            const entries = (attackMatrix[category] ??= []);
            if (!entries.some(([id, pattern, at]) => id === attack.attack_id && pattern === attack.pattern && at === level)) {
              entries.push([attack.attack_id, attack.pattern, level]);
            }
          }
        }
        for (const signature of heuristic.signature) {
          if (!signatures.some(([name, at, safe]) => name === signature.name && at === level && safe === signature.safe)) {
            signatures.push([signature.name, level, signature.safe]);
          }
        }
      }
      for (const tag of section.tags) {
        const entries = (tags[tag.type] ??= []);
        const entry: TagEntry = [tag.value, level, tag.safelisted, section.classification];
        const index = entries.findIndex(([value, at]) => value === tag.value && (merge === 'by-value' || at === level));
        if (index < 0) entries.push(entry);
        else if (merge === 'by-value') entries[index] = [tag.value, mergedLevel(entries[index][1], level), tag.safelisted, section.classification];
        else entries[index] = [tag.value, level, tag.safelisted || entries[index][2], clearance.min(section.classification, entries[index][3])];
      }
    }
  }
  return { tags, attack_matrix: attackMatrix, heuristics, signatures };
}

/** Assemblyline's rule for a tag seen twice in a submission's file: malicious, else suspicious, else info. */
function mergedLevel(a: HeuristicLevel, b: HeuristicLevel): HeuristicLevel {
  if (a === 'malicious' || b === 'malicious') return 'malicious';
  if (a === 'suspicious' || b === 'suspicious') return 'suspicious';
  return 'info';
}
