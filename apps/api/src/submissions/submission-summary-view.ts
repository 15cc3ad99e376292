import type { ResultRecord } from '@hopper/datastore';
import type { Clearance } from './clearance';
import { byHeuristicScore, HEURISTIC_LEVELS, HeuristicLevel, sectionLevel, Verdicts } from './heuristic-level';
import { resultView, SectionView } from './result-view';

/** Assemblyline's summary types, in the order it looks a tag type up in `submission.tag_types`. */
const SUMMARY_TYPES = ['behavior', 'attribution', 'ioc'] as const;
type SummaryType = (typeof SUMMARY_TYPES)[number];

/** The order Assemblyline's datastore lists heuristic levels in (`get_summary_from_keys`). */
const HEURISTIC_ORDER: readonly HeuristicLevel[] = ['info', 'safe', 'suspicious', 'malicious'];

/** `[value, level, safelisted, classification]`: one tag of a summary. */
export type TagEntry = [string, HeuristicLevel, boolean, string];

export interface SummaryInput {
  /** The submission's results found, whatever the caller may see (the clearance is applied here). */
  results: readonly ResultRecord[];
  /** The classification of each file with results, by sha256 (a file no longer stored is absent). */
  fileClassifications: ReadonlyMap<string, string>;
  clearance: Clearance;
  verdicts: Verdicts;
  tagTypes: Readonly<Record<SummaryType, readonly string[]>>;
  /** The submission still runs, or results or files it names are gone. */
  partial: boolean;
}

/** A finding of one result (its key), as Assemblyline's `get_summary_from_keys` lists them. */
interface Finding {
  key: string;
  level: HeuristicLevel;
}

/**
 * Assemblyline's submission summary (`get_summary` in the UI over the datastore's `get_summary_from_keys`),
 * for one caller. Each result's sections are read highest heuristic score first; a section the caller may
 * not see (the higher of its file's and its own classification) is left out and makes `filtered` true;
 * `classification` is the highest of the sections shown. From the rest: `heuristics` (per level,
 * `[heur_id, name]` pairs), `attack_matrix` (per ATT&CK category, `[attack_id, pattern, level]`), `tags`
 * (per summary type and tag type, `[value, level, safelisted, classification]`, each value at its highest level,
 * classification lowered to the least restrictive seen as the level rises), `map` (each file to its
 * `heuristic__<id>`, `attack_pattern__<id>` and `<tag type>__<value>`, and back), `heuristic_sections` (the
 * distinct sections of each heuristic, as the UI cleans them) and `heuristic_name_map` (name to ids).
 *
 * Hopper's own differences: a section has its result's classification; file-level tags (Hopper results have
 * them besides the sections') count as info; an ATT&CK id has no categories in Hopper, so `attack_matrix`
 * stays empty while `map` still links the file and the technique (Assemblyline links them per category).
 */
