import { TgError } from '../http/tg-envelope';
import type { TgFields } from '../http/tg-fields';

/**
 * 400 when the request gives one of `names` (parameters Threat Grid has and Hopper does not): answering
 * without it would list samples that have nothing to do with what the client asked for.
 */
export function refuseUnsupported(fields: TgFields, names: readonly string[]): void {
  const given = names.filter((name) => fields.given(name) !== undefined);
  if (!given.length) return;
  const problems = given.map((name) => ({ code: 400, message: `The parameter ${name} is not supported by this server.` }));
  throw new TgError(problems[0].message, 400, problems);
}
