import { buildFieldCheck } from './field-check-registry';
import { FieldValueError } from './field-check';
import { MetadataValue } from './metadata-types';

const check = (type: string, value: MetadataValue, params: Record<string, unknown> = {}): MetadataValue =>
  buildFieldCheck(type, params)(value, 'f');

describe('network types', () => {
  it.each([
    ['email', 'Analyst@Example.com'],
    ['domain', 'example.com'],
    ['domain', 'sub_domain.example.co.uk.'],
    ['domain', 'bücher.de'],
    ['ip', '10.0.0.1'],
    ['ip', '2001:db8::1'],
    ['uri', 'https://example.com/path?q=1'],
    ['uri', 'ftp://10.0.0.1:21/file'],
    ['uri', 'custom+scheme://host.example.org'],
  ])('%s accepts %p unchanged', (type, value) => {
    expect(check(type, value)).toBe(value);
  });

  it.each([
    ['email', 'not-an-email', 'email address'],
    ['email', 'a@localhost', 'email address'],
    ['domain', 'localhost', 'domain'],
    ['domain', 'exa mple.com', 'domain'],
    ['ip', '300.1.1.1', 'IP address'],
    ['uri', 'example.com/path', 'URI'],
    ['uri', 'http://localhost/', 'URI'],
  ])('%s refuses %p', (type, value, what) => {
    expect(() => check(type, value)).toThrow(new FieldValueError(`[f] '${value}' is not a valid ${what}`));
  });

  it('refuses empty values', () => {
    expect(() => check('email', '')).toThrow('[f] Empty strings are not allowed without defaults');
  });

  it('narrows ip to one family when asked', () => {
    expect(check('ip', '10.0.0.1', { allow_ipv6: false })).toBe('10.0.0.1');
    expect(() => check('ip', '::1', { allow_ipv6: false })).toThrow("[f] '::1' is not a valid IPv4 address");
    expect(() => check('ip', '10.0.0.1', { allow_ipv4: false })).toThrow("[f] '10.0.0.1' is not a valid IPv6 address");
    expect(() => buildFieldCheck('ip', { allow_ipv4: false, allow_ipv6: false })).toThrow('type ip must allow at least one');
    expect(() => buildFieldCheck('ip', { allow_ipv4: 'no' })).toThrow('allow_ipv4 and allow_ipv6 must be true or false');
  });
});
