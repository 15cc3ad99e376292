import type { ResultRecord } from '@hopper/datastore';
import { compareCodeUnits as compare } from './code-unit-order';
import { indicatorSeverity } from './threat-score';
import type { Indicator, IndicatorHit } from './threatgrid-analysis';

/**
 * An Assemblyline heuristic is a rule that fired, not a probabilistic guess, so every indicator carries
 * Threat Grid's full confidence; how bad it is lives in `severity` alone.
 */
export const HEURISTIC_CONFIDENCE = 100;

interface RaisedHeuristic {
  heur_id: string;
  name: string;
  score: number;
}

/** Sections are stored as loose documents: read the heuristic only when it has the contract's shape. */
function heuristicOf(section: Record<string, unknown>): RaisedHeuristic | null {
  const heuristic = section.heuristic as Record<string, unknown> | null | undefined;
  if (!heuristic || typeof heuristic !== 'object') return null;
  const { heur_id, name, score } = heuristic;
  if (typeof heur_id !== 'string' || typeof score !== 'number') return null;
  return { heur_id, name: typeof name === 'string' ? name : heur_id, score };
}

/** The contract calls it `title`; Assemblyline's own records call it `title_text`. */
function sectionTitle(section: Record<string, unknown>): string {
  if (typeof section.title === 'string') return section.title;
  if (typeof section.title_text === 'string') return section.title_text;
  return '';
}

interface Gathered {
  name: string;
  score: number;
  categories: Set<string>;
  hits: IndicatorHit[];
}

function byHit(a: IndicatorHit, b: IndicatorHit): number {
  return compare(a.sha256, b.sha256) || compare(a.service, b.service) || compare(a.section_title, b.section_title);
}

/**
 * One indicator per distinct heuristic across every result of every file, most severe first (then by id).
 * A heuristic raised with different scores takes its highest, and the name that came with it. Heuristics
 * whose highest score is below zero (Assemblyline's "safe" evidence, such as a trusted signature) are not
 * behavioral indicators: integrations show the count of iocs as the behaviors found, so they are left out.
 */
export function indicatorsOf(results: readonly ResultRecord[]): Indicator[] {
  const gathered = new Map<string, Gathered>();
  for (const result of results) {
    for (const section of result.result.sections) {
      const heuristic = heuristicOf(section);
      if (!heuristic) continue;
      let entry = gathered.get(heuristic.heur_id);
      if (!entry) {
        entry = { name: heuristic.name, score: heuristic.score, categories: new Set(), hits: [] };
        gathered.set(heuristic.heur_id, entry);
      } else if (heuristic.score > entry.score) {
        entry.score = heuristic.score;
        entry.name = heuristic.name;
      }
      entry.categories.add(result.response.service_category);
      entry.hits.push({ sha256: result.sha256, service: result.response.service_name, section_title: sectionTitle(section) });
    }
  }
  const indicators = [...gathered].filter(([, entry]) => entry.score >= 0).map(([heurId, entry]): Indicator => ({
    ioc: heurId,
    title: entry.name,
    category: [...entry.categories].sort(compare),
    severity: indicatorSeverity(entry.score),
    confidence: HEURISTIC_CONFIDENCE,
    hits: entry.hits.length,
    tags: [],
    data: entry.hits.sort(byHit),
  }));
  return indicators.sort((a, b) => b.severity - a.severity || compare(a.ioc, b.ioc));
}
