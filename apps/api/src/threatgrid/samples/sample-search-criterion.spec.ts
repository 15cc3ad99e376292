import { TgError } from '../http/tg-envelope';
import { TgFields } from '../http/tg-fields';
import { sampleSearchCriterion } from './sample-search-criterion';

const criterion = (query: Record<string, unknown>) => sampleSearchCriterion(new TgFields(new Map(), query));
const MD5 = 'd41d8cd98f00b204e9800998ecf8427e';

describe('sampleSearchCriterion', () => {
  it('reads each search parameter with its relation', () => {
    expect(criterion({ checksum: MD5 })).toEqual({ relation: 'checksum', match: { checksum: { algorithm: 'md5', value: MD5 } } });
    expect(criterion({ ip: '185.220.101.4' })).toEqual({ relation: 'network-ip', match: { observable: { kind: 'ip', value: '185.220.101.4' } } });
    expect(criterion({ domain: 'Evil-Domain.net' })).toEqual({ relation: 'network-domain', match: { observable: { kind: 'domain', value: 'evil-domain.net' } } });
    expect(criterion({ url: 'http://evil-domain.net/drop' })).toEqual({
      relation: 'network-url',
      match: { observable: { kind: 'url', value: 'http://evil-domain.net/drop' } },
    });
    expect(criterion({ tag: 'campaign-x', org_only: 'True', limit: '5' })).toEqual({ relation: 'tag', match: { filter: { 'threatgrid.tags': 'campaign-x' } } });
  });

  it('needs one, and only one, criterion', () => {
    expect(() => criterion({ org_only: 'true', checksum: '' })).toThrow(new TgError('Give one of the parameters checksum, ip, domain, url, tag to search samples.', 400));
    expect(() => criterion({ checksum: MD5, ip: '185.220.101.4' })).toThrow('Give only one of the parameters checksum, ip: samples are searched by one at a time.');
  });

  it('refuses values that cannot match and parameters Hopper does not support', () => {
    expect(() => criterion({ ip: 'evil.net' })).toThrow('The parameter ip must be an IP address.');
    expect(() => criterion({ domain: 'localhost' })).toThrow('The parameter domain must be a domain name.');
    expect(() => criterion({ checksum: 'abc' })).toThrow(/^The parameter checksum must be/);
    expect(() => criterion({ tag: 'x'.repeat(257) })).toThrow('The parameter tag may have at most 256 characters.');
    expect(() => criterion({ ip: '185.220.101.4', path: 'C:\\x' })).toThrow('The parameter path is not supported by this server.');
    expect(() => criterion({ ip_dst: '185.220.101.4' })).toThrow('The parameter ip_dst is not supported by this server.');
  });
});
