import type { ServiceResultInput } from '@hopper/services';

/** Extract's sections that report what worked; every other section is something the submitter should hear. */
const NOT_PROBLEMS = new Set(['Extracted files', 'Archive password found']);

/** Characters kept of one problem: a locked or unreadable section can list thousands of entries. */
export const MAX_PROBLEM_LENGTH = 500;

/** The title Extract gives limit hits; `limitNote` is appended to it (e.g. what was left of the limits). */
const LIMITS_TITLE = 'Archive limits reached';

/**
 * One short line per troubled Extract section, `<where>: <title>: <body>`: limits reached, unreadable,
 * password needed, nothing extracted.
 */
export function extractProblems(where: string, result: ServiceResultInput, limitNote = ''): string[] {
  return (result.sections ?? [])
    .filter((section) => !NOT_PROBLEMS.has(section.title))
    .map((section) => {
      const body = oneLine(section.body ?? '');
      const note = section.title === LIMITS_TITLE ? limitNote : '';
      return shorten(`${where}: ${section.title}${body ? `: ${body}` : ''}${note}`);
    });
}

/** The body's lines joined with `; ` (a line's closing colon dropped: it introduced the next lines). */
function oneLine(body: string): string {
  return body
    .split('\n')
    .map((line) => line.trim().replace(/:$/, ''))
    .filter((line) => line.length > 0)
    .join('; ');
}

export function shorten(text: string): string {
  const chars = Array.from(text);
  return chars.length <= MAX_PROBLEM_LENGTH ? text : `${chars.slice(0, MAX_PROBLEM_LENGTH - 1).join('')}…`;
}
