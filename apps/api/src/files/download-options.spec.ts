import { NO_PASSWORD, parseDownloadOptions } from './download-options';

const SHA = 'a'.repeat(64);
const defaults = { encoding: 'cart' as const, zipPassword: 'infected' };

describe('parseDownloadOptions', () => {
  it("defaults as Assemblyline: cart, the file's sha256 as name, the configured zip password, AES-256", () => {
    expect(parseDownloadOptions({}, SHA, defaults)).toEqual({
      encoding: 'cart',
      name: SHA,
      password: 'infected',
      zipEncryption: 'aes256',
      sid: null,
    });
  });

  it('takes the encoding whatever its case, and an empty one as absent', () => {
    expect(parseDownloadOptions({ encoding: 'RAW' }, SHA, defaults)).toMatchObject({ encoding: 'raw' });
    expect(parseDownloadOptions({ encoding: '' }, SHA, defaults)).toMatchObject({ encoding: 'cart' });
    expect(parseDownloadOptions({ encoding: ['zip', 'raw'] }, SHA, defaults)).toMatchObject({ encoding: 'zip' });
  });

  it('refuses an unknown encoding, naming the valid ones', () => {
    expect(parseDownloadOptions({ encoding: 'base64' }, SHA, defaults)).toEqual({
      error: 'BASE64 is not in the valid encoding types: cart, raw, zip',
    });
  });

  it('keeps only a safe base name, and falls back to the sha256 when nothing is left', () => {
    expect(parseDownloadOptions({ name: '../../etc/evil.exe' }, SHA, defaults)).toMatchObject({ name: 'evil.exe' });
    expect(parseDownloadOptions({ name: 'C:\\temp\\a\u0000b.doc' }, SHA, defaults)).toMatchObject({ name: 'ab.doc' });
    expect(parseDownloadOptions({ name: 'dir/' }, SHA, defaults)).toMatchObject({ name: SHA });
  });

  it('needs a password for zip: an empty one, or none configured, is refused', () => {
    expect(parseDownloadOptions({ encoding: 'zip', password: 's3cret' }, SHA, defaults)).toMatchObject({ password: 's3cret' });
    expect(parseDownloadOptions({ encoding: 'zip', password: '' }, SHA, defaults)).toEqual({ error: NO_PASSWORD });
    expect(parseDownloadOptions({ encoding: 'zip' }, SHA, { ...defaults, zipPassword: null })).toEqual({ error: NO_PASSWORD });
    // Other encodings ignore the password.
    expect(parseDownloadOptions({ encoding: 'raw', password: '' }, SHA, defaults)).toMatchObject({ encoding: 'raw' });
  });

  it('takes zipcrypto on request and refuses other zip encryptions', () => {
    expect(parseDownloadOptions({ encoding: 'zip', zip_encryption: 'ZipCrypto' }, SHA, defaults)).toMatchObject({ zipEncryption: 'zipcrypto' });
    expect(parseDownloadOptions({ encoding: 'zip', zip_encryption: 'des' }, SHA, defaults)).toEqual({
      error: 'zip_encryption must be one of aes256, zipcrypto; got "des"',
    });
  });

  it('reads the sid, if any', () => {
    expect(parseDownloadOptions({ sid: ' 5Xyz ' }, SHA, defaults)).toMatchObject({ sid: '5Xyz' });
    expect(parseDownloadOptions({ sid: '' }, SHA, defaults)).toMatchObject({ sid: null });
  });
});
