import { compileScheme, mergeSchemes } from './compiled-scheme';

describe('compileScheme', () => {
  it('reads both spellings of type and params, with their defaults', () => {
    const problems: string[] = [];
    const scheme = compileScheme(
      {
        a: { validation_type: 'regex', validation_params: { validation_regex: '^x' }, required: true, aliases: ['A'] },
        b: { validator_type: 'int', validator_params: { max: 3 }, default: '1' },
        c: { required: true },
      },
      'submit',
      problems,
    );
    expect(problems).toEqual([]);
    expect(scheme.map(({ name, type, required, aliases, default: d }) => ({ name, type, required, aliases, d }))).toEqual([
      { name: 'a', type: 'regex', required: true, aliases: ['A'], d: undefined },
      { name: 'b', type: 'int', required: false, aliases: [], d: '1' },
      { name: 'c', type: undefined, required: true, aliases: [], d: undefined },
    ]);
    expect(scheme[0].check).toBeDefined();
    expect(scheme[2].check).toBeUndefined();
  });

  it('collects every problem with its config path', () => {
    const problems: string[] = [];
    compileScheme(
      {
        bad_type: { validation_type: 'str' },
        clash: { validation_type: 'text', validator_type: 'keyword' },
        params_clash: { validation_type: 'int', validation_params: { max: 1 }, validator_params: { max: 2 } },
        orphan_params: { validation_params: { max: 1 } },
        ok_same: { validation_type: 'text', validator_type: 'text' },
      },
      'ingest.INGEST',
      problems,
    );
    expect(problems).toEqual([
      expect.stringMatching(/^ingest\.INGEST\.bad_type: unknown validation type str/),
      'ingest.INGEST.clash: validation_type and validator_type disagree; give one of them',
      'ingest.INGEST.params_clash: validation_params and validator_params disagree; give one of them',
      'ingest.INGEST.orphan_params: validation_params given without a validation_type',
    ]);
  });
});

describe('mergeSchemes', () => {
  it('replaces same-named fields in place and appends the rest, like dict.update', () => {
    const problems: string[] = [];
    const base = compileScheme({ owner: { validation_type: 'text' }, epoch: { validation_type: 'int' } }, 'b', problems);
    const overlay = compileScheme({ extra: { validation_type: 'text' }, owner: { validation_type: 'email' } }, 'o', problems);
    expect(mergeSchemes(base, overlay).map((f) => `${f.name}:${f.type}`)).toEqual(['owner:email', 'epoch:int', 'extra:text']);
  });
});
