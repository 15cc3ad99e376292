/**
 * Hopper's configurable exemptions from dropping (`core.ingester.never_drop`; Assemblyline only has the
 * `never_drop` submission parameter): a task whose submitter is listed, or whose metadata has a listed
 * value under a listed key, is never dropped.
 */
export interface NeverDropRules {
  submitters?: readonly string[];
  metadata?: Readonly<Record<string, readonly string[]>>;
}

/** The parts of a task the never-drop rules look at. */
export interface NeverDropSubject {
  params: { never_drop: boolean; submitter: string };
  /** The submission's (flattened) metadata; scalar values are compared as text. */
  metadata: Readonly<Record<string, unknown>>;
}

function metadataText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Whether the task matches one of the configured rules. */
export function matchesNeverDropRule(subject: NeverDropSubject, rules: NeverDropRules | undefined): boolean {
  if (!rules) return false;
  if (rules.submitters?.includes(subject.params.submitter)) return true;
  for (const [key, allowed] of Object.entries(rules.metadata ?? {})) {
    if (!Object.hasOwn(subject.metadata, key)) continue;
    const text = metadataText(subject.metadata[key]);
    if (text !== null && allowed.includes(text)) return true;
  }
  return false;
}

/** Whether the task is exempt from dropping: its `never_drop` parameter, or a configured rule. */
export function isNeverDrop(subject: NeverDropSubject, rules: NeverDropRules | undefined): boolean {
  return subject.params.never_drop || matchesNeverDropRule(subject, rules);
}
