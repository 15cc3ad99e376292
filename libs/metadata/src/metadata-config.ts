// The shape of `submission.metadata` this library reads. Structural, so the validated HopperConfig section
// fits it, and so does a plain object in tests.

/** One metadata field of a scheme. Both Assemblyline spellings (validator_* / validation_*) are read. */
export interface MetadataFieldInput {
  validation_type?: string;
  validator_type?: string;
  validation_params?: Record<string, unknown>;
  validator_params?: Record<string, unknown>;
  required?: boolean;
  /** Filled in when a required field is missing (as Assemblyline does). */
  default?: unknown;
  /** Other names a submitter may use; the value moves to the field's own name. */
  aliases?: readonly string[];
  /** For the UI only; not enforced (Assemblyline does not enforce them either). */
  suggestions?: readonly string[];
  suggestion_key?: string | null;
}

export type MetadataSchemeInput = Readonly<Record<string, MetadataFieldInput>>;

export interface MetadataConfigInput {
  submit?: MetadataSchemeInput;
  archive?: MetadataSchemeInput;
  /** Schemes by submission `type`; `_default` applies to every ingest. */
  ingest?: Readonly<Record<string, MetadataSchemeInput>>;
  /** Scheme names (`submit`, `archive`, or an ingest type) that refuse fields they do not declare. */
  strict_schemes?: readonly string[];
}
