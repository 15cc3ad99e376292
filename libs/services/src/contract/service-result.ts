import { z } from 'zod';

/**
 * The one result schema every service answers with, in process or through the API (Assemblyline's Result:
 * sections with heuristics, and tags by Assemblyline tag name). The dispatcher adds the extracted and
 * supplementary files it stored; a service's score is the sum of its heuristics.
 */

/** Assemblyline's tag names: lower-case dotted paths such as `network.static.ip` or `av.virus_name`. */
const TAG_TYPE = /^[a-z0-9_]+(\.[a-z0-9_]+)+$/;

export const MAX_TAG_VALUE_LENGTH = 4096;
export const MAX_SECTION_BODY_LENGTH = 256 * 1024;

export const tagSchema = z.object({
  type: z.string().regex(TAG_TYPE, 'must be an Assemblyline tag name such as network.static.ip'),
  value: z.string().min(1).max(MAX_TAG_VALUE_LENGTH),
}).strict();

export const heuristicSchema = z.object({
  heur_id: z.string().min(1).max(64),
  name: z.string().min(1).max(256),
  score: z.number().int().min(-1_000_000).max(1_000_000),
  attack_ids: z.array(z.string().min(1).max(32)).max(64).default([]),
}).strict();

export const BODY_FORMATS = ['TEXT', 'KEY_VALUE', 'JSON', 'ORDERED_KEY_VALUE', 'TABLE', 'URL', 'MEMORY_DUMP'] as const;

export const sectionSchema = z.object({
  title: z.string().min(1).max(1024),
  body: z.string().max(MAX_SECTION_BODY_LENGTH).nullable().default(null),
  body_format: z.enum(BODY_FORMATS).default('TEXT'),
  heuristic: heuristicSchema.nullable().default(null),
  tags: z.array(tagSchema).max(10_000).default([]),
  /** Nesting level of the section in the result's outline (0 = top). */
  depth: z.number().int().min(0).max(16).default(0),
}).strict();

export const serviceResultBodySchema = z.object({
  sections: z.array(sectionSchema).max(1_000).default([]),
  /** Tags of the whole file (a section's own tags are added to these). */
  tags: z.array(tagSchema).max(50_000).default([]),
}).strict();

export type ResultTag = z.infer<typeof tagSchema>;
export type Heuristic = z.infer<typeof heuristicSchema>;
export type ResultSection = z.infer<typeof sectionSchema>;
/** What a service returns (defaults filled in). */
export type ServiceResultBody = z.infer<typeof serviceResultBodySchema>;
/** What a service may write: optional fields left out. */
export type ServiceResultInput = z.input<typeof serviceResultBodySchema>;

export class InvalidServiceResultError extends Error {
  constructor(readonly service: string, readonly problems: string[]) {
    super(`${service} returned an invalid result: ${problems.join('; ')}`);
    this.name = 'InvalidServiceResultError';
  }
}

/** Validates what a service returned; the message names each problem by its path. */
export function parseServiceResult(service: string, input: unknown): ServiceResultBody {
  const parsed = serviceResultBodySchema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 10).map((issue) => `${issue.path.join('.') || '(result)'}: ${issue.message}`);
  throw new InvalidServiceResultError(service, problems);
}

/** The service's score: the sum of its sections' heuristics (Assemblyline). */
export function resultScore(body: ServiceResultBody): number {
  return body.sections.reduce((sum, section) => sum + (section.heuristic?.score ?? 0), 0);
}

/** Every tag of the result, the file's and the sections', once each, in first-seen order. */
export function resultTags(body: ServiceResultBody): ResultTag[] {
  const seen = new Set<string>();
  const tags: ResultTag[] = [];
  for (const tag of [...body.tags, ...body.sections.flatMap((section) => section.tags)]) {
    const key = `${tag.type}\u0000${tag.value}`;
    if (seen.has(key)) continue;
    seen.add(key);
    tags.push(tag);
  }
  return tags;
}
