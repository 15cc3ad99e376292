import { acceptIpv4, acceptIpv6, followsVersionWord } from './ipv4-rules';

describe('acceptIpv4', () => {
  it('accepts dotted quads and tells public from private', () => {
    expect(acceptIpv4('8.8.8.8')).toEqual({ value: '8.8.8.8', isPublic: true });
    expect(acceptIpv4('192.168.1.10')).toEqual({ value: '192.168.1.10', isPublic: false });
    expect(acceptIpv4('127.0.0.1')).toEqual({ value: '127.0.0.1', isPublic: false });
    expect(acceptIpv4('10.0.0.1')).toEqual({ value: '10.0.0.1', isPublic: false });
  });

  it('rejects octets above 255 and leading zeros', () => {
    for (const text of ['256.1.1.1', '1.2.3.999', '01.2.3.4', '1.2.3.04', '1.2.3', '1.2.3.4.5']) expect(acceptIpv4(text)).toBeNull();
  });

  it('rejects 0.0.0.0/8, the broadcast address and netmasks', () => {
    for (const text of ['0.0.0.0', '0.9.1.2', '255.255.255.255', '255.255.255.0']) expect(acceptIpv4(text)).toBeNull();
  });
});

describe('acceptIpv6', () => {
  it('normalises addresses and refuses the unspecified one', () => {
    expect(acceptIpv6('2001:4860:4860:0:0:0:0:8888')).toEqual({ value: '2001:4860:4860::8888', isPublic: true });
    expect(acceptIpv6('::1')).toEqual({ value: '::1', isPublic: false });
    expect(acceptIpv6('::')).toBeNull();
    expect(acceptIpv6('not:an:address')).toBeNull();
  });
});

describe('followsVersionWord', () => {
  it('recognises version words and version properties, not words that merely end in "ver"', () => {
    for (const before of ['v', 'version ', 'Version: ', 'ver.', 'FileVersion\n', 'ProductVersion=']) expect(followsVersionWord(before)).toBe(true);
    for (const before of ['server ', 'connect to ', 'conversion ', '']) expect(followsVersionWord(before)).toBe(false);
  });
});
