import type { HopperConfig } from '@hopper/config';
import { MetadataConfigInput } from './metadata-config';
import { InvalidMetadata, InvalidMetadataScheme } from './metadata-errors';
import { MetadataValidator, ValidateMetadataOptions } from './metadata-validator';

// The validated config section must fit what the validator reads (checked by the compiler).
const fromConfig = (section: HopperConfig['submission']): MetadataValidator => new MetadataValidator(section);
void fromConfig;

function validator(metadata: MetadataConfigInput, maxLength = 4096): MetadataValidator {
  return new MetadataValidator({ metadata, max_metadata_length: maxLength });
}

function message(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidMetadata) return error.message;
    throw error;
  }
  throw new Error('expected InvalidMetadata');
}

const ingest = (type?: string): ValidateMetadataOptions => ({ endpoint: 'ingest', type });

describe('MetadataValidator', () => {
  // The documentation's first example: a required `bloo` on the Submit API.
  const submitScheme = validator({
    submit: { bloo: { validation_type: 'regex', validation_params: { validation_regex: '^blee' }, required: true } },
  });

  it('validates the Submit API against the submit scheme', () => {
    expect(submitScheme.validate({ bloo: 'bleep' }, { endpoint: 'submit' }).metadata).toEqual({ bloo: 'bleep' });
    expect(message(() => submitScheme.validate({}, { endpoint: 'submit' }))).toBe("Required metadata is missing from submission: ['bloo']");
    expect(message(() => submitScheme.validate({ bloo: 'x' }, { endpoint: 'submit' }))).toBe(
      "Validation of 'bloo' of type regex failed: [bloo] 'x' not match the validator: ^blee",
    );
  });

  it('does not apply the submit scheme to ingests', () => {
    expect(submitScheme.validate({}, ingest()).metadata).toEqual({});
  });

  // The documentation's second example: strict INGEST, lenient submit.
  const strictIngest = validator({
    ingest: { INGEST: { epoch: { validation_type: 'int' }, name: { validation_type: 'text' } } },
    submit: { name: { validation_type: 'text' } },
    strict_schemes: ['INGEST'],
  });

  it('refuses undeclared fields on a strict ingest type only', () => {
    expect(strictIngest.validate({ epoch: '1700000000', name: 'x' }, ingest()).metadata).toEqual({ epoch: '1700000000', name: 'x' });
    expect(message(() => strictIngest.validate({ epoch: 1, blah: 'x' }, ingest('INGEST')))).toBe(
      "Extra metadata found from submission: ['blah']",
    );
    expect(strictIngest.validate({ name: 'x', extra: 1 }, { endpoint: 'submit' }).metadata).toEqual({ name: 'x', extra: 1 });
    expect(message(() => strictIngest.validate({ name: '' }, { endpoint: 'submit' }))).toBe(
      "Validation of 'name' of type text failed: [name] Empty strings are not allowed without defaults",
    );
  });

  it('lets a strict ingest scheme tolerate the keys the Ingest API adds itself', () => {
    expect(strictIngest.validate({ ingest_id: 'i', type: 'INGEST', ts: 'NOW' }, ingest()).metadata).toEqual({
      ingest_id: 'i',
      type: 'INGEST',
      ts: 'NOW',
    });
    expect(message(() => strictIngest.validate({ ts: 'NOW' }, { ...ingest(), allowExtra: [] }))).toBe(
      "Extra metadata found from submission: ['ts']",
    );
  });

  // The documentation's third example: `_default` applies to every ingest type.
  const withDefault = validator({
    ingest: {
      _default: { owner: { validation_type: 'text', required: true } },
      INGEST: { epoch: { validation_type: 'int' }, name: { validation_type: 'text' } },
      data_collection: { authorization: { validation_type: 'text', required: true } },
    },
  });

  it('applies ingest._default to every type, with the type\'s own scheme on top', () => {
    expect(message(() => withDefault.validate({ epoch: 1 }, ingest()))).toBe("Required metadata is missing from submission: ['owner']");
    expect(message(() => withDefault.validate({ owner: 'me', epoch: 'x' }, ingest('INGEST')))).toBe(
      "Validation of 'epoch' of type int failed: invalid literal for int() with base 10: 'x'",
    );
    expect(message(() => withDefault.validate({}, ingest('TEST')))).toBe("Required metadata is missing from submission: ['owner']");
    expect(withDefault.validate({ owner: 'me', epoch: 'x' }, ingest('TEST')).metadata).toEqual({ owner: 'me', epoch: 'x' });
    expect(message(() => withDefault.validate({ owner: 'me' }, ingest('data_collection')))).toBe(
      "Required metadata is missing from submission: ['authorization']",
    );
  });

  it('lets a type\'s field replace the _default field of the same name, without changing _default', () => {
    const v = validator({
      ingest: { _default: { owner: { validation_type: 'text' } }, MAIL: { owner: { validation_type: 'email' } } },
    });
    expect(message(() => v.validate({ owner: 'me' }, ingest('MAIL')))).toBe(
      "Validation of 'owner' of type email failed: [owner] 'me' is not a valid email address",
    );
    expect(v.validate({ owner: 'me' }, ingest('INGEST')).metadata).toEqual({ owner: 'me' });
  });

  it('validates the archive scheme too when the submission is auto-archived', () => {
    const v = validator({ archive: { case: { validation_type: 'int', required: true } }, strict_schemes: ['archive'] });
    expect(v.validate({ x: 1 }, { endpoint: 'submit' }).metadata).toEqual({ x: 1 });
    expect(message(() => v.validate({ x: 1 }, { endpoint: 'submit', autoArchive: true }))).toBe(
      "Required metadata is missing from submission: ['case']",
    );
    expect(message(() => v.validate({ case: 1, x: 1 }, { endpoint: 'ingest', autoArchive: true }))).toBe(
      "Extra metadata found from submission: ['x']",
    );
    expect(v.validate({ case: 1 }, { endpoint: 'submit', autoArchive: true }).metadata).toEqual({ case: 1 });
  });

  it('flattens nested metadata before validating', () => {
    const v = validator({ submit: { 'sender.email': { validation_type: 'email', required: true } }, strict_schemes: ['submit'] });
    expect(v.validate({ sender: { email: 'a@example.com' } }, { endpoint: 'submit' }).metadata).toEqual({ 'sender.email': 'a@example.com' });
  });

  it('refuses what the datastore cannot hold before anything else', () => {
    expect(message(() => submitScheme.validate({ a: { 'b\u0000': 1 } }, { endpoint: 'submit' }))).toBe(
      'Invalid metadata key "a.b\\u0000": a key may not contain a NUL character',
    );
    expect(message(() => submitScheme.validate({ a: { b: 'x\u0000' } }, { endpoint: 'submit' }))).toBe(
      'Invalid metadata value for key "a.b": a value may not contain a NUL character',
    );
  });

  it('rejects over-long values by default and strips them on request, before checking required fields', () => {
    const v = validator({ ingest: { INGEST: { name: { validation_type: 'text', required: true } } } }, 3);
    expect(message(() => v.validate({ name: 'abcd' }, ingest()))).toBe("Metadata field 'name' is too long (4 > 3 characters)");
    expect(v.validate({ name: 'abc', note: 'long!' }, { ...ingest(), overLength: 'strip' })).toEqual({
      metadata: { name: 'abc' },
      stripped: ['note'],
    });
    expect(message(() => v.validate({ name: 'abcd' }, { ...ingest(), overLength: 'strip' }))).toBe(
      "Required metadata is missing from submission: ['name']",
    );
  });

  it('refuses a configuration it cannot use, naming every bad field', () => {
    let error: unknown;
    try {
      validator({
        submit: { a: { validation_type: 'nope' } },
        ingest: { _default: { b: { validation_type: 'regex' } }, X: { c: { validation_type: 'enum', validation_params: { values: [] } } } },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidMetadataScheme);
    expect((error as InvalidMetadataScheme).problems).toEqual([
      expect.stringMatching(/^submit\.a: unknown validation type nope/),
      'ingest._default.b: type regex needs a validation_regex string',
      'ingest.X.c: type enum needs a non-empty list of values',
    ]);
  });
});
