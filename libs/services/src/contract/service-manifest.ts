/**
 * What an analysis service declares about itself (Assemblyline's service manifest, the fields Hopper uses).
 * The dispatcher picks services by these fields; the API lists them for selection checks.
 */

/** Assemblyline's service categories (a selection may name a category instead of a service). */
export const SERVICE_CATEGORIES = [
  'Antivirus',
  'Dynamic Analysis',
  'External',
  'Extraction',
  'Filtering',
  'Internet Connected',
  'Networking',
  'Static Analysis',
] as const;

/** Assemblyline's default stages, in the order a file goes through them. */
export const SERVICE_STAGES = ['FILTER', 'EXTRACT', 'CORE', 'SECONDARY', 'POST', 'REVIEW'] as const;
export type ServiceStage = (typeof SERVICE_STAGES)[number];

export type ServiceParameterType = 'bool' | 'int' | 'str' | 'list';

/** A parameter a submission may set through `service_spec[<service>][<name>]`. */
export interface ServiceParameter {
  name: string;
  type: ServiceParameterType;
  default: boolean | number | string;
  /** For `list`: the values allowed (Assemblyline's list parameter is one string chosen among them). */
  list?: string[];
  /** Hidden from the UI, still settable. */
  hide?: boolean;
}

export interface ServiceManifest {
  name: string;
  /** Part of every result key: a new version never reuses an older version's cached results. */
  version: string;
  category: string;
  stage: ServiceStage;
  description: string;
  /** Regular expression matched against the start of the Assemblyline file type (`re.match`). */
  accepts: string;
  /** Regular expression; a type it matches is not sent even when `accepts` matches. */
  rejects: string;
  timeout_seconds: number;
  /** True: the service takes tasks from its own queue and posts results back through the API. */
  is_external: boolean;
  enabled: boolean;
  parameters: ServiceParameter[];
  produces_extracted: boolean;
  produces_supplementary: boolean;
}

/** Assemblyline's defaults for `accepts` and `rejects`. */
export const DEFAULT_ACCEPTS = '.*';
export const DEFAULT_REJECTS = 'empty|metadata/.*';
