import { ArgumentMetadata, BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { IDENTIFIER_PARAMETERS, identifierError } from './identifiers';

/**
 * Checks every route path and query parameter that names a record (IDENTIFIER_PARAMETERS) before the handler
 * runs: `@Param('sid')`, `@Query('copy_sid')`, or a whole `@Query()` object holding one. A refusal is a 400
 * naming the field, in the route's own envelope (the global exception filter). Global, so no route can
 * forget it.
 */
@Injectable()
export class IdentifierPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type !== 'param' && metadata.type !== 'query') return value;
    if (metadata.data !== undefined) checkParameter(metadata.data, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [name, one] of Object.entries(value)) checkParameter(name, one);
    }
    return value;
  }
}

function checkParameter(name: string, value: unknown): void {
  const field = Object.hasOwn(IDENTIFIER_PARAMETERS, name) ? IDENTIFIER_PARAMETERS[name] : undefined;
  if (field === undefined) return;
  // A repeated query parameter arrives as a list; every value is checked, whichever the route reads.
  for (const one of Array.isArray(value) ? value : [value]) {
    if (typeof one !== 'string') continue;
    const error = identifierError(field, one);
    if (error) throw new BadRequestException(error);
  }
}
