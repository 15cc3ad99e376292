import { hashApiKey, hashPassword, parseApiKey, verifyApiKey, verifyPassword } from './credentials';
import { effectiveRoles } from './roles';

describe('credentials', () => {
  it('verifies a password against its bcrypt hash and refuses others', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).not.toContain('correct horse');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('wrong horse', hash)).toBe(false);
    expect(await verifyPassword('anything', null)).toBe(false);
  });

  it('stores API keys as salted hashes: same secret, different salts, different hashes', () => {
    const a = hashApiKey('s3cret');
    const b = hashApiKey('s3cret');
    expect(a.hash).not.toBe(b.hash);
    expect(verifyApiKey('s3cret', a)).toBe(true);
    expect(verifyApiKey('s3cret', b)).toBe(true);
    expect(verifyApiKey('s3cre', a)).toBe(false);
  });

  it('parses the name:secret form, secrets may hold colons', () => {
    expect(parseApiKey('mykey:abc:def')).toEqual({ name: 'mykey', secret: 'abc:def' });
    expect(parseApiKey('nocolon')).toBeNull();
    expect(parseApiKey(':secret')).toBeNull();
    expect(parseApiKey('name:')).toBeNull();
  });
});

describe('effectiveRoles', () => {
  it('unions the roles of the types with the direct roles', () => {
    expect(effectiveRoles(['viewer'], ['submission_create'])).toEqual(
      ['alert_view', 'apikey_access', 'file_detail', 'self_manage', 'submission_create', 'submission_view'],
    );
    expect(effectiveRoles(['custom'], ['file_download'])).toEqual(['file_download']);
    expect(effectiveRoles(['admin'], [])).toContain('administration');
    expect(effectiveRoles(['no-such-type'], [])).toEqual([]);
  });
});
