import type { Request } from 'express';

/**
 * The parameters of a Threat Grid request: form fields (multipart or urlencoded) merged over the query string,
 * since clients put options in either (pythreatgrid sends `vm` in the query, the file in the form).
 */
export class TgFields {
  constructor(
    private readonly form: Map<string, string[]>,
    private readonly query: Record<string, unknown>,
  ) {}

  static of(request: Request & { formBody?: Map<string, string[]> }, form?: Map<string, string[]>): TgFields {
    return new TgFields(form ?? request.formBody ?? new Map(), request.query as Record<string, unknown>);
  }

  /** Every value given for `name`: the form's, then the query's. */
  all(name: string): string[] {
    const fromQuery = this.query[name];
    const queryValues = (Array.isArray(fromQuery) ? fromQuery : [fromQuery]).filter((value): value is string => typeof value === 'string');
    return [...(this.form.get(name) ?? []), ...queryValues];
  }

  /** The first value given for `name` (the form's over the query's), undefined when absent. */
  first(name: string): string | undefined {
    return this.all(name)[0];
  }

  /**
   * A Threat Grid boolean: `True`, `true`, `1` or `yes` in any case (Python clients send `str(True)`); anything
   * else, or nothing, is false.
   */
  flag(name: string): boolean {
    return /^(true|1|yes)$/i.test(this.first(name)?.trim() ?? '');
  }

  /** The first value given for `name`, trimmed; undefined when absent or blank (a blank value means "not given"). */
  given(name: string): string | undefined {
    const value = this.first(name)?.trim();
    return value ? value : undefined;
  }
}
