/**
 * Assemblyline scores are unbounded sums of heuristic scores (1000 and up reads as malicious); Threat Grid's
 * threat score and indicator severity are integers from 0 to 100. One tenth of the score, rounded (halves up)
 * and clamped, maps Assemblyline's malicious line onto Threat Grid's top: 1000+ → 100, 500 → 50, below 0 → 0.
 */
function tenthClamped(score: number): number {
  if (Number.isNaN(score)) return 0;
  // Math.max also turns the -0 that Math.round gives for -0.5…-0 into 0.
  return Math.min(100, Math.max(0, Math.round(score / 10)));
}

/** Threat Grid's `threat.threat_score` from a submission's `max_score`. */
export function threatScore(maxScore: number): number {
  return tenthClamped(maxScore);
}

/** Threat Grid's indicator `severity` from one heuristic's score (same scale as the threat score). */
export function indicatorSeverity(heuristicScore: number): number {
  return tenthClamped(heuristicScore);
}
