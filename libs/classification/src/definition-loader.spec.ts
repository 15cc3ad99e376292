import { join } from 'node:path';
import { stringify } from 'yaml';
import { ClassificationEngine } from './classification-engine';
import { loadClassificationFile } from './classification-file';
import { loadClassificationDefinition } from './definition-loader';
import { InvalidDefinition } from './errors';
import { schemeADefinition } from '../test-data/schemes';

type Raw = Record<string, unknown>;
type Entries = Raw[];

const HOPPER_FILE = join(__dirname, '../../../config/classification.yml');

function schemeAWith(change: (def: Raw) => void): Raw {
  const def = schemeADefinition();
  change(def);
  return def;
}

/** The problems a definition is refused with (fails if it loads). */
function problemsOf(def: Raw | string, base: Raw | null = null): string[] {
  try {
    loadClassificationDefinition(def, { base });
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidDefinition);
    return (error as InvalidDefinition).problems;
  }
  throw new Error('the definition loaded');
}

describe('loadClassificationDefinition', () => {
  it('reads YAML text and parsed objects alike, upper-casing names', () => {
    const fromObject = loadClassificationDefinition(schemeADefinition(), { base: null });
    const fromText = loadClassificationDefinition(stringify(schemeADefinition()), { base: null });
    expect(fromText.levels).toEqual(fromObject.levels);
    expect(fromObject.levels[0]).toMatchObject({ name: 'LEVEL 0', shortName: 'L0', lvl: 1, aliases: ['OPEN'] });
    expect(fromObject.required[2]).toMatchObject({ shortName: 'ORCON', isRequiredGroup: true });
    expect(fromObject.groups[2]).toMatchObject({ shortName: 'X', solitaryDisplayName: 'XX' });
    expect(fromObject.subgroups.map((s) => [s.shortName, s.requireGroup, s.limitedToGroup])).toEqual([
      ['R1', undefined, undefined],
      ['R2', 'X', undefined],
      ['R3', undefined, 'X'],
    ]);
  });

  it('takes keys the input leaves out from Assemblyline default definition, unless the base is null', () => {
    const def = loadClassificationDefinition({ enforce: true });
    expect(def.levels.map((l) => l.shortName)).toEqual(['TLP:C', 'TLP:G', 'TLP:A', 'TLP:A+S']);
    expect(def.groups[0]).toMatchObject({ shortName: 'CSE', autoSelect: true });
    const { dynamic_groups_type: _dropped, ...partial } = schemeADefinition();
    expect(loadClassificationDefinition(partial).dynamicGroupsType).toBe('email');
    expect(problemsOf(partial)).toEqual([
      'dynamic_groups_type: must be one of email | group | all (got undefined)',
    ]);
  });

  it('keeps extra entry fields (is_hidden, description, css) for the definition dump', () => {
    const def = loadClassificationDefinition(
      schemeAWith((d) => Object.assign((d.levels as Entries)[1], { is_hidden: true, css: { color: 'info' }, custom: 1 })),
      { base: null },
    );
    expect(def.levels[1]).toMatchObject({ isHidden: true, css: { color: 'info' }, description: 'N/A' });
    const dump = new ClassificationEngine(def).parsedDefinition();
    expect(dump.params_map).toMatchObject({ L1: { is_hidden: true, custom: 1 }, R2: { require_group: 'X' } });
    expect(dump.levels_map).toMatchObject({ L0: 1, '1': 'L0', L2: 15 });
    expect(dump.groups_aliases).toEqual({ XX: ['X'] });
    expect(dump.UNRESTRICTED).toBe('LEVEL 0');
  });

  it('accepts a group reference by long name and stores the short name', () => {
    const def = loadClassificationDefinition(
      schemeAWith((d) => ((d.subgroups as Entries)[1].require_group = 'group x')),
      { base: null },
    );
    expect(def.subgroups[1].requireGroup).toBe('X');
  });

  describe('refuses a bad definition, naming the entry', () => {
    it.each<[string, (d: Raw) => void, string]>([
      [
        'duplicate level short name',
        (d) => ((d.levels as Entries)[1].short_name = 'L0'),
        'levels[1] (L0): duplicate name L0 (also levels[0] (L0))',
      ],
      ['duplicate lvl', (d) => ((d.levels as Entries)[1].lvl = 1), 'levels[1] (L1): duplicate lvl 1 (also levels[0] (L0))'],
      [
        'level alias naming another level',
        (d) => ((d.levels as Entries)[2].aliases = ['level 1']),
        'levels[2] (L2): duplicate name LEVEL 1 (also levels[1] (L1))',
      ],
      ['lvl under 1', (d) => ((d.levels as Entries)[0].lvl = 0), 'levels[0] (L0): lvl 0 is outside 1-10000'],
      ['lvl over 10000', (d) => ((d.levels as Entries)[2].lvl = 10001), 'levels[2] (L2): lvl 10001 is outside 1-10000'],
      ['lvl not a number', (d) => ((d.levels as Entries)[2].lvl = 'high'), 'levels[2] (L2): lvl must be an integer (got "high")'],
      [
        'reserved level name',
        (d) => ((d.levels as Entries)[1].name = 'Invalid'),
        'levels[1] (L1): INVALID is reserved (NULL, INVALID and INV cannot be used)',
      ],
      [
        'reserved level alias',
        (d) => ((d.levels as Entries)[1].aliases = ['null']),
        'levels[1] (L1): NULL is reserved (NULL, INVALID and INV cannot be used)',
      ],
      [
        'duplicate required short name',
        (d) => ((d.required as Entries)[1].short_name = 'le'),
        'required[1] (LE): duplicate name LE (also required[0] (LE))',
      ],
      [
        'duplicate group long name',
        (d) => ((d.groups as Entries)[1].name = 'GROUP A'),
        'groups[1] (B): duplicate name GROUP A (also groups[0] (A))',
      ],
      [
        'duplicate subgroup short name',
        (d) => ((d.subgroups as Entries)[2].short_name = 'R2'),
        'subgroups[2] (R2): duplicate name R2 (also subgroups[1] (R2))',
      ],
      [
        'alias hiding another entry',
        (d) => ((d.subgroups as Entries)[0].aliases = ['R2']),
        'subgroups[0] (R1): alias R2 is also the name of subgroups[1] (R2)',
      ],
      [
        'unknown require_group',
        (d) => ((d.subgroups as Entries)[1].require_group = 'Z'),
        'subgroups[1] (R2): require_group Z is not a known group',
      ],
      [
        'unknown limited_to_group',
        (d) => ((d.subgroups as Entries)[2].limited_to_group = 'ZZ'),
        'subgroups[2] (R3): limited_to_group ZZ is not a known group',
      ],
      [
        'require_group and limited_to_group that differ',
        (d) => ((d.subgroups as Entries)[1].limited_to_group = 'A'),
        'subgroups[1] (R2): require_group X and limited_to_group A exclude each other',
      ],
      [
        'require_lvl that is no level',
        (d) => ((d.required as Entries)[0].require_lvl = 7),
        'required[0] (LE): require_lvl 7 is not the lvl of any level',
      ],
      [
        'solitary display name shared with another group',
        (d) => ((d.groups as Entries)[0].aliases = ['XX']),
        'groups[2] (X): solitary_display_name XX is also an alias of A',
      ],
      [
        'a subgroup named like a required marking',
        (d) => ((d.subgroups as Entries)[0].aliases = ['Legal']),
        'subgroups[0] (R1): name LEGAL is also a required marking name of required[0] (LE)',
      ],
      ['a group name with a comma', (d) => ((d.groups as Entries)[0].name = 'A, Inc'), "groups[0] (A): name A, INC cannot contain ','"],
      ['a subgroup name with a slash', (d) => ((d.subgroups as Entries)[0].name = 'R/1'), "subgroups[0] (R1): name R/1 cannot contain '/'"],
      ['a name missing', (d) => delete (d.groups as Entries)[1].name, 'groups[1] (B): name must be a non-empty string'],
      ['an entry that is not a mapping', (d) => ((d.groups as unknown[])[1] = 'B'), 'groups[1]: must be a mapping'],
      ['no levels', (d) => (d.levels = []), 'levels: must be a non-empty list'],
      ['enforce not a boolean', (d) => (d.enforce = 'yes'), 'enforce must be true or false'],
      ['unknown dynamic_groups_type', (d) => (d.dynamic_groups_type = 'ldap'), 'dynamic_groups_type: must be one of email | group | all (got "ldap")'],
      [
        'unparsable unrestricted',
        (d) => (d.unrestricted = 'XF'),
        "unrestricted: XF is not a classification of this definition (Classification level 'XF' was not found in your classification definition.)",
      ],
      [
        'restricted not in its valid form (enforce on)',
        (d) => (d.restricted = 'l2'),
        'restricted: l2 is not a valid classification (write it as its normalized form would read)',
      ],
      [
        'unrestricted whose normalization raises its level',
        (d) => {
          (d.required as Entries)[0].require_lvl = 15;
          d.unrestricted = 'L0//LE';
        },
        'unrestricted: L0//LE is not a valid classification (write it as its normalized form would read)',
      ],
    ])('%s', (_name, change, problem) => {
      expect(problemsOf(schemeAWith(change))).toEqual([problem]);
    });

    it('reports every problem at once, in the error message too', () => {
      const def = schemeAWith((d) => {
        (d.levels as Entries)[0].lvl = -3;
        (d.subgroups as Entries)[1].require_group = 'nope';
      });
      expect(() => loadClassificationDefinition(def, { base: null })).toThrow(
        'Invalid classification definition:\n  levels[0] (L0): lvl -3 is outside 1-10000\n' +
          '  subgroups[1] (R2): require_group NOPE is not a known group',
      );
    });

    it('refuses text that is not YAML or not a mapping', () => {
      expect(problemsOf('levels: [unclosed')[0]).toMatch(/^not valid YAML: /);
      expect(problemsOf('- just\n- a list')).toEqual(['the definition must be a mapping of keys to values']);
    });
  });

  it('with enforce off, accepts an unrestricted marking in any case, as long as it parses', () => {
    const def = loadClassificationDefinition(schemeAWith((d) => Object.assign(d, { enforce: false, unrestricted: 'l0' })), {
      base: null,
    });
    const engine = new ClassificationEngine(def);
    expect([engine.UNRESTRICTED, engine.RESTRICTED]).toEqual(['l0', 'l0']);
  });
});

