import { AccessControlParts } from './access-control';
import { accessControlFieldsFor } from './document-access-fields';
import { InvalidClassification } from './errors';
import { MongoFilter } from './mongo-filter';
import { scheme } from '../test-data/schemes';

const EMPTY = ['__EMPTY__'];
const parts = (lvl: number, req: string[], grp1: string[], grp2: string[]): AccessControlParts => ({
  __access_lvl__: lvl,
  __access_req__: req,
  __access_grp1__: grp1,
  __access_grp2__: grp2,
});

describe('accessControlParts', () => {
  it.each<[Parameters<typeof scheme>[0], string, boolean, AccessControlParts]>([
    // Parsed, not rendered: SU's require_lvl does not raise the level.
    ['al_test', 'U//SU', false, parts(100, ['SU'], EMPTY, EMPTY)],
    ['al_test', 'R//GOD//REL DEPTS/G2', true, parts(200, ['ADM'], ['D1', 'D2'], ['G2'])],
    ['al_test', 'R//GOD//G1', true, parts(200, ['ADM'], ['D1'], ['G1'])],
    ['scheme_a', 'L1//R2', false, parts(5, [], ['X'], ['R2'])],
    ['scheme_a', 'LEVEL 2//ORIGINATOR CONTROLLED/LEGAL//REL TO GROUP B, A/R0', false, parts(15, ['LE', 'ORCON'], ['A', 'B'], ['R1'])],
    // Items get auto-select groups, users do not.
    ['scheme_a_auto_select_group', 'L1//REL B', false, parts(5, [], ['A', 'B'], EMPTY)],
    ['scheme_a_auto_select_group', 'L1//REL B', true, parts(5, [], ['B'], EMPTY)],
    ['scheme_a_auto_select_subgroup', 'L1//R3', false, parts(5, [], EMPTY, ['R1', 'R3'])],
    ['default_enforced', 'TLP:W//CCCS', false, parts(100, [], ['CSE'], ['CCCS'])],
    ['scheme_a_dynamic', 'L1//REL acme', false, parts(5, [], ['ACME'], EMPTY)],
    // Enforce off: always the unrestricted marking's parts, whatever the input.
    ['default', 'utter garbage', false, parts(100, [], EMPTY, EMPTY)],
    ['scheme_a_off', 'L2//LE', true, parts(1, [], EMPTY, EMPTY)],
  ])('%s %s (user: %s)', (name, c12n, userClassification, expected) => {
    expect(scheme(name).accessControlParts(c12n, { userClassification })).toEqual(expected);
  });

  it('raises for invalid input when enforced', () => {
    expect(() => scheme('scheme_a').accessControlParts('L1//GARBO')).toThrow(new InvalidClassification('Unknown Subgroup: GARBO'));
    expect(() => scheme('al_test').accessControlParts('100')).toThrow(InvalidClassification);
  });

  it('accessControlFieldsFor gives the item parts', () => {
    expect(accessControlFieldsFor(scheme('scheme_a_auto_select_group'), 'L1//REL B')).toEqual(parts(5, [], ['A', 'B'], EMPTY));
  });
});

describe('engine attributes', () => {
  it('UNRESTRICTED and RESTRICTED are normalized with enforce on, the raw unrestricted value with it off', () => {
    const pairs = (['scheme_a', 'al_test', 'default', 'default_enforced', 'scheme_a_off'] as const).map((n) => [
      scheme(n).UNRESTRICTED,
      scheme(n).RESTRICTED,
    ]);
    expect(pairs).toEqual([
      ['LEVEL 0', 'LEVEL 2'],
      ['UNRESTRICTED', 'RESTRICTED//ADMIN//ANY'],
      ['TLP:C', 'TLP:C'],
      ['TLP:CLEAR', 'TLP:AMBER+STRICT//COMMERCIAL'],
      ['L0', 'L0'],
    ]);
  });

  it('defaultUserClassification is UNRESTRICTED whatever the arguments', () => {
    expect(scheme('default_enforced').defaultUserClassification('someone', { longFormat: false })).toBe('TLP:CLEAR');
  });

  it('lists short names in definition order, or nothing with enforce off', () => {
    const a = scheme('scheme_a');
    expect([a.accessControlReq(), a.accessControlGroups(), a.accessControlSubgroups()]).toEqual([
      ['LE', 'AC', 'ORCON', 'NOCON'],
      ['A', 'B', 'X'],
      ['R1', 'R2', 'R3'],
    ]);
    const off = scheme('default');
    expect([off.accessControlReq(), off.accessControlGroups(), off.accessControlSubgroups()]).toEqual([[], [], []]);
    expect([off.enforce, off.dynamicGroups, off.dynamicGroupsType, off.invalidMode]).toEqual([false, false, 'email', false]);
  });

  it('classificationParts is the parser view, sorted in the output format', () => {
    const a = scheme('scheme_a');
    expect(a.classificationParts('L1//R3/R2')).toEqual({ lvl: 5, required: [], groups: ['GROUP X'], subgroups: ['RESERVE THREE', 'RESERVE TWO'] });
    expect(a.classificationParts('L0//REL Group A', { longFormat: false })).toEqual({ lvl: 1, required: [], groups: ['A'], subgroups: [] });
  });
});

