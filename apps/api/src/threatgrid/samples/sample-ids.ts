import { TgError } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';

export const MAX_STATE_IDS = 100;

/**
 * The `ids` of a batch state request: a JSON list as the value (`ids=["a", "b"]`, pythreatgrid and Cisco's
 * scripts), comma-separated, or repeated; from the form, the query or a JSON body's `ids` list.
 */
export function sampleIds(fields: TgFields, jsonBody: unknown): string[] {
  const raw: unknown[] = [...fields.all('ids')];
  const bodyIds = (jsonBody as { ids?: unknown } | null | undefined)?.ids;
  if (Array.isArray(bodyIds)) raw.push(...bodyIds);
  else if (bodyIds !== undefined) raw.push(bodyIds);
  const ids: string[] = [];
  for (const value of raw) {
    if (typeof value !== 'string') throw new TgError('ids must be sample ids (strings).', 400);
    const text = value.trim();
    if (text.startsWith('[')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new TgError('ids must be a JSON list of sample ids, or ids separated by commas.', 400);
      }
      if (!Array.isArray(parsed) || parsed.some((id) => typeof id !== 'string')) throw new TgError('ids must be a JSON list of sample ids (strings).', 400);
      ids.push(...(parsed as string[]));
    } else ids.push(...text.split(','));
  }
  const unique = [...new Set(ids.map((id) => id.trim()).filter(Boolean))];
  if (unique.length === 0) throw new TgError('The parameter ids is required. ', 400);
  if (unique.length > MAX_STATE_IDS) throw new TgError(`At most ${MAX_STATE_IDS} ids per request (got ${unique.length}).`, 400);
  return unique;
}