describe("Hopper's config/classification.yml", () => {
  const definition = loadClassificationFile(HOPPER_FILE, { base: null });
  const enforced = new ClassificationEngine({ ...definition, enforce: true });

  it('loads on its own (every key present) and does not enforce', () => {
    expect(definition.enforce).toBe(false);
    const engine = new ClassificationEngine(definition);
    expect([engine.UNRESTRICTED, engine.normalize('TLP:AMBER'), engine.isAccessible('TLP:C', 'TLP:A+S//CMR')]).toEqual([
      'TLP:C',
      'TLP:C',
      true,
    ]);
    expect(engine.accessControlParts('TLP:RED?')).toEqual({
      __access_lvl__: 100,
      __access_req__: [],
      __access_grp1__: ['__EMPTY__'],
      __access_grp2__: ['__EMPTY__'],
    });
  });

  it('is a TLP 2.0 scheme once enforced', () => {
    expect([enforced.UNRESTRICTED, enforced.RESTRICTED]).toEqual(['TLP:CLEAR', 'TLP:AMBER+STRICT//COMMERCIAL']);
    expect(['TLP:W', 'tlp:white', 'U', 'green', 'AMBER', 'amber+strict'].map((c) => enforced.normalize(c, { longFormat: false }))).toEqual([
      'TLP:C',
      'TLP:C',
      'TLP:C',
      'TLP:G',
      'TLP:A',
      'TLP:A+S',
    ]);
    expect(enforced.normalize('AMBER//COMM//MA')).toBe('TLP:AMBER//COMMERCIAL//REL TO ORGANIZATION/MALWARE ANALYSIS');
    expect(enforced.normalize('TLP:A//CMR//IR TEAM', { longFormat: false })).toBe('TLP:A//CMR//IR');
    expect(enforced.isValid('TLP:A//CMR//REL TO ORG/IR')).toBe(true);
    expect(enforced.isAccessible('TLP:A//CMR//REL ORG/MA', 'TLP:A//CMR//MA')).toBe(true);
    expect(enforced.isAccessible('TLP:A+S//REL ORG/MA', 'TLP:A//CMR//MA')).toBe(false);
  });

  it('refuses the same file with a broken reference, naming the file and the entry', () => {
    const broken = { ...definition.original, subgroups: [{ name: 'X', short_name: 'X', require_group: 'NOPE' }] };
    expect(problemsOf(broken)).toEqual(['subgroups[0] (X): require_group NOPE is not a known group']);
    expect(() => loadClassificationFile(join(__dirname, 'nope.yml'))).toThrow(/ENOENT/);
  });
});