/** Evaluates the operators the filter uses, with MongoDB's array semantics, to compare with isAccessible. */
function matches(filter: MongoFilter, doc: Record<string, unknown>): boolean {
  return Object.entries(filter).every(([key, condition]) => {
    if (key === '$and') return (condition as MongoFilter[]).every((f) => matches(f, doc));
    const value = doc[key];
    const values = Array.isArray(value) ? value : [value];
    return Object.entries(condition as Record<string, unknown>).every(([op, arg]) => {
      if (op === '$lte') return (value as number) <= (arg as number);
      if (op === '$in') return values.some((v) => (arg as unknown[]).includes(v));
      if (op === '$nin') return !values.some((v) => (arg as unknown[]).includes(v));
      throw new Error(`operator ${op} not modelled`);
    });
  });
}

describe('mongoAccessFilter', () => {
  it('has the level, missing-required, group and subgroup clauses', () => {
    expect(scheme('scheme_a').mongoAccessFilter('L1//LE//REL A/R1')).toEqual({
      $and: [
        { __access_lvl__: { $lte: 5 } },
        { __access_req__: { $nin: ['AC', 'ORCON', 'NOCON'] } },
        { __access_grp1__: { $in: ['__EMPTY__', 'A'] } },
        { __access_grp2__: { $in: ['__EMPTY__', 'R1'] } },
      ],
    });
  });

  it('leaves out the required clause for a user holding every marking, and filters nothing with enforce off', () => {
    expect(scheme('scheme_a').mongoAccessFilter('L2//AC/LE//NOCON/ORCON')).toEqual({
      $and: [
        { __access_lvl__: { $lte: 15 } },
        { __access_grp1__: { $in: ['__EMPTY__'] } },
        { __access_grp2__: { $in: ['__EMPTY__'] } },
      ],
    });
    expect(scheme('default').mongoAccessFilter('anything')).toEqual({});
  });

  it('raises for an invalid user classification', () => {
    expect(() => scheme('scheme_a').mongoAccessFilter('L9')).toThrow(InvalidClassification);
  });

  it('selects exactly the items isAccessible allows', () => {
    const engine = scheme('scheme_a_dynamic');
    const items = [
      'L0', 'L1', 'L2', 'L0//LE', 'L1//LE/AC', 'L2//ORCON', 'L1//NOCON/ORCON', 'L0//REL A', 'L1//REL A, B', 'L1//XX',
      'L0//R1', 'L1//R2', 'L1//XX/R3', 'L2//LE//REL B/R1', 'L1//AC//NOCON/REL A, X/R1/R2', 'L0//REL ACME', 'L1//REL ACME, B',
    ].map((c) => engine.normalize(c));
    const users = [
      'L0', 'L2', 'L2//AC/LE//NOCON/ORCON//REL A, B, X/R1/R2', 'L1//LE//REL A', 'L1//REL B/R1', 'L2//XX/R2',
      'L1//AC//NOCON//REL A/R1', 'L0//REL ACME', 'L2//LE//REL X/R3',
    ];
    let checked = 0;
    for (const user of users) {
      const filter = engine.mongoAccessFilter(user);
      for (const item of items) {
        expect([user, item, matches(filter, { ...accessControlFieldsFor(engine, item) })]).toEqual([
          user,
          item,
          engine.isAccessible(user, item),
        ]);
        checked++;
      }
    }
    expect(checked).toBe(users.length * items.length);
  });
});
