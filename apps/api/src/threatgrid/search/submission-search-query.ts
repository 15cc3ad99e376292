import { TgError } from '../http/tg-envelope';
import { checksumOf } from '../samples/checksum';
import { observableInQuery } from '../samples/observable';
import type { SampleMatch } from '../samples/sample-match';

const SHA256 = /^[0-9a-f]{64}$/i;
// `analysis.threat_score:` is how Threat Grid's advanced search (`advanced=true`) names it.
const SCORE = /^(?:analysis\.threat_score|threat_score|score):\s*(>=|<=|>|<|=)?\s*(\d{1,3})$/i;
const FILENAME = /^filename:\s*(.+)$/i;
// Any other field of Threat Grid's advanced search (`analysis.metadata.submitted_file.type:exe`…).
const ADVANCED_FIELD = /^(analysis\.[\w.]+)\s*:/i;
const AND = /\s*&&\s*/;
const MAX_Q = 256;

/**
 * Every condition a `q` sets: its terms joined with `&&` (Threat Grid's advanced search), all of which must
 * hold; empty without q. A field of the advanced search Hopper cannot search is a 400 naming it, never a
 * search for that text in file names (which would answer "nothing found" to a question it did not ask).
 */
export function submissionSearches(q: string | undefined): SampleMatch[] {
  const text = checkedQ(q);
  if (!text) return [];
  return text.split(AND).filter(Boolean).map((term) => {
    const field = ADVANCED_FIELD.exec(term)?.[1];
    if (field && !SCORE.test(term)) {
      throw new TgError(
        `The search term ${field} is not supported by this server: q takes a sha256, md5 or sha1, an IP, domain or URL, filename:<text>, analysis.threat_score:<comparison>, or several of them joined with &&.`,
        400,
      );
    }
    return submissionSearch(term)!;
  });
}

/**
 * What a `q` searches: an md5 or sha1 of the submitted file (looked up in the files), an IP, domain or URL
 * (looked up in the results' tags; see observableInQuery for the shapes), else what submissionSearchFilter
 * makes of it. Null without q. `advanced=true` changes nothing: the same forms are read either way.
 */
export function submissionSearch(q: string | undefined): SampleMatch | null {
  const text = checkedQ(q);
  if (!text) return null;
  const checksum = checksumOf(text);
  if (checksum && checksum.algorithm !== 'sha256') return { checksum };
  if (!SCORE.test(text) && !FILENAME.test(text)) {
    const observable = observableInQuery(text);
    if (observable) return { observable };
  }
  return { filter: submissionSearchFilter(text) };
}

function checkedQ(q: string | undefined): string | undefined {
  const text = q?.trim();
  if (text && text.length > MAX_Q) throw new TgError(`q may have at most ${MAX_Q} characters.`, 400);
  return text || undefined;
}

/**
 * The MongoDB filter of a simple `q`: a sha256 (exact), `score:>=70` / `threat_score:<30` /
 * `analysis.threat_score:100` (Threat Grid's 0-100 threat score, which is Hopper's max_score / 10), or a file
 * name fragment (`filename:invoice`, or any other text), case-insensitive.
 */
export function submissionSearchFilter(q: string | undefined): Record<string, unknown> {
  const text = checkedQ(q);
  if (!text) return {};
  if (SHA256.test(text)) return { 'files.sha256': text.toLowerCase() };
  const score = SCORE.exec(text);
  if (score) return { max_score: scoreRange(score[1] ?? '>=', Number(score[2])) };
  const fragment = FILENAME.exec(text)?.[1] ?? text;
  return { 'files.name': { $regex: escapeRegex(fragment), $options: 'i' } };
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The max_score range of a comparison with a threat score t. t stands for max_score in [10t - 5, 10t + 5)
 * (it is rounded), and 0 and 100 take everything below and above.
 */
function scoreRange(operator: string, threat: number): Record<string, number> {
  if (threat > 100) throw new TgError('A threat score is from 0 to 100.', 400);
  const low = threat * 10 - 5;
  const high = threat * 10 + 5;
  switch (operator) {
    case '>':
      return { $gte: high };
    case '<=':
      return { $lt: high };
    case '<':
      return { $lt: low };
    case '=':
      return { ...(threat > 0 ? { $gte: low } : {}), ...(threat < 100 ? { $lt: high } : {}) };
    default:
      return { $gte: low };
  }
}
