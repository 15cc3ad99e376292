import { identifyHead } from '@hopper/identify';
import { parseServiceManifest } from '../../contract/manifest-schema';
import { acceptsFileType } from '../../contract/service-selection';
import { EXTRACT_MANIFEST } from './extract-manifest';
import { DEFAULT_EXTRACT_OPTIONS } from './extract-options';
import { ExtractService } from './extract-service';
import { gzipOf, sevenZipOf, tarOf, zipOf } from './test-support/archive-builders';

const typeOf = async (data: Buffer): Promise<string> => (await identifyHead(data.subarray(0, 64 * 1024))).type;

describe('EXTRACT_MANIFEST', () => {
  it('is a valid manifest as written', () => {
    expect(parseServiceManifest(EXTRACT_MANIFEST)).toEqual(EXTRACT_MANIFEST);
    expect(EXTRACT_MANIFEST).toMatchObject({
      name: 'Extract',
      version: '1.0.0',
      category: 'Extraction',
      stage: 'EXTRACT',
      timeout_seconds: 120,
      produces_extracted: true,
      parameters: [{ name: 'password', type: 'str', default: '' }],
    });
  });

  it('accepts the types the identifier gives zip, gzip, tar and 7z archives', async () => {
    const archives: Array<[string, Buffer]> = [
      ['archive/zip', await zipOf([{ name: 'a.txt', data: 'hello' }])],
      ['archive/gzip', gzipOf('hello')],
      ['archive/tar', await tarOf([{ name: 'a.txt', data: 'hello' }])],
      ['archive/7-zip', await sevenZipOf({ 'a.txt': 'hello' })],
    ];
    for (const [expected, data] of archives) {
      const type = await typeOf(data);
      expect(type).toBe(expected);
      expect(acceptsFileType(EXTRACT_MANIFEST, type)).toBe(true);
    }
  });

  it('does not accept zip-based documents the identifier types by their contents, nor other files', async () => {
    const word = await zipOf([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: '<w:document/>' },
    ]);
    const jar = await zipOf([
      { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\n' },
      { name: 'a/B.class', data: 'cafebabe' },
    ]);
    expect(await typeOf(word)).toBe('document/office/word');
    expect(await typeOf(jar)).toBe('java/jar');
    for (const type of ['document/office/word', 'java/jar', 'android/apk', 'text/plain', 'archive/rar', 'archive/zipx', 'empty']) {
      expect(acceptsFileType(EXTRACT_MANIFEST, type)).toBe(false);
    }
  });
});

describe('ExtractService options', () => {
  it('refuses limits that would disable extraction or the bomb checks', () => {
    const limits = { max_entries: 1000, max_total_bytes: 1024, max_ratio: 1000 };
    expect(() => new ExtractService({ defaultPasswords: [], limits: { ...limits, max_entries: 0 } })).toThrow(/max_entries/);
    expect(() => new ExtractService({ defaultPasswords: [], limits: { ...limits, max_ratio: Number.NaN } })).toThrow(/max_ratio/);
    expect(new ExtractService(DEFAULT_EXTRACT_OPTIONS).manifest).toBe(EXTRACT_MANIFEST);
  });

  it('defaults to the passwords infected and password, 1000 entries, 1 GiB and a ratio of 1000', () => {
    expect(DEFAULT_EXTRACT_OPTIONS).toEqual({
      defaultPasswords: ['infected', 'password'],
      limits: { max_entries: 1000, max_total_bytes: 1024 ** 3, max_ratio: 1000 },
    });
  });
});
