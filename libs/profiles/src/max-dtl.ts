/**
 * Caps days-to-live at `submission.max_dtl` when one is set (> 0): a ttl of 0 (never expire) becomes the
 * maximum, as in Assemblyline's submit and ingest APIs.
 */
export function enforceMaxDtl(ttl: number, maxDtl: number): number {
  if (maxDtl <= 0) return ttl;
  return ttl ? Math.min(ttl, maxDtl) : maxDtl;
}
