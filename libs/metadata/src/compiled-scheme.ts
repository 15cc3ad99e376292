import { buildFieldCheck } from './field-check-registry';
import { FieldCheck, SchemeProblem } from './field-check';
import { MetadataFieldInput, MetadataSchemeInput } from './metadata-config';

/** A field ready to validate with. `check` is absent when the field declares no type (presence only). */
export interface CompiledField {
  name: string;
  type?: string;
  check?: FieldCheck;
  required: boolean;
  default?: unknown;
  aliases: readonly string[];
}

export type CompiledScheme = readonly CompiledField[];

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

// Assemblyline's model says validator_*, its documentation validation_*; both are read, and a field that
// says both must not contradict itself.
function pick<T>(field: MetadataFieldInput, doc: keyof MetadataFieldInput, code: keyof MetadataFieldInput): T | undefined {
  const a = field[doc] as T | undefined;
  const b = field[code] as T | undefined;
  if (a !== undefined && b !== undefined && !sameJson(a, b)) {
    throw new SchemeProblem(`${doc} and ${code} disagree; give one of them`);
  }
  return a ?? b;
}

function compileField(name: string, field: MetadataFieldInput): CompiledField {
  const type = pick<string>(field, 'validation_type', 'validator_type');
  const params = pick<Record<string, unknown>>(field, 'validation_params', 'validator_params') ?? {};
  if (type === undefined && Object.keys(params).length > 0) throw new SchemeProblem('validation_params given without a validation_type');
  return {
    name,
    type,
    check: type === undefined ? undefined : buildFieldCheck(type, params),
    required: field.required ?? false,
    default: field.default,
    aliases: field.aliases ?? [],
  };
}

/** Compiles a scheme; every problem is added to `problems` prefixed by `where` (its config path). */
export function compileScheme(scheme: MetadataSchemeInput | undefined, where: string, problems: string[]): CompiledScheme {
  const compiled: CompiledField[] = [];
  for (const [name, field] of Object.entries(scheme ?? {})) {
    try {
      compiled.push(compileField(name, field));
    } catch (error) {
      if (!(error instanceof SchemeProblem)) throw error;
      problems.push(`${where}.${name}: ${error.message}`);
    }
  }
  return compiled;
}

/**
 * The ingest scheme of a type: `_default`'s fields, with the type's own fields replacing same-named ones in
 * place and the rest appended (Python's dict.update, as Assemblyline does; unlike Assemblyline, Hopper
 * does not write the result back into `_default`).
 */
export function mergeSchemes(base: CompiledScheme, overlay: CompiledScheme): CompiledScheme {
  const byName = new Map(overlay.map((field) => [field.name, field]));
  const baseNames = new Set(base.map((field) => field.name));
  return [...base.map((field) => byName.get(field.name) ?? field), ...overlay.filter((field) => !baseNames.has(field.name))];
}
