import { MAX_SECTION_BODY_LENGTH, MAX_TAG_VALUE_LENGTH, type ResultTag, type ServiceResultInput } from '../../contract/service-result';
import type { ExtractionRun } from './extraction-run';
import { EXTRACT_HEURISTICS } from './heuristics';

type SectionInput = NonNullable<ServiceResultInput['sections']>[number];

/** Room kept under the schema's body limit for the closing "… and N more" line. */
const BODY_BUDGET = MAX_SECTION_BODY_LENGTH - 1024;
/** Names tagged at most: a section holds 10,000 tags. */
const MAX_NAME_TAGS = 5000;

const count = (value: number): string => value.toLocaleString('en-US');
const plural = (n: number, one: string, many: string): string => `${count(n)} ${n === 1 ? one : many}`;

/** The result of an Extract call: what was extracted, then each kind of trouble in its own section. */
export function extractReport(run: ExtractionRun): ServiceResultInput {
  const sections: SectionInput[] = [];
  if (run.extracted.length > 0) sections.push(extractedSection(run));
  if (run.passwords.used.length > 0) sections.push(passwordSection(run.passwords.used));
  if (run.lockedEntries.length > 0) sections.push(lockedSection(run));
  if (run.limitHits.length > 0) {
    sections.push({
      title: 'Archive limits reached',
      body: lines(run.limitHits.map((hit) => hit.message)),
      body_format: 'TEXT',
      heuristic: EXTRACT_HEURISTICS.limitsReached,
    });
  }
  if (run.readProblems.length > 0) {
    sections.push({
      title: 'Archive could not be read',
      body: lines(run.readProblems.map(({ entry, message }) => (entry === null ? message : `${entry}: ${message}`))),
      body_format: 'TEXT',
      heuristic: EXTRACT_HEURISTICS.unreadable,
    });
  }
  if (sections.length === 0) {
    const empties = run.emptySkipped > 0 ? ` (${plural(run.emptySkipped, 'empty file', 'empty files')} skipped)` : '';
    sections.push({ title: 'No files extracted', body: `The archive holds no non-empty regular files${empties}.`, body_format: 'TEXT' });
  }
  return { sections, tags: [] };
}

function extractedSection(run: ExtractionRun): SectionInput {
  const total = run.extracted.reduce((sum, file) => sum + file.size, 0);
  const empties = run.emptySkipped > 0 ? `, ${plural(run.emptySkipped, 'empty file', 'empty files')} skipped` : '';
  const header = `${plural(run.extracted.length, 'file', 'files')} extracted from the ${run.format} archive (${plural(total, 'byte', 'bytes')})${empties}`;
  const names = [...new Set(run.extracted.map((file) => file.name))];
  const tags: ResultTag[] = names.slice(0, MAX_NAME_TAGS).map((value) => ({ type: 'file.name.extracted', value }));
  return {
    title: 'Extracted files',
    body: lines([header, ...run.extracted.map((file) => `${file.name}: ${plural(file.size, 'byte', 'bytes')}`)]),
    body_format: 'TEXT',
    heuristic: EXTRACT_HEURISTICS.extracted,
    tags,
  };
}

function passwordSection(used: readonly string[]): SectionInput {
  const label = used.length === 1 ? 'password' : 'passwords';
  return {
    title: 'Archive password found',
    body: lines([`Encrypted content was opened with the ${label}:`, ...used]),
    body_format: 'TEXT',
    tags: used.filter((value) => value.length <= MAX_TAG_VALUE_LENGTH).map((value) => ({ type: 'info.password', value })),
  };
}

function lockedSection(run: ExtractionRun): SectionInput {
  const tried = run.passwords.candidates.length;
  return {
    title: 'Password protected archive',
    body: lines([
      `No known password worked (${plural(tried, 'password', 'passwords')} tried); ` +
        `${plural(run.lockedEntries.length, 'encrypted entry was', 'encrypted entries were')} not extracted:`,
      ...run.lockedEntries,
    ]),
    body_format: 'TEXT',
    heuristic: EXTRACT_HEURISTICS.passwordProtected,
  };
}

/** Lines joined, cut short (with a count of what was left out) before the schema's body limit. */
function lines(all: readonly string[]): string {
  const kept: string[] = [];
  let length = 0;
  for (const line of all) {
    if (length + line.length + 1 > BODY_BUDGET) {
      kept.push(`… and ${count(all.length - kept.length)} more`);
      break;
    }
    kept.push(line);
    length += line.length + 1;
  }
  return kept.join('\n');
}
