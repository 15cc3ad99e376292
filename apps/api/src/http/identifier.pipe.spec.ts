import { BadRequestException } from '@nestjs/common';
import { IdentifierPipe } from './identifier.pipe';
import { identifierError, MAX_IDENTIFIER_LENGTH } from './identifiers';

describe('identifierError', () => {
  it('takes ordinary identifiers', () => {
    for (const value of ['4FK7vW0q6ESy1bTGaBEkjM', 'a'.repeat(64), 'user_01', 'jean.dupont@example.org', 'clé']) expect(identifierError('sid', value)).toBeNull();
    expect(identifierError('sid', 'x'.repeat(MAX_IDENTIFIER_LENGTH))).toBeNull();
  });

  it.each(['a\u0000b', '\u0001', 'tab\there', 'line\n', 'del\u007f', 'c1\u0085'])('refuses %j, naming the field', (value) => {
    expect(identifierError('copy_sid', value)).toBe('copy_sid must not contain control characters');
  });

  it('refuses what is longer than any identifier', () => {
    expect(identifierError('user', 'x'.repeat(MAX_IDENTIFIER_LENGTH + 1))).toBe(`user must be at most ${MAX_IDENTIFIER_LENGTH} characters`);
  });
});

describe('IdentifierPipe', () => {
  const pipe = new IdentifierPipe();
  const refusal = (run: () => unknown): string => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(BadRequestException);
      return (error as Error).message;
    }
    throw new Error('not refused');
  };

  it('checks a named path parameter by the name the caller knows it by', () => {
    expect(pipe.transform('abc', { type: 'param', data: 'sid' })).toBe('abc');
    expect(refusal(() => pipe.transform('a\u0000', { type: 'param', data: 'ingestId' }))).toBe('ingest_id must not contain control characters');
  });

  it('checks identifiers inside a whole query object, every value of a repeated one', () => {
    expect(pipe.transform({ copy_sid: 'ok', name: 'a\u0000' }, { type: 'query', data: undefined })).toEqual({ copy_sid: 'ok', name: 'a\u0000' });
    expect(refusal(() => pipe.transform({ copy_sid: ['ok', 'b\u0001'] }, { type: 'query', data: undefined }))).toBe('copy_sid must not contain control characters');
  });

  it('leaves parameters that name no record, bodies and custom arguments alone', () => {
    expect(pipe.transform('a\u0000', { type: 'param', data: 'service' })).toBe('a\u0000');
    expect(pipe.transform({ sid: 'a\u0000' }, { type: 'body', data: undefined })).toEqual({ sid: 'a\u0000' });
    expect(pipe.transform('a\u0000', { type: 'custom', data: 'sid' })).toBe('a\u0000');
  });
});
