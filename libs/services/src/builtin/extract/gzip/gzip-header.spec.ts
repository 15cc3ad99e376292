import { gzipSync } from 'node:zlib';
import { gzipOf } from '../test-support/archive-builders';
import { gunzippedName, gzipStoredName } from './gzip-header';

describe('gzipStoredName', () => {
  it('reads FNAME from the header', () => {
    expect(gzipStoredName(gzipOf('hello', 'report.txt'))).toBe('report.txt');
  });

  it('is null without FNAME', () => {
    expect(gzipStoredName(gzipSync('hello'))).toBeNull();
  });

  it('skips the extra field before the name', () => {
    const header = Buffer.from([0x1f, 0x8b, 0x08, 0x0c, 0, 0, 0, 0, 0, 3, 4, 0, 1, 2, 3, 4]);
    expect(gzipStoredName(Buffer.concat([header, Buffer.from('x.bin\0')]))).toBe('x.bin');
  });
});

describe('gunzippedName', () => {
  it('prefers the stored name, sanitised', () => {
    expect(gunzippedName('../../etc/cron.d/evil', 'a.gz')).toBe('etc/cron.d/evil');
  });

  it('derives the name from the archive name', () => {
    expect(gunzippedName(null, 'logs.txt.gz')).toBe('logs.txt');
    expect(gunzippedName(null, 'bundle.tgz')).toBe('bundle.tar');
    expect(gunzippedName(null, 'sample')).toBe('sample.gunzip');
  });
});
