import { ApiPropertyOptional } from '@nestjs/swagger';
import { ValidateBy, ValidationArguments } from 'class-validator';
import { MAX_OFFSET, MAX_ROWS } from './paging';
import { queryInteger } from './query-value';

/**
 * A query integer from `min` to `max`, absent allowed, refused with queryInteger's own message (the one the
 * list routes answered before this class checked them: clients and tests read it).
 */
function IsQueryInteger(min: number, max: number): PropertyDecorator {
  const check = (args: Pick<ValidationArguments, 'property' | 'value'>) => queryInteger(args.property, args.value, { fallback: min, min, max });
  return ValidateBy({
    name: 'isQueryInteger',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) => !('error' in check({ property: args?.property ?? '', value })),
      defaultMessage: (args?: ValidationArguments) => {
        const result = args ? check(args) : { error: 'must be an integer' };
        return 'error' in result ? result.error : '';
      },
    },
  });
}

/**
 * `offset` and `rows` of Assemblyline's list routes (alert/list, submission/list/user): the global
 * ValidationPipe checks them with this class, and the OpenAPI document describes them from it. parsePaging
 * then applies the defaults.
 */
export class PagingQuery {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_OFFSET, description: 'The first row (default 0)' })
  @IsQueryInteger(0, MAX_OFFSET)
  offset?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: MAX_ROWS, description: "How many rows (default: the route's)" })
  @IsQueryInteger(0, MAX_ROWS)
  rows?: string;
}
