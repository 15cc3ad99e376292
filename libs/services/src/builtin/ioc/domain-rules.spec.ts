import { acceptDomain } from './domain-rules';

describe('acceptDomain', () => {
  it('accepts names under an ICANN suffix, lower-cased, trailing dot dropped', () => {
    expect(acceptDomain('evil-domain.net', 'bare')).toBe('evil-domain.net');
    expect(acceptDomain('WWW.EVIL.COM.', 'bare')).toBe('www.evil.com');
    expect(acceptDomain('Google.com', 'bare')).toBe('google.com');
    expect(acceptDomain('cdn.example.co.uk', 'bare')).toBe('cdn.example.co.uk');
    expect(acceptDomain('xn--e1afmkfd.xn--p1ai', 'bare')).toBe('xn--e1afmkfd.xn--p1ai');
    expect(acceptDomain('163.com', 'bare')).toBe('163.com');
  });

  it('rejects malformed names: bad labels, underscores, single labels, numeric TLDs, too long', () => {
    for (const name of ['-evil.com', 'evil-.com', 'a_b.com', 'localhost', 'evil.c0m', 'libssl.so.1', `${'a'.repeat(64)}.com`, `${'abc.'.repeat(63)}com`]) {
      expect(acceptDomain(name, 'bare')).toBeNull();
    }
  });

  it('rejects suffixes outside the ICANN list and bare public suffixes (dll names, local names)', () => {
    for (const name of ['kernel32.dll', 'something.dll', 'KERNEL32.DLL', 'payload.exe', 'server.local', 'co.uk', 'foo.invalid']) {
      expect(acceptDomain(name, 'bare')).toBeNull();
    }
  });

  it('rejects file names whose extension is also a TLD, unless the name was a URL host', () => {
    for (const name of ['update.zip', 'clip.mov', 'setup.py', 'install.sh', 'main.rs', 'script.pl', 'README.md', 'libc.so', 'oem1.cat', 'app.js.map']) {
      expect(acceptDomain(name, 'bare')).toBeNull();
    }
    expect(acceptDomain('update.zip', 'url')).toBe('update.zip');
  });

  it('rejects mixed-case code identifiers but not all-caps names', () => {
    for (const name of ['System.IO', 'System.Net.Security', 'System.Windows.Forms.Design', 'Foo.InteropServices.com']) {
      expect(acceptDomain(name, 'bare')).toBeNull();
    }
    expect(acceptDomain('SYSTEM.IO', 'bare')).toBe('system.io');
    expect(acceptDomain('System.IO', 'url')).toBe('system.io');
  });

  it('rejects member accesses such as this.name and window.top', () => {
    expect(acceptDomain('this.name', 'bare')).toBeNull();
    expect(acceptDomain('window.top', 'bare')).toBeNull();
    expect(acceptDomain('self.info', 'bare')).toBeNull();
    expect(acceptDomain('john.name', 'bare')).toBe('john.name');
  });

  it('rejects version strings', () => {
    expect(acceptDomain('1.2.dev', 'bare')).toBeNull();
    expect(acceptDomain('v3.info', 'bare')).toBeNull();
    expect(acceptDomain('10.0.19041.online', 'bare')).toBeNull();
    expect(acceptDomain('v3.example.info', 'bare')).toBe('v3.example.info');
  });
});

describe('acceptDomain for an email domain', () => {
  it('does not apply the code rules, but does apply the file-name and version rules', () => {
    expect(acceptDomain('Evil-Domain.NET', 'email')).toBe('evil-domain.net');
    expect(acceptDomain('Evil-Domain.NET', 'bare')).toBeNull();
    expect(acceptDomain('setup.py', 'email')).toBeNull();
    expect(acceptDomain('1.2.dev', 'email')).toBeNull();
  });
});
