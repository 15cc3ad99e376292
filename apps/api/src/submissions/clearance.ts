import type { ClassificationEngine } from '@hopper/classification';

/** What a caller's clearance allows, and how classifications combine, for the pure views of this folder. */
export interface Clearance {
  UNRESTRICTED: string;
  /** Whether the caller may see something of `classification` (an unreadable marking is never visible). */
  maySee(classification: string): boolean;
  /** The higher of two classifications; a value the engine refuses leaves the first. */
  max(a: string, b: string): string;
  /** The lower of two classifications; a value the engine refuses leaves the first. */
  min(a: string, b: string): string;
}

export function clearanceFor(engine: ClassificationEngine, userClassification: string): Clearance {
  const tolerant = (combine: (a: string, b: string) => string | null) => (a: string, b: string) => {
    try {
      return combine(a, b) ?? a;
    } catch {
      return a;
    }
  };
  return {
    UNRESTRICTED: engine.UNRESTRICTED,
    maySee: (classification) => engine.isAccessible(userClassification, classification, { ignoreInvalid: true }),
    max: tolerant((a, b) => engine.max(a, b)),
    min: tolerant((a, b) => engine.min(a, b)),
  };
}