export function summaryView(input: SummaryInput) {
  const { clearance, verdicts } = input;
  let classification = clearance.UNRESTRICTED;
  let filtered = false;
  const heuristics = new Map<HeuristicLevel, Array<Finding & { heur_id: string; name: string }>>(HEURISTIC_ORDER.map((level) => [level, []]));
  const attacks: Array<Finding & { attack_id: string; name: string; categories: string[] }> = [];
  const tags: Array<Finding & { type: string; value: string; safelisted: boolean; classification: string }> = [];
  const heuristicSections: Record<string, SectionView[]> = {};
  const heuristicNameMap: Record<string, string[]> = {};
  const done = { heuristics: new Set<string>(), attacks: new Set<string>(), tags: new Set<string>(), sections: new Set<string>() };

  const noteTag = (key: string, type: string, value: string, level: HeuristicLevel, safelisted: boolean, shown: string) => {
    const id = `${type}\u0000${value}\u0000${key}`;
    if (done.tags.has(id)) return;
    done.tags.add(id);
    tags.push({ key, type, value, level, safelisted, classification: shown });
  };

  for (const record of input.results) {
    const key = record._id;
    const view = resultView(record);
    const fileClassification = input.fileClassifications.get(record.sha256);
    for (const section of byHeuristicScore(view.result.sections)) {
      const shown = clearance.max(fileClassification ?? section.classification, section.classification);
      if (!clearance.maySee(shown)) {
        filtered = true;
        continue;
      }
      classification = clearance.max(classification, shown);
      const level = sectionLevel(section, verdicts);
      const heuristic = section.heuristic;
      if (heuristic) {
        const heuristicKey = `${heuristic.heur_id}\u0000${key}`;
        if (!done.heuristics.has(heuristicKey)) {
          done.heuristics.add(heuristicKey);
          heuristics.get(level)!.push({ key, level, heur_id: heuristic.heur_id, name: heuristic.name });
        }
        const names = (heuristicNameMap[heuristic.name] ??= []);
        if (!names.includes(heuristic.heur_id)) names.push(heuristic.heur_id);
        const sectionKey = JSON.stringify([heuristic.heur_id, section.title_text, section.body, level]);
        if (!done.sections.has(sectionKey)) {
          done.sections.add(sectionKey);
          (heuristicSections[heuristic.heur_id] ??= []).push(section);
        }
        for (const attack of heuristic.attack) {
          const attackKey = `${attack.attack_id}\u0000${key}`;
          if (done.attacks.has(attackKey)) continue;
          done.attacks.add(attackKey);
          attacks.push({ key, level, attack_id: attack.attack_id, name: attack.pattern, categories: attack.categories });
        }
      }
      for (const tag of section.tags) noteTag(key, tag.type, tag.value, level, tag.safelisted, shown);
    }
    // Hopper's file-level tags (its results have them besides the sections'): those no section carried, as info.
    if (record.tags.length > 0) {
      const shown = clearance.max(fileClassification ?? record.classification, record.classification);
      if (!clearance.maySee(shown)) filtered = true;
      else {
        classification = clearance.max(classification, shown);
        for (const tag of record.tags) noteTag(key, tag.type, tag.value, 'info', false, shown);
      }
    }
  }

  const map: Record<string, string[]> = {};
  const link = (sha256: string, finding: string) => {
    for (const [from, to] of [
      [finding, sha256],
      [sha256, finding],
    ]) {
      const list = (map[from] ??= []);
      if (!list.includes(to)) list.push(to);
    }
  };

  const attackMatrix: Record<string, [string, string, HeuristicLevel][]> = {};
  for (const attack of attacks) {
    link(attack.key.slice(0, 64), `attack_pattern__${attack.attack_id}`);
    for (const category of attack.categories) {
      const entries = (attackMatrix[category] ??= []);
      if (!entries.some(([id, name, level]) => id === attack.attack_id && name === attack.name && level === attack.level)) {
        entries.push([attack.attack_id, attack.name, attack.level]);
      }
    }
  }

  const heuristicsByLevel: Partial<Record<HeuristicLevel, [string, string][]>> = {};
  for (const level of HEURISTIC_ORDER) {
    for (const heuristic of heuristics.get(level)!) {
      link(heuristic.key.slice(0, 64), `heuristic__${heuristic.heur_id}`);
      const entries = (heuristicsByLevel[level] ??= []);
      if (!entries.some(([id, name]) => id === heuristic.heur_id && name === heuristic.name)) entries.push([heuristic.heur_id, heuristic.name]);
    }
  }

  const byType: Record<SummaryType, Record<string, Map<string, [HeuristicLevel, boolean, string]>>> = { behavior: {}, attribution: {}, ioc: {} };
  for (const tag of tags) {
    const summaryType = SUMMARY_TYPES.find((candidate) => input.tagTypes[candidate].includes(tag.type));
    if (tag.value === '' || !summaryType) continue;
    link(tag.key.slice(0, 64), `${tag.type}__${tag.value}`);
    const values = (byType[summaryType][tag.type] ??= new Map());
    const current = values.get(tag.value);
    if (!current) values.set(tag.value, [tag.level, tag.safelisted, tag.classification]);
    else if (HEURISTIC_LEVELS.indexOf(current[0]) < HEURISTIC_LEVELS.indexOf(tag.level)) {
      // Without its context, a tag is shown at the least restrictive classification it was seen at.
      values.set(tag.value, [tag.level, tag.safelisted, clearance.min(current[2], tag.classification)]);
    }
  }
  const tagSummary = Object.fromEntries(
    SUMMARY_TYPES.map((summaryType) => [
      summaryType,
      Object.fromEntries(Object.entries(byType[summaryType]).map(([type, values]) => [type, [...values].map(([value, entry]): TagEntry => [value, ...entry])])),
    ]),
  ) as Record<SummaryType, Record<string, TagEntry[]>>;

  return {
    map,
    tags: tagSummary,
    attack_matrix: attackMatrix,
    heuristics: heuristicsByLevel,
    classification,
    filtered,
    partial: input.partial,
    heuristic_sections: heuristicSections,
    heuristic_name_map: heuristicNameMap,
  };
}
