// Engines for the definitions the unit tests and the integration test use, named as in the reference doc
// (shared/reference/assemblyline-classification-rules.md): scheme_a and its variants, al_test, default.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ASSEMBLYLINE_DEFAULT_DEFINITION, ClassificationEngine } from '../src';

type Raw = Record<string, unknown>;
type Entries = Raw[];

export function schemeADefinition(): Raw {
  return parse(readFileSync(join(__dirname, 'scheme-a.yml'), 'utf8')) as Raw;
}

function schemeAWith(change: (def: Raw) => void): ClassificationEngine {
  const def = schemeADefinition();
  change(def);
  return ClassificationEngine.fromDefinition(def, { base: null });
}

export const SCHEME_NAMES = [
  'scheme_a',
  'scheme_a_auto_select_group',
  'scheme_a_auto_select_subgroup',
  'scheme_a_multi_group_alias',
  'scheme_a_dynamic',
  'scheme_a_off',
  'al_test',
  'default',
  'default_enforced',
  'default_enforced_dynamic',
] as const;
export type SchemeName = (typeof SCHEME_NAMES)[number];

const builders: Record<SchemeName, () => ClassificationEngine> = {
  scheme_a: () => schemeAWith(() => undefined),
  // Group A auto-selected.
  scheme_a_auto_select_group: () => schemeAWith((d) => ((d.groups as Entries)[0].auto_select = true)),
  // Subgroup R1 auto-selected.
  scheme_a_auto_select_subgroup: () => schemeAWith((d) => ((d.subgroups as Entries)[0].auto_select = true)),
  // Groups A and B share the alias "Alphabet Gang".
  scheme_a_multi_group_alias: () =>
    schemeAWith((d) => {
      (d.groups as Entries)[0].aliases = ['Alphabet Gang'];
      (d.groups as Entries)[1].aliases = ['Alphabet Gang'];
    }),
  scheme_a_dynamic: () => schemeAWith((d) => (d.dynamic_groups = true)),
  scheme_a_off: () => schemeAWith((d) => (d.enforce = false)),
  // Merged over Assemblyline's default definition, as forge.get_classification does.
  al_test: () => ClassificationEngine.fromDefinition(readFileSync(join(__dirname, 'al-test.yml'), 'utf8')),
  default: () => ClassificationEngine.fromDefinition(ASSEMBLYLINE_DEFAULT_DEFINITION),
  default_enforced: () => ClassificationEngine.fromDefinition({ enforce: true }),
  default_enforced_dynamic: () => ClassificationEngine.fromDefinition({ enforce: true, dynamic_groups: true }),
};

const cache = new Map<SchemeName, ClassificationEngine>();

export function scheme(name: SchemeName): ClassificationEngine {
  let engine = cache.get(name);
  if (!engine) {
    engine = builders[name]();
    cache.set(name, engine);
  }
  return engine;
}
