/** The most messages one `get_message_list` call returns. */
export const MAX_PAGE_SIZE = 1000;

/**
 * `page_size` of `get_message_list`. Assemblyline's default (absent, or -1) returns every waiting message;
 * Hopper returns at most `MAX_PAGE_SIZE` per call (call again for the rest), and clamps larger sizes to it.
 * Anything else that is not a positive integer is refused with a message naming the parameter.
 */
export function parsePageSize(raw: unknown): { pageSize: number } | { error: string } {
  if (raw === undefined || raw === '') return { pageSize: MAX_PAGE_SIZE };
  const text = Array.isArray(raw) ? undefined : typeof raw === 'string' ? raw.trim() : undefined;
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) {
    return { error: `page_size must be a positive integer (at most ${MAX_PAGE_SIZE}), or -1 for all; got ${JSON.stringify(raw)}` };
  }
  const value = Number(text);
  if (value === -1) return { pageSize: MAX_PAGE_SIZE };
  if (value < 1) {
    return { error: `page_size must be a positive integer (at most ${MAX_PAGE_SIZE}), or -1 for all; got ${JSON.stringify(raw)}` };
  }
  return { pageSize: Math.min(value, MAX_PAGE_SIZE) };
}
