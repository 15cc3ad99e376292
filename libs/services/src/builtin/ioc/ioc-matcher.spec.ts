import { IocCollector, type IocTagType } from './ioc-collector';
import { IocMatcher, trimUrl } from './ioc-matcher';
import type { StringChannel } from './string-extractor';

function scan(texts: string[], channel: StringChannel = 'narrow', continued = false): IocCollector {
  const collector = new IocCollector();
  const matcher = new IocMatcher(collector);
  for (const text of texts) matcher.scan({ text, channel, continued });
  return collector;
}

const values = (collector: IocCollector, type: IocTagType) => collector.values(type);

describe('IocMatcher', () => {
  it('finds URLs and tags their hosts as domains or IPs', () => {
    const found = scan(['GET http://evil-domain.net/payload.bin?id=1 HTTP/1.1', 'see (https://203.0.113.9:8443/x).', 'ftp://files.evil-domain.org/a']);
    expect(values(found, 'network.static.uri')).toEqual(['http://evil-domain.net/payload.bin?id=1', 'https://203.0.113.9:8443/x', 'ftp://files.evil-domain.org/a']);
    expect(values(found, 'network.static.domain')).toEqual(expect.arrayContaining(['evil-domain.net', 'files.evil-domain.org']));
    expect(values(found, 'network.static.ip')).toEqual(['203.0.113.9']);
    expect(found.sawPublic('network.static.uri')).toBe(true);
  });

  it('keeps a URL whose host has a file-extension TLD, and its host', () => {
    const found = scan(['download from https://update.zip/file now']);
    expect(values(found, 'network.static.uri')).toEqual(['https://update.zip/file']);
    expect(values(found, 'network.static.domain')).toEqual(['update.zip']);
  });

  it('drops URLs whose host is not acceptable, and does not recognise defanged URLs', () => {
    const found = scan(['http://localhost:8080/', 'http://kernel32.dll/x', 'http://0.0.0.0/', 'hxxp://evil-domain.net/x']);
    expect(values(found, 'network.static.uri')).toEqual([]);
    expect(values(found, 'network.static.domain')).toEqual(['evil-domain.net']); // the bare name in the defanged text
  });

  it('does not score a URL to a private address', () => {
    const found = scan(['http://192.168.0.5/admin']);
    expect(values(found, 'network.static.uri')).toEqual(['http://192.168.0.5/admin']);
    expect(found.sawPublic('network.static.uri')).toBe(false);
  });

  it('finds bare domains and skips dll names, file names, code identifiers and versions', () => {
    const found = scan(['beacon to c2.evil-domain.net.', 'kernel32.dll', 'C:\\temp\\update.zip', 'System.IO', 'using System.Net.Security;', 'this.name = 1', 'build 1.2.dev']);
    expect(values(found, 'network.static.domain')).toEqual(['c2.evil-domain.net']);
  });

  it('finds email addresses and their domains, lower-cased', () => {
    const found = scan(['contact: Admin.Ops@Evil-Domain.NET;', 'icon@2x.png', 'bad..dots@evil-domain.net', 'x@setup.py']);
    expect(values(found, 'network.email.address')).toEqual(['admin.ops@evil-domain.net']);
    expect(values(found, 'network.static.domain')).toEqual(['evil-domain.net']);
  });

  it('finds IPv4 addresses and keeps private ones without counting them public', () => {
    const found = scan(['connect 8.8.8.8:53 then 10.1.2.3']);
    expect(values(found, 'network.static.ip')).toEqual(['8.8.8.8', '10.1.2.3']);
    expect(found.sawPublic('network.static.ip')).toBe(true);
    expect(scan(['10.1.2.3']).sawPublic('network.static.ip')).toBe(false);
  });

  it('skips invalid octets, leading zeros, 0.0.0.0 and longer dotted runs', () => {
    const found = scan(['256.1.2.3', '1.2.3.04', 'bind 0.0.0.0', 'oid 1.3.6.1.4.1.311', 'mask 255.255.255.0']);
    expect(values(found, 'network.static.ip')).toEqual([]);
  });

  it('skips version numbers told by the text before them, in the same or the previous string', () => {
    expect(values(scan(['v1.2.3.4', 'version 5.6.7.8', 'Version: 9.10.11.12']), 'network.static.ip')).toEqual([]);
    expect(values(scan(['FileVersion', '6.1.7601.17514'], 'wide-even'), 'network.static.ip')).toEqual([]);
    expect(values(scan(['server 6.1.7.9'], 'wide-even'), 'network.static.ip')).toEqual(['6.1.7.9']);
  });

  it('in a continued window, ignores a match at the very start (its left part may be cut off)', () => {
    expect(values(scan(['vil-domain.net and evil-domain.org'], 'narrow', true), 'network.static.domain')).toEqual(['evil-domain.org']);
  });
});

describe('trimUrl', () => {
  it('drops sentence punctuation and unbalanced closing brackets', () => {
    expect(trimUrl('http://a.com/x.')).toBe('http://a.com/x');
    expect(trimUrl('http://a.com/x),')).toBe('http://a.com/x');
    expect(trimUrl('http://a.com/wiki/Foo_(bar)')).toBe('http://a.com/wiki/Foo_(bar)');
    expect(trimUrl('http://[::1]:80/')).toBe('http://[::1]:80/');
  });
});
