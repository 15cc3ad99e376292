// Observed Assemblyline results (shared/reference/assemblyline-classification-rules.md and Assemblyline's
// own tests) that Hopper's engine must reproduce, one row per call.
import { InvalidClassification } from './errors';
import { scheme, SchemeName } from '../test-data/schemes';

type Op = 'normalize' | 'isValid' | 'isAccessible' | 'max' | 'min' | 'intersectUser' | 'buildUser';
type Expected = string | boolean | null | { error: string };
type Row = [SchemeName, Op, unknown[], Record<string, boolean>, Expected];

const S = { longFormat: false };
const L = {};
const err = (error: string) => ({ error });
const levelNotFound = (lvl: string) => err(`Classification level '${lvl}' was not found in your classification definition.`);

const rows: Row[] = [
  // ---- normalize: parsing
  ['scheme_a', 'normalize', ['l1//rel to group a, b//legal'], S, 'L1//LE//REL A, B'],
  ['scheme_a', 'normalize', ['L1/LE'], L, levelNotFound('L1/LE')],
  ['scheme_a', 'normalize', [''], L, levelNotFound('')],
  ['scheme_a', 'normalize', ['garbo'], L, levelNotFound('GARBO')],
  ['scheme_a', 'normalize', ['L1//LE/'], L, 'LEVEL 1//LEGAL DEPARTMENT'],
  ['scheme_a', 'normalize', ['Open//Legal'], S, 'L0//LE'],
  ['scheme_a', 'normalize', ['L1//REL TO A//REL TO B'], S, 'L1//REL A, B'],
  ['scheme_a', 'normalize', ['L1//REL TO A,REL TO B'], S, 'L1//REL A, B'],
  ['scheme_a', 'normalize', ['L1//REL A/B'], L, err('Unknown Subgroup: B')],
  ['scheme_a', 'normalize', ['L1//REL TO  A'], S, 'L1//REL A'],
  ['scheme_a', 'normalize', ['L1//REL  TO A'], L, err('Unparsable classification parts: TO A')],
  ['scheme_a', 'normalize', ['L1// REL TO A'], L, err('Unknown Subgroup:  REL TO A')],
  ['scheme_a', 'normalize', ['L1//XX'], L, 'LEVEL 1//XX'],
  ['scheme_a', 'normalize', ['L1//A'], L, err('Unknown Subgroup: A')],
  ['scheme_a', 'normalize', ['L1//GARBO'], L, err('Unknown Subgroup: GARBO')],
  ['scheme_a', 'normalize', ['L1//LE-'], L, err('Unknown Subgroup: LE-')],
  ['scheme_a', 'normalize', ['L1//REL A, B/ORCON,NOCON'], L, err('Unknown Subgroup: ORCON,NOCON')],
  ['scheme_a', 'normalize', ['L1//REL TO ORCON'], L, err('Unparsable classification parts: ORCON')],
  ['scheme_a', 'normalize', ['L1//REL TO R1'], L, err('Unparsable classification parts: R1')],
  ['scheme_a', 'normalize', ['L1//R0'], S, 'L1//R1'],
  ['scheme_a', 'normalize', ['L1//R2'], L, 'LEVEL 1//XX/RESERVE TWO'],
  ['scheme_a', 'normalize', ['L1//R2'], { skipAutoSelect: true }, 'LEVEL 1//XX/RESERVE TWO'],
  ['scheme_a', 'normalize', ['L1//R3/REL A'], L, err('Subgroup R3 is limited to group X (found: A)')],
  ['scheme_a', 'normalize', ['L1//R3'], S, 'L1//R3'],
  ['scheme_a', 'normalize', ['L1//R3/REL X'], S, 'L1//XX/R3'],
  ['al_test', 'normalize', ['U//REL D2/G1'], L, err('Subgroup G1 is limited to group D1 (found: D1, D2)')],
  ['al_test', 'normalize', ['U//DEPTS'], L, err('Unclear use of alias: DEPTS')],
  ['al_test', 'normalize', ['U//ANY'], S, 'U//ANY'],
  // ---- normalize: rendering
  ['scheme_a', 'normalize', ['L1//LE/ORCON'], S, 'L1//LE//ORCON'],
  ['scheme_a', 'normalize', ['L1//ORCON'], S, 'L1//ORCON'],
  ['scheme_a', 'normalize', ['L1//REL X'], S, 'L1//XX'],
  ['scheme_a', 'normalize', ['L1//NOCON//REL X'], S, 'L1//NOCON/XX'],
  ['scheme_a', 'normalize', ['L1//LE/R1'], S, 'L1//LE//R1'],
  ['scheme_a', 'normalize', ['L1//R1/REL B, A'], S, 'L1//REL A, B/R1'],
  ['scheme_a', 'normalize', ['L1//R3/R1/XX'], S, 'L1//XX/R1/R3'],
  ['scheme_a', 'normalize', ['L1//R3/R2'], L, 'LEVEL 1//XX/RESERVE THREE/RESERVE TWO'],
  ['scheme_a', 'normalize', ['L1//R1/NOCON/REL B, A/LE/ORCON/AC'], L,
    'LEVEL 1//ACCOUNTING/LEGAL DEPARTMENT//NO CONTRACTORS/ORIGINATOR CONTROLLED/REL TO GROUP A, GROUP B/RESERVE ONE'],
  ['scheme_a', 'normalize', ['L1//AC/LE//NOCON/ORCON/REL A, B/R1'], S, 'L1//AC/LE//NOCON/ORCON/REL A, B/R1'],
  ['scheme_a', 'normalize', ['INV'], L, 'INVALID'],
  ['scheme_a', 'normalize', ['NULL//REL A'], S, 'NULL//REL A'],
  ['al_test', 'normalize', ['U//SU'], L, 'RESTRICTED//SUPER USER'],
  ['al_test', 'normalize', ['U//REL D1'], S, 'U//ANY'],
  ['al_test', 'normalize', ['U//REL D1, D2'], S, 'U//REL DEPTS'],
  ['al_test', 'normalize', ['U//REL D1, D2'], L, 'UNRESTRICTED//REL TO DEPARTMENT 1, DEPARTMENT 2'],
  ['al_test', 'normalize', ['U//REL D2'], S, 'U//REL DEPTS'],
  ['al_test', 'normalize', ['U//REL D2'], { longFormat: false, skipAutoSelect: true }, 'U//REL D2'],
  ['default_enforced', 'normalize', ['TLP:W//CCCS'], L, 'TLP:CLEAR//REL TO CSE/CCCS'],
  ['scheme_a_auto_select_group', 'normalize', ['L1//REL B'], S, 'L1//REL A, B'],
  ['scheme_a_auto_select_group', 'normalize', ['L1//REL B'], { longFormat: false, skipAutoSelect: true }, 'L1//REL B'],
  ['scheme_a_auto_select_group', 'normalize', ['LEVEL 1//REL TO GROUP B'], L, 'LEVEL 1//REL TO GROUP A, GROUP B'],
  ['scheme_a_auto_select_group', 'normalize', ['L1//LE'], S, 'L1//LE'],
  ['scheme_a_auto_select_subgroup', 'normalize', ['L1//R3'], S, 'L1//R1/R3'],
  ['scheme_a_auto_select_subgroup', 'normalize', ['L0//R2'], L, 'LEVEL 0//XX/RESERVE ONE/RESERVE TWO'],
  ['scheme_a_multi_group_alias', 'normalize', ['L1//REL A, B'], S, 'L1//REL ALPHABET GANG'],
  ['scheme_a_multi_group_alias', 'normalize', ['L1//REL A, B'], L, 'LEVEL 1//REL TO GROUP A, GROUP B'],
  ['scheme_a_multi_group_alias', 'normalize', ['L0//REL A'], S, 'L0//REL A'],
  // ---- normalize: dynamic groups and enforce off
  ['scheme_a_dynamic', 'normalize', ['L1//REL TO acme, A'], L, 'LEVEL 1//REL TO ACME, GROUP A'],
  ['scheme_a_dynamic', 'normalize', ['L1//REL TO acme, A'], S, 'L1//REL A, ACME'],
  ['scheme_a_dynamic', 'normalize', ['L1//acme'], L, err('Unknown Subgroup: ACME')],
  ['scheme_a_dynamic', 'normalize', ['L1//REL A/G'], L, err('Unknown Subgroup: G')],
  ['scheme_a_dynamic', 'normalize', ['L1//REL ACME, A'], { getDynamicGroups: false }, err('Unparsable classification parts: ACME')],
  ['scheme_a_dynamic', 'normalize', ['L1//REL ACME, A'], { getDynamicGroups: false, ignoreUnused: true, longFormat: false }, 'L1//REL A'],
  ['scheme_a', 'normalize', ['L1//REL ZZ, A'], { ignoreUnused: true, longFormat: false }, 'L1//REL A'],
  ['scheme_a', 'normalize', ['L1//REL TO acme'], L, err('Unparsable classification parts: ACME')],
  ['scheme_a_dynamic', 'normalize', ['L1//REL TO ORCON'], L, 'LEVEL 1//REL TO ORCON'],
  ['scheme_a_dynamic', 'normalize', ['L1//REL A,'], L, err('Unparsable classification parts: ')],
  ['scheme_a', 'normalize', ['L1//REL A,'], L, err('Unparsable classification parts: ')],
  ['default_enforced_dynamic', 'normalize', ['TLP:C//REL TO ACME'], L, 'TLP:CLEAR//REL TO ACME, CSE'],
  ['scheme_a_off', 'normalize', ['utter garbage'], L, 'L0'],
  ['default', 'normalize', ['TLP:A//REL TO CSE'], L, 'TLP:C'],
  // ---- normalize: input Assemblyline crashes on
  ['al_test', 'normalize', ['100'], L, levelNotFound('100')],
  ['al_test', 'normalize', [null], L, err('A classification must be a string (got null)')],
  ['default', 'normalize', [null], L, 'TLP:C'],

  // ---- is_valid
  ['scheme_a', 'isValid', ['L1//LE//REL A'], L, true],
  ['scheme_a', 'isValid', ['L1//LE/REL A'], L, true],
  ['scheme_a', 'isValid', ['L1//REL A, B/ORCON/NOCON'], L, true],
  ['scheme_a', 'isValid', ['L1//REL A//LE'], L, false],
  ['scheme_a', 'isValid', ['L1//REL A/LE'], L, false],
  ['scheme_a', 'isValid', ['L1//REL A//R1'], L, false],
  ['scheme_a', 'isValid', ['L1//LE/'], L, false],
  ['scheme_a', 'isValid', ['L1//REL A, B/ORCON,NOCON'], L, false],
  ['scheme_a', 'isValid', ['L1//ORCON,NOCON/REL A, B'], L, false],
  ['scheme_a', 'isValid', ['L1//LE//ORCON//REL A'], L, false],
  ['scheme_a', 'isValid', ['l1'], L, false],
  ['scheme_a', 'isValid', ['Open'], L, false],
  ['scheme_a', 'isValid', ['OPEN'], L, true],
  ['scheme_a', 'isValid', ['LEVEL 1//LEGAL DEPARTMENT//REL TO GROUP A, GROUP B/RESERVE ONE'], L, true],
  ['scheme_a', 'isValid', ['L1//XX/R2'], L, true],
  ['scheme_a', 'isValid', ['NULL'], L, true],
  ['scheme_a', 'isValid', ['INV'], L, true],
  ['scheme_a', 'isValid', ['INVALID'], L, true],
  ['scheme_a', 'isValid', ['L1//GARBO'], L, false],
  ['scheme_a', 'isValid', ['L1//R3/REL A'], L, false],
  ['al_test', 'isValid', ['U//SU'], L, false],
  ['al_test', 'isValid', ['R//SU'], L, true],
  ['scheme_a_auto_select_group', 'isValid', ['L0//REL B'], L, false],
  ['scheme_a_auto_select_group', 'isValid', ['L0//REL B'], { skipAutoSelect: true }, true],
  ['scheme_a_dynamic', 'isValid', ['L1//REL TO FOO'], L, true],
  ['scheme_a_dynamic', 'isValid', ['L1//REL TO foo//R1'], L, false],
  ['scheme_a_off', 'isValid', ['utter garbage'], L, true],
  ['al_test', 'isValid', ['0'], L, levelNotFound('0')],
  ['scheme_a', 'isValid', [null], L, err('A classification must be a string (got null)')],

  // ---- is_accessible(user, item)
  ['scheme_a', 'isAccessible', ['L0', 'L0'], L, true],
  ['scheme_a', 'isAccessible', ['L0', 'L1'], L, false],
  ['scheme_a', 'isAccessible', ['L2', 'L1'], L, true],
  ['scheme_a', 'isAccessible', ['L2', 'L0//LE'], L, false],
  ['scheme_a', 'isAccessible', ['L2//LE', 'L0//LE'], L, true],
  ['scheme_a', 'isAccessible', ['L2//LE', 'L2//LE/AC'], L, false],
  ['scheme_a', 'isAccessible', ['L2//LE/AC', 'L2//LE/AC'], L, true],
  ['scheme_a', 'isAccessible', ['L2//ORCON', 'L2//ORCON/NOCON'], L, false],
  ['scheme_a', 'isAccessible', ['L2//ORCON/NOCON', 'L2//ORCON/NOCON'], L, true],
  ['scheme_a', 'isAccessible', ['L2', 'L2//REL A'], L, false],
  ['scheme_a', 'isAccessible', ['L2//REL B', 'L2//REL A'], L, false],
  ['scheme_a', 'isAccessible', ['L2//REL B', 'L2//REL A, B'], L, true],
  ['scheme_a', 'isAccessible', ['L2//REL B', 'L2'], L, true],
  ['scheme_a', 'isAccessible', ['L2//REL A/R1', 'L1//R2'], L, false],
  ['scheme_a', 'isAccessible', ['L2//XX/R1', 'L1//R2'], L, false],
  ['scheme_a', 'isAccessible', ['L2//XX/R2', 'L1//R2'], L, true],
  ['scheme_a', 'isAccessible', ['L2', null], L, true],
  ['scheme_a', 'isAccessible', ['L2', 'GARBO'], L, levelNotFound('GARBO')],
  ['scheme_a', 'isAccessible', ['L2', 'GARBO'], { ignoreInvalid: true }, false],
  ['scheme_a', 'isAccessible', ['L2', 'L1//REL A/B'], { ignoreInvalid: true }, false],
  ['scheme_a', 'isAccessible', [null, 'L1'], { ignoreInvalid: true }, err('A classification must be a string (got null)')],
  ['al_test', 'isAccessible', ['U//SU', 'U//SU'], L, true],
  ['al_test', 'isAccessible', ['R', '200'], { ignoreInvalid: true }, levelNotFound('200')],
  ['scheme_a_auto_select_group', 'isAccessible', ['L1//REL B', 'L1//REL B'], L, true],
  ['scheme_a_dynamic', 'isAccessible', ['L1//REL ACME', 'L1//REL ACME, B'], L, true],
  ['scheme_a_dynamic', 'isAccessible', ['L1//REL ACME', 'L1//REL B'], L, false],
  ['scheme_a_off', 'isAccessible', ['garbage', 'junk'], L, true],

  // ---- max_classification
  ['scheme_a', 'max', ['L0', 'L2'], S, 'L2'],
  ['scheme_a', 'max', ['L0//LE', 'L1//AC'], S, 'L1//AC/LE'],
  ['scheme_a', 'max', ['L0//REL A, B', 'L0'], S, 'L0//REL A, B'],
  ['scheme_a', 'max', ['L0//REL A, B', 'L0//REL A'], L, 'LEVEL 0//REL TO GROUP A'],
  ['scheme_a', 'max', ['L0//REL B', 'L0//REL B, A'], L, 'LEVEL 0//REL TO GROUP B'],
  ['scheme_a', 'max', ['L0//REL B', 'L0//REL A'], L, err("Could not find any intersection between the groups. ['GROUP B'] & ['GROUP A']")],
  ['scheme_a', 'max', ['L0//REL B', 'L0//REL A'], S, err("Could not find any intersection between the groups. ['B'] & ['A']")],
  ['scheme_a', 'max', ['L0//R1', 'L0//R2'], L, err("Could not find any intersection between the groups. ['RESERVE ONE'] & ['RESERVE TWO']")],
  ['scheme_a', 'max', ['L0//R1/R2', 'L0'], S, 'L0//XX/R1/R2'],
  ['scheme_a', 'max', ['L0//R1/R2', 'L0//R1'], L, 'LEVEL 0//XX/RESERVE ONE'],
  ['scheme_a', 'max', ['L0//R1/R2', 'L1//R1/R2'], S, 'L1//XX/R1/R2'],
  ['scheme_a', 'max', [null, 'l0//garbo'], L, 'l0//garbo'],
  ['scheme_a', 'max', ['L1', null], L, 'L1'],
  ['scheme_a', 'max', [null, null], L, null],
  ['scheme_a', 'max', ['L1', 'GARBO'], L, levelNotFound('GARBO')],
  ['al_test', 'max', ['0', 'U'], L, levelNotFound('0')],
  ['al_test', 'max', ['U//SU', 'U'], S, 'R//SU'],
  ['scheme_a_auto_select_group', 'max', ['L1//REL B', 'L1//REL A'], S, 'L1//REL A'],
  ['scheme_a_dynamic', 'max', ['L1//REL ACME, A', 'L0//REL ACME, B'], S, 'L1//REL ACME'],
  ['scheme_a_off', 'max', [null, null], L, 'L0'],

  // ---- min_classification
  ['scheme_a', 'min', ['L2', 'L1'], S, 'L1'],
  ['scheme_a', 'min', ['OPEN', 'L2'], S, 'L0'],
  ['scheme_a', 'min', ['L2//LE/AC', 'L1//LE'], S, 'L1//LE'],
  ['scheme_a', 'min', ['L0//REL A, B', 'L0'], S, 'L0'],
  ['scheme_a', 'min', ['L0//REL A, B', 'L1//REL A, B'], S, 'L0//REL A, B'],
  ['scheme_a', 'min', ['L0//REL B', 'L0//REL B, A'], L, 'LEVEL 0//REL TO GROUP A, GROUP B'],
  ['scheme_a', 'min', ['L0//R1/R2', 'L0'], S, 'L0'],
  ['scheme_a', 'min', ['L0//R1/R2', 'L1//R1/R2'], S, 'L0//XX/R1/R2'],
  ['scheme_a', 'min', ['L0//R1/R2', 'L0//R1'], L, 'LEVEL 0//XX/RESERVE ONE/RESERVE TWO'],
  ['scheme_a', 'min', [null, 'l1//whatever'], L, 'l1//whatever'],
  ['scheme_a_off', 'min', ['L2', 'L1'], L, 'L0'],

  // ---- intersect_user_classification
  ['al_test', 'intersectUser', ['U//REL DEPTS', 'R//GOD//G1'], L, 'UNRESTRICTED//ANY'],
  ['scheme_a', 'intersectUser', ['L2//LE/AC//REL A, B/R1', 'L1//LE//REL B, X/R1/R2'], S, 'L1//LE//REL B/R1'],
  ['scheme_a', 'intersectUser', ['L2//REL A', 'L1//REL B'], S, 'L1'],
  ['scheme_a', 'intersectUser', [null, 'L1'], S, 'L1'],
  ['scheme_a_auto_select_group', 'intersectUser', ['L1//REL B', 'L2//REL B'], S, 'L1//REL B'],

  // ---- build_user_classification
  ['scheme_a', 'buildUser', ['L1//LE//REL A', 'L0//XX'], S, 'L1//LE//REL A, X'],
  ['scheme_a', 'buildUser', ['L1//LE//REL A', 'L0//XX'], L, 'LEVEL 1//LEGAL DEPARTMENT//REL TO GROUP A, GROUP X'],
  ['scheme_a', 'buildUser', ['L0//ORCON/R1', 'L2//AC/R3'], S, 'L2//AC//ORCON/R1/R3'],
  ['scheme_a', 'buildUser', ['L1', null], S, 'L1'],
  ['al_test', 'buildUser', ['U//REL D2', 'U//G2'], S, 'U//REL D2/G2'],
  ['scheme_a_auto_select_group', 'buildUser', ['L1//REL B', 'L0'], S, 'L1//REL B'],
];

function call(row: Row): unknown {
  const [name, op, args, opts] = row;
  const engine = scheme(name) as unknown as Record<Op, (...a: unknown[]) => unknown>;
  const arity = op === 'normalize' || op === 'isValid' ? 1 : 2;
  return engine[op].call(scheme(name), ...args.slice(0, arity), opts);
}

describe('ClassificationEngine: observed Assemblyline results', () => {
  it('has at least 60 rows', () => expect(rows.length).toBeGreaterThanOrEqual(60));

  it.each(rows.map((row) => [`${row[0]} ${row[1]}(${row[2].map((a) => JSON.stringify(a)).join(', ')}) ${JSON.stringify(row[3])}`, row] as const))(
    '%s',
    (_title, row) => {
      const expected = row[4];
      if (expected !== null && typeof expected === 'object') {
        let thrown: unknown;
        try {
          call(row);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).toBeInstanceOf(InvalidClassification);
        expect((thrown as Error).message).toBe(expected.error);
      } else {
        expect(call(row)).toBe(expected);
      }
    },
  );
});
