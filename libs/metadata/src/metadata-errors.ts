/** Why a submission's metadata was refused; apps map every kind to a 400. */
export type InvalidMetadataKind = 'not_an_object' | 'invalid_key' | 'too_long' | 'missing' | 'extra' | 'invalid_value';

/**
 * The submitted metadata breaks a rule. The message is the one Assemblyline's API returns where it has
 * one (missing, extra and per-field errors), so clients that match on it keep working.
 */
export class InvalidMetadata extends Error {
  constructor(
    message: string,
    readonly kind: InvalidMetadataKind,
    /** The offending key, when one key is at fault. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'InvalidMetadata';
  }
}

/**
 * `submission.metadata` itself is unusable (unknown type, bad regex, missing enum values...). Raised when
 * the validator is built, so a bad scheme stops start-up instead of failing every submission.
 */
export class InvalidMetadataScheme extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid submission.metadata configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'InvalidMetadataScheme';
  }
}
