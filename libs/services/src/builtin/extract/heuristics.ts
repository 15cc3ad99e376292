import type { Heuristic } from '../../contract/service-result';

type HeuristicInput = Omit<Heuristic, 'attack_ids'>;

/** The Extract service's heuristics; only limits and unknown passwords score (bombs and locked payloads). */
export const EXTRACT_HEURISTICS = {
  extracted: { heur_id: 'EXTRACT.1', name: 'Files extracted', score: 0 },
  passwordProtected: { heur_id: 'EXTRACT.2', name: 'Password protected archive', score: 100 },
  limitsReached: { heur_id: 'EXTRACT.3', name: 'Archive limits reached', score: 500 },
  unreadable: { heur_id: 'EXTRACT.4', name: 'Archive could not be read', score: 10 },
} as const satisfies Record<string, HeuristicInput>;
