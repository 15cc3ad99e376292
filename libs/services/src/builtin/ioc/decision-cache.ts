/**
 * Remembers recent decisions about candidate strings: the same names recur thousands of times in a file
 * (a URL in every line of a log, `window.location` all over a script), and checking one against the
 * public suffix list costs far more than a lookup. Bounded: emptied when full, which keeps it simple and
 * costs only a re-check.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, T>();

  constructor(private readonly maxEntries = 4096) {}

  get(key: string, decide: (key: string) => T): T {
    const known = this.entries.get(key);
    if (known !== undefined || this.entries.has(key)) return known as T;
    const decision = decide(key);
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(key, decision);
    return decision;
  }
}
