import { createHash } from 'node:crypto';
import { parameterValueFits } from './manifest-schema';
import type { ServiceManifest } from './service-manifest';

/**
 * The service's parameters for one submission: each declared parameter's default, replaced by the
 * submission's `service_spec[<service>][<name>]` when that value fits the parameter's type. Undeclared names
 * and misfits are ignored, as Assemblyline's task builder takes only what the manifest declares.
 */
export function resolveServiceParams(manifest: ServiceManifest, spec: Record<string, unknown> | undefined): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const parameter of manifest.parameters) {
    const requested = spec?.[parameter.name];
    params[parameter.name] =
      requested !== undefined && parameterValueFits(parameter.type, requested, parameter.list) ? requested : parameter.default;
  }
  return params;
}

/** JSON with object keys sorted, so equal values always give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** What, beside the file, changes a service's result: its parameters, deep scan, and the temporary data. */
export interface ResultInputs {
  params: Record<string, unknown>;
  deep_scan: boolean;
  temp_data: Record<string, unknown>;
}

/**
 * The result key: file, service, version and a digest of the inputs (Assemblyline's
 * `<sha256>.<service>.v<version>.c<config hash>`). Equal keys are interchangeable results, so the key is
 * both the results cache and what keeps a re-run submission from storing a result twice.
 */
export function resultKey(sha256: string, manifest: Pick<ServiceManifest, 'name' | 'version'>, inputs: ResultInputs): string {
  const digest = createHash('sha256').update(canonicalJson(inputs)).digest('hex').slice(0, 16);
  return `${sha256}.${manifest.name}.v${manifest.version}.c${digest}`;
}
