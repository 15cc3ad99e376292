import { TgError } from '../http/tg-envelope';
import { TgFields } from '../http/tg-fields';
import { sampleLookup } from './sample-lookup';

const lookup = (query: Record<string, unknown>) => sampleLookup(new TgFields(new Map(), query));
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';
const SHA1 = 'da39a3ee5e6b4b0d3255bfef95601890afd80709';
const SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('sampleLookup', () => {
  it('is empty without a look-up key (blank values count as absent)', () => {
    expect(lookup({ limit: '1', org_only: 'true' })).toEqual([]);
    expect(lookup({ id: '', md5: ' ', ioc: '' })).toEqual([]);
  });

  it('reads id, each checksum kind and submission_id, all to hold together', () => {
    expect(lookup({ id: 'abc' })).toEqual([{ filter: { _id: 'abc' } }]);
    expect(lookup({ md5: MD5.toUpperCase() })).toEqual([{ checksum: { algorithm: 'md5', value: MD5 } }]);
    expect(lookup({ sha1: SHA1 })).toEqual([{ checksum: { algorithm: 'sha1', value: SHA1 } }]);
    expect(lookup({ sha256: SHA256 })).toEqual([{ checksum: { algorithm: 'sha256', value: SHA256 } }]);
    expect(lookup({ checksum: SHA1 })).toEqual([{ checksum: { algorithm: 'sha1', value: SHA1 } }]);
    expect(lookup({ submission_id: '4503599627370495' })).toEqual([{ filter: { 'threatgrid.submission_id': 4503599627370495 } }]);
    expect(lookup({ id: 'abc', sha256: SHA256 })).toEqual([{ filter: { _id: 'abc' } }, { checksum: { algorithm: 'sha256', value: SHA256 } }]);
  });

  it('refuses a value of the wrong kind', () => {
    expect(() => lookup({ md5: SHA1 })).toThrow(new TgError('The parameter md5 must be an MD5 checksum (32 hexadecimal digits).', 400));
    expect(() => lookup({ sha256: 'nope' })).toThrow(/^The parameter sha256 must be a SHA-256 checksum/);
    expect(() => lookup({ checksum: 'a'.repeat(50) })).toThrow(/^The parameter checksum must be an MD5, SHA-1 or SHA-256 checksum/);
    expect(() => lookup({ submission_id: '12a' })).toThrow('The parameter submission_id must be an integer (got "12a").');
    expect(() => lookup({ submission_id: '9007199254740993' })).toThrow(TgError);
  });

  it('refuses the keys Hopper does not support, naming each', () => {
    expect(() => lookup({ ioc: 'x' })).toThrow(new TgError('The parameter ioc is not supported by this server.', 400));
    let error: TgError | undefined;
    try {
      lookup({ id: 'abc', submission_ids: '1,2', ip: '1.2.3.4' });
    } catch (caught) {
      error = caught as TgError;
    }
    expect(error?.message).toBe('The parameter submission_ids is not supported by this server.');
    expect(error?.details).toEqual([
      { code: 400, message: 'The parameter submission_ids is not supported by this server.' },
      { code: 400, message: 'The parameter ip is not supported by this server.' },
    ]);
  });
});
