import { applyDecorators } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiQuery, ApiResponse } from '@nestjs/swagger';
import { AL_ERROR, alEnvelope, TG_ERROR, tgEnvelope } from './envelopes';
import { ScalarSchema, SchemaObject } from './schema-builders';

/** What each documented error status means, across the API families. */
const ERROR_MEANINGS: Record<number, string> = {
  400: 'Bad input: the message names the field',
  401: 'Not authenticated (no or a wrong API key, session or password)',
  403: 'Authenticated, but the role, clearance or owner does not allow it',
  404: 'Not found, or not visible to the caller',
  409: 'Conflicts with the current state (e.g. a task past its deadline)',
  412: 'A required argument is missing (flow.js sends them all)',
  413: 'Too large',
  415: 'Unsupported Content-Type',
  429: 'Over a quota or rate limit (Retry-After says when to try again)',
  503: 'A dependency (MongoDB, Redis or the filestore) is down: retry after Retry-After seconds',
};

const meaning = (status: number) => ERROR_MEANINGS[status] ?? `HTTP ${status}`;

/** A successful answer of an Assemblyline route: `schema` in `api_response` of the envelope. */
export const ApiAlResponse = (schema: SchemaObject, options: { status?: number; description?: string } = {}) =>
  ApiResponse({ status: options.status ?? 200, description: options.description ?? 'Success, in Assemblyline\'s envelope', schema: alEnvelope(schema) });

/** The error statuses an Assemblyline route answers, each in the shared `AlError` envelope. */
export const ApiAlErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: meaning(status), schema: AL_ERROR })));

/** A successful answer of a Threat Grid route: `schema` in `data` of `{api_version, id, data}`. */
export const ApiTgResponse = (schema: SchemaObject, options: { status?: number; description?: string } = {}) =>
  ApiResponse({ status: options.status ?? 200, description: options.description ?? 'Success, in Threat Grid\'s envelope', schema: tgEnvelope(schema) });

/** The error statuses a Threat Grid route answers, each in the shared `TgError` envelope. */
export const ApiTgErrors = (...statuses: number[]) =>
  applyDecorators(...statuses.map((status) => ApiResponse({ status, description: meaning(status), schema: TG_ERROR })));

/**
 * A success that is not enveloped (a download, a stream, a metrics page): its media types, as a binary or text
 * body (any JSON for a JSON file a service produced).
 * Given per response, not with ApiProduces, which would also claim the route's JSON errors were of that type.
 */
export const ApiRawResponse = (contentTypes: string | readonly string[], description: string, format: 'binary' | 'text' = 'binary') =>
  ApiResponse({
    status: 200,
    description,
    content: Object.fromEntries([...new Set(([] as string[]).concat(contentTypes))].map((type) => [type, { schema: /json/.test(type) ? {} : format === 'binary' ? { type: 'string', format: 'binary' } : { type: 'string' } }])),
  });

/** One part of a streamed multipart body. */
export interface MultipartPart {
  kind: 'file' | 'json' | 'text';
  description: string;
  required?: boolean;
}

/**
 * The request body of a route that streams its body itself (multipart uploads read by busboy, not by a
 * DTO): its parts documented here, by hand, in one place; `json`, when given, the JSON body the route also
 * takes instead (submit and ingest of a sha256, URL or file-source input).
 */
export function ApiStreamedBody(parts: Record<string, MultipartPart>, json?: SchemaObject, formUrlEncoded?: SchemaObject) {
  const required = Object.keys(parts).filter((name) => parts[name].required);
  const multipart: SchemaObject = {
    type: 'object',
    ...(required.length ? { required } : {}),
    properties: Object.fromEntries(
      Object.entries(parts).map(([name, part]) => [name, { type: 'string', description: part.description, ...(part.kind === 'file' ? { format: 'binary' } : {}) }]),
    ),
  };
  const content: Record<string, { schema: SchemaObject }> = {};
  if (Object.keys(parts).length) content['multipart/form-data'] = { schema: multipart };
  if (json) content['application/json'] = { schema: json };
  if (formUrlEncoded) content['application/x-www-form-urlencoded'] = { schema: formUrlEncoded };
  return ApiOperation({ requestBody: { required: true, content } } as Parameters<typeof ApiOperation>[0]);
}

/** A JSON request body read by the route's own code (kept as is: its messages are part of the contract). */
export const ApiJsonBody = (schema: SchemaObject, description?: string) =>
  ApiOperation({ requestBody: { required: true, description, content: { 'application/json': { schema } } } } as Parameters<typeof ApiOperation>[0]);

/** Query parameters in one call: name → schema (all optional unless `required`). */
export const ApiQueries = (queries: Record<string, ScalarSchema & { minimum?: number; maximum?: number; required?: boolean }>) =>
  applyDecorators(
    ...Object.entries(queries).map(([name, { required, description, ...schema }]) => ApiQuery({ name, required: required ?? false, description, schema })),
  );

/** Path parameters in one call: name → description (strings). */
export const ApiPaths = (params: Record<string, string>) =>
  applyDecorators(...Object.entries(params).map(([name, description]) => ApiParam({ name, description, type: String })));
