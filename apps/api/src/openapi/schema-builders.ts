import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export type { SchemaObject };

/** A schema of one value (no `required`), usable for a query parameter as for a field. */
export type ScalarSchema = Pick<SchemaObject, 'type' | 'format' | 'pattern' | 'enum' | 'description'>;

/**
 * Small builders for the response schemas: every field an answer always carries is `required`, with its type,
 * so a renamed, dropped or retyped field fails test/openapi.e2e-spec.ts. Objects stay open to extra fields
 * unless `closed` (Assemblyline's documents are open-ended; clients ignore what they do not know).
 */
export const str: ScalarSchema = { type: 'string' };
export const int: ScalarSchema = { type: 'integer' };
export const num: ScalarSchema = { type: 'number' };
export const bool: ScalarSchema = { type: 'boolean' };
/** Any JSON value (no `type`: OpenAPI 3.0 has no `null` type, and `nullable` needs one). */
export const anyValue: SchemaObject = {};
export const dateTime: ScalarSchema = { type: 'string', format: 'date-time' };
export const sha256: ScalarSchema = { type: 'string', pattern: '^[0-9a-f]{64}$' };

export const nullable = (schema: SchemaObject): SchemaObject => ({ ...schema, nullable: true });
export const arrayOf = (items: SchemaObject): SchemaObject => ({ type: 'array', items });
export const mapOf = (values: SchemaObject = anyValue): SchemaObject => ({ type: 'object', additionalProperties: values });
export const oneOfValues = (...values: string[]): ScalarSchema => ({ type: 'string', enum: values });

/** An object whose `properties` are all required but those in `optional`. */
export function object(properties: Record<string, SchemaObject>, options: { optional?: string[]; closed?: boolean; description?: string } = {}): SchemaObject {
  const optional = new Set(options.optional ?? []);
  const required = Object.keys(properties).filter((name) => !optional.has(name));
  return {
    type: 'object',
    ...(options.description ? { description: options.description } : {}),
    // OpenAPI 3.0 wants a non-empty list, or none.
    ...(required.length ? { required } : {}),
    properties,
    additionalProperties: !options.closed,
  };
}

/** A reference to a schema of `components.schemas` (registered by openapi-document.ts). */
export const ref = (name: string): SchemaObject => ({ $ref: `#/components/schemas/${name}` }) as SchemaObject;
