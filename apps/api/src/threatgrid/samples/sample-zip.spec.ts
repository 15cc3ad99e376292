import { DEFAULT_SAMPLE_ZIP_ENCRYPTION, sampleZipEncryption, sampleZipEntryName } from './sample-zip';

describe('sample.zip options', () => {
  it('is ZipCrypto unless asked otherwise (what Python clients can open)', () => {
    expect(DEFAULT_SAMPLE_ZIP_ENCRYPTION).toBe('zipcrypto');
    expect(sampleZipEncryption(undefined)).toBe('zipcrypto');
    expect(sampleZipEncryption('')).toBe('zipcrypto');
    expect(sampleZipEncryption(' AES256 ')).toBe('aes256');
  });

  it('refuses an unknown encryption, naming the choices', () => {
    expect(sampleZipEncryption('rot13')).toEqual({ error: 'zip_encryption must be one of aes256, zipcrypto; got "rot13".' });
  });

  it("names the entry after the submitted file's base name, else its sha256", () => {
    const sha256 = 'e'.repeat(64);
    expect(sampleZipEntryName({ name: 'C:\\Users\\me\\invoice.pdf', sha256, size: 1 })).toBe('invoice.pdf');
    expect(sampleZipEntryName({ name: '../../etc/passwd', sha256, size: 1 })).toBe('passwd');
    expect(sampleZipEntryName({ name: 'http://127.0.0.1:8080/drop/invoice.txt', sha256, size: 1 })).toBe('invoice.txt');
    expect(sampleZipEntryName({ name: 'http://127.0.0.1:8080/', sha256, size: 1 })).toBe(sha256);
  });
});
