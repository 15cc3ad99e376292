import { TgError } from '../http/tg-envelope';
import { holdsObservable, observableInQuery, observableOf } from './observable';

describe('observableOf', () => {
  it('takes IPv4 as given and IPv6 in the compressed lower-case form the IOC service tags', () => {
    expect(observableOf('ip', ' 185.220.101.4 ')).toEqual({ kind: 'ip', value: '185.220.101.4' });
    expect(observableOf('ip', '2001:DB8:0:0:0:0:0:1')).toEqual({ kind: 'ip', value: '2001:db8::1' });
    expect(observableOf('ip', '185.220.101')).toBeNull();
    expect(observableOf('ip', 'evil.net')).toBeNull();
  });

  it('takes domains in lower case without a final dot', () => {
    expect(observableOf('domain', 'C2.Evil-Domain.NET.')).toEqual({ kind: 'domain', value: 'c2.evil-domain.net' });
    expect(observableOf('domain', 'localhost')).toBeNull();
    expect(observableOf('domain', 'evil domain.net')).toBeNull();
  });

  it('takes URLs exactly as given, without spaces', () => {
    expect(observableOf('url', 'http://evil-domain.net/Drop?x=1')).toEqual({ kind: 'url', value: 'http://evil-domain.net/Drop?x=1' });
    expect(observableOf('url', 'http://a b')).toBeNull();
    expect(observableOf('url', '  ')).toBeNull();
    expect(observableOf('url', `http://x.net/${'a'.repeat(4096)}`)).toBeNull();
  });
});

describe('observableInQuery', () => {
  it('recognises URLs, IP addresses and domains by their shape', () => {
    expect(observableInQuery('https://evil-domain.net/drop')).toEqual({ kind: 'url', value: 'https://evil-domain.net/drop' });
    expect(observableInQuery('185.220.101.4')).toEqual({ kind: 'ip', value: '185.220.101.4' });
    expect(observableInQuery('fe80::1')).toEqual({ kind: 'ip', value: 'fe80::1' });
    expect(observableInQuery('Evil-Domain.net')).toEqual({ kind: 'domain', value: 'evil-domain.net' });
  });

  it('leaves file names, words and other forms to the file-name search', () => {
    for (const text of ['invoice.pdf', 'quarterly-report.txt', 'setup.EXE', 'run.sh', 'invoice', 'inv(1).pdf', 'score:>=70', '1.2.3']) {
      expect(observableInQuery(text)).toBeNull();
    }
  });

  it('searches what an ip:, domain: or url: prefix says, and refuses what cannot be one', () => {
    expect(observableInQuery('domain:run.sh')).toEqual({ kind: 'domain', value: 'run.sh' });
    expect(observableInQuery('IP: 10.0.0.1')).toEqual({ kind: 'ip', value: '10.0.0.1' });
    expect(observableInQuery('url:evil.net/x')).toEqual({ kind: 'url', value: 'evil.net/x' });
    expect(() => observableInQuery('ip:evil.net')).toThrow(new TgError('q: "evil.net" is not an IP address.', 400));
  });
});

describe('holdsObservable', () => {
  const tags = [
    { type: 'network.static.domain', value: '185.220.101.4' },
    { type: 'network.dynamic.ip', value: '45.77.12.34' },
    { type: 'network.static.uri', value: 'http://evil-domain.net/drop' },
  ];

  it('needs one tag of the kind with the value, not a type and a value of two different tags', () => {
    expect(holdsObservable(tags, { kind: 'ip', value: '45.77.12.34' })).toBe(true);
    expect(holdsObservable(tags, { kind: 'ip', value: '185.220.101.4' })).toBe(false);
    expect(holdsObservable(tags, { kind: 'url', value: 'http://evil-domain.net/drop' })).toBe(true);
    expect(holdsObservable(tags, { kind: 'domain', value: 'evil-domain.net' })).toBe(false);
  });
});
