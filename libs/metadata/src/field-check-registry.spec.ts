import { buildFieldCheck, METADATA_FIELD_TYPES } from './field-check-registry';
import { SchemeProblem } from './field-check';

describe('field check registry', () => {
  it('knows every type the requirements name, including the `int` spelling', () => {
    expect([...METADATA_FIELD_TYPES].sort()).toEqual(
      ['boolean', 'date', 'domain', 'email', 'enum', 'float', 'int', 'integer', 'ip', 'keyword', 'list', 'lower', 'md5', 'regex', 'sha1', 'sha256', 'text', 'upper', 'uri'].sort(),
    );
  });

  it('refuses unknown types, listing the known ones', () => {
    expect(() => buildFieldCheck('str', {})).toThrow(SchemeProblem);
    expect(() => buildFieldCheck('toString', {})).toThrow(`unknown validation type toString (one of: ${METADATA_FIELD_TYPES.join(', ')})`);
  });
});
