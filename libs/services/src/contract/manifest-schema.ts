import { z } from 'zod';
import { DEFAULT_ACCEPTS, DEFAULT_REJECTS, SERVICE_STAGES, ServiceManifest } from './service-manifest';

const regex = z.string().refine((source) => {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}, 'must be a valid regular expression');

const parameterSchema = z
  .object({
    name: z.string().min(1).max(128),
    type: z.enum(['bool', 'int', 'str', 'list']),
    default: z.union([z.boolean(), z.number(), z.string()]),
    list: z.array(z.string()).optional(),
    hide: z.boolean().optional(),
  })
  .strict()
  .superRefine((parameter, context) => {
    if (!parameterValueFits(parameter.type, parameter.default, parameter.list)) {
      context.addIssue({ code: 'custom', path: ['default'], message: `does not fit type ${parameter.type}` });
    }
  });

/** A manifest as written in configuration or code; defaults are Assemblyline's. */
export const serviceManifestSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]{0,63}$/, 'must be a letter then letters, digits, - or _ (at most 64)'),
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,63}$/, 'must be a version such as 4.5.0'),
    category: z.string().min(1).max(64),
    stage: z.enum(SERVICE_STAGES).default('CORE'),
    description: z.string().max(4096).default(''),
    accepts: regex.default(DEFAULT_ACCEPTS),
    rejects: regex.default(DEFAULT_REJECTS),
    timeout_seconds: z.number().int().min(1).max(86_400).default(60),
    is_external: z.boolean().default(false),
    enabled: z.boolean().default(true),
    parameters: z.array(parameterSchema).default([]),
    produces_extracted: z.boolean().default(false),
    produces_supplementary: z.boolean().default(false),
  })
  .strict()
  .superRefine((manifest, context) => {
    const names = manifest.parameters.map((parameter) => parameter.name);
    const repeated = names.find((name, index) => names.indexOf(name) !== index);
    if (repeated) context.addIssue({ code: 'custom', path: ['parameters'], message: `declares ${repeated} twice` });
  });

export function parseServiceManifest(input: unknown): ServiceManifest {
  const parsed = serviceManifestSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const name = typeof (input as { name?: unknown })?.name === 'string' ? (input as { name: string }).name : '(unnamed)';
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(manifest)'}: ${issue.message}`);
  throw new Error(`Invalid service manifest ${name}: ${problems.join('; ')}`);
}

/** Whether `value` is a valid value of a parameter of this type (a `list` value must be one of its choices). */
export function parameterValueFits(type: string, value: unknown, list?: readonly string[]): boolean {
  switch (type) {
    case 'bool':
      return typeof value === 'boolean';
    case 'int':
      return typeof value === 'number' && Number.isInteger(value);
    case 'str':
      return typeof value === 'string';
    case 'list':
      return typeof value === 'string' && (!list || list.length === 0 || list.includes(value));
    default:
      return false;
  }
}
