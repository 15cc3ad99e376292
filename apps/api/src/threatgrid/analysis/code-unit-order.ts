/** Compares strings by UTF-16 code units, not by the locale: the same values sort the same on every server. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
