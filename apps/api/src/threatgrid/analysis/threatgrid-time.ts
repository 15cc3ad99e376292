/** Threat Grid writes times as ISO 8601 in UTC without milliseconds: `2020-02-05T21:57:37Z`. */
export function threatGridTime(value: Date | string): string {
  return new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Whole seconds from `start` to `end`; 0 while `end` is unknown (and never negative). */
export function runSeconds(start: Date | string, end: Date | string | null): number {
  if (end === null) return 0;
  return Math.max(0, Math.round((new Date(end).getTime() - new Date(start).getTime()) / 1000));
}
