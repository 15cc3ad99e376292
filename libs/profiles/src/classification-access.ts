/**
 * What profile resolution needs from the classification engine. Injected, so this library does not depend
 * on libs/classification; the engine (or a test double) satisfies it structurally.
 */
export interface ClassificationAccess {
  /** Can a user cleared for `userClassification` see an item marked `itemClassification`? */
  isAccessible(userClassification: string, itemClassification: string): boolean;
  /** The lowest classification: the default of a submission (named as in Assemblyline's engine). */
  readonly UNRESTRICTED: string;
  /** Canonical form of a classification; applied to the resolved submission classification when given. */
  normalize?(classification: string): string;
}
