import { checkMetadata } from './check-metadata';
import { CompiledScheme, compileScheme, mergeSchemes } from './compiled-scheme';
import { flattenMetadata } from './flatten-metadata';
import { MetadataConfigInput } from './metadata-config';
import { InvalidMetadataScheme } from './metadata-errors';
import { assertSafeMetadata } from './safe-metadata';
import { enforceMetadataLength, OverLengthPolicy } from './metadata-length';
import { FlatMetadata } from './metadata-types';

/** The part of `submission` the validator reads (HopperConfig['submission'] fits it). */
export interface MetadataValidatorConfig {
  metadata: MetadataConfigInput;
  max_metadata_length: number;
}

/** The submission type of an ingest that names none, and the scheme that then applies. */
export const DEFAULT_INGEST_TYPE = 'INGEST';

/**
 * Keys the Ingest API itself adds to the metadata before Assemblyline validates it; a strict ingest scheme
 * tolerates them (otherwise no ingest could pass one).
 */
export const INGEST_SYSTEM_METADATA_KEYS: readonly string[] = ['ingest_id', 'type', 'ts'];

export interface ValidateMetadataOptions {
  /** `submit` validates against `submission.metadata.submit`, `ingest` against `_default` + the type's scheme. */
  endpoint: 'submit' | 'ingest';
  /** The submission's `type` parameter (ingest only); DEFAULT_INGEST_TYPE when absent. */
  type?: string;
  /** The submission will be auto-archived: the `archive` scheme must pass too. */
  autoArchive?: boolean;
  /** Over-long values: `reject` (default) or `strip` (what Assemblyline's ingester does). */
  overLength?: OverLengthPolicy;
  /** Keys strict schemes tolerate; INGEST_SYSTEM_METADATA_KEYS for ingest by default, none for submit. */
  allowExtra?: readonly string[];
}

export interface ValidatedMetadata {
  /** Flattened metadata, aliases renamed, defaults filled. */
  metadata: FlatMetadata;
  /** Keys dropped for being too long (overLength `strip` only). */
  stripped: string[];
}

interface Target {
  scheme: CompiledScheme;
  strict: boolean;
}

/**
 * Validates submission metadata against `submission.metadata`. Build one per configuration (a bad scheme
 * throws InvalidMetadataScheme here, at start-up); `validate` throws InvalidMetadata with Assemblyline's text.
 */
export class MetadataValidator {
  private readonly submit: Target;
  private readonly archive: Target;
  private readonly ingestDefault: CompiledScheme;
  private readonly ingestByType = new Map<string, CompiledScheme>();
  private readonly strictSchemes: ReadonlySet<string>;
  private readonly maxLength: number;

  constructor(config: MetadataValidatorConfig) {
    const problems: string[] = [];
    const metadata = config.metadata;
    this.strictSchemes = new Set(metadata.strict_schemes ?? []);
    this.maxLength = config.max_metadata_length;
    this.submit = { scheme: compileScheme(metadata.submit, 'submit', problems), strict: this.strictSchemes.has('submit') };
    this.archive = { scheme: compileScheme(metadata.archive, 'archive', problems), strict: this.strictSchemes.has('archive') };
    this.ingestDefault = compileScheme(metadata.ingest?._default, 'ingest._default', problems);
    for (const [type, scheme] of Object.entries(metadata.ingest ?? {})) {
      if (type === '_default') continue;
      this.ingestByType.set(type, mergeSchemes(this.ingestDefault, compileScheme(scheme, `ingest.${type}`, problems)));
    }
    if (problems.length > 0) throw new InvalidMetadataScheme(problems);
  }

  /** The scheme and strictness that apply to an ingest of the given type. */
  private ingestTarget(type: string): Target {
    return { scheme: this.ingestByType.get(type) ?? this.ingestDefault, strict: this.strictSchemes.has(type) };
  }

  validate(metadata: unknown, options: ValidateMetadataOptions): ValidatedMetadata {
    const flat = flattenMetadata(metadata);
    assertSafeMetadata(flat);
    const { metadata: sized, stripped } = enforceMetadataLength(flat, this.maxLength, options.overLength ?? 'reject');

    const ingest = options.endpoint === 'ingest';
    const target = ingest ? this.ingestTarget(options.type ?? DEFAULT_INGEST_TYPE) : this.submit;
    const allowExtra = options.allowExtra ?? (ingest ? INGEST_SYSTEM_METADATA_KEYS : []);
    let checked = checkMetadata(sized, target.scheme, { strict: target.strict, allowExtra });
    if (options.autoArchive) {
      checked = checkMetadata(checked, this.archive.scheme, { strict: this.archive.strict, allowExtra });
    }
    return { metadata: checked, stripped };
  }
}
