import { loginCredentials } from './login-credentials';

describe('loginCredentials', () => {
  it('takes a user with an API key, or with a password; the key wins when both are there', () => {
    expect(loginCredentials({ user: 'u', apikey: 'k:s' })).toEqual({ user: 'u', apikey: 'k:s' });
    expect(loginCredentials({ user: 'u', password: 'p' })).toEqual({ user: 'u', password: 'p' });
    expect(loginCredentials({ user: 'u', apikey: 'k:s', password: 'p' })).toEqual({ user: 'u', apikey: 'k:s' });
  });

  it('counts anything but a non-empty string as absent, as Assemblyline does', () => {
    expect(loginCredentials({ user: 'u', apikey: 42, password: 'p' })).toEqual({ user: 'u', password: 'p' });
    for (const body of [
      { user: 'u', apikey: null },
      { user: 'u', password: '' },
      { user: 42, apikey: 'k:s' },
      { user: { $ne: '' }, password: 'p' },
      { user: ['u'], password: 'p' },
      { user: '', apikey: 'k:s' },
      { apikey: 'k:s' },
      {},
    ]) {
      expect(loginCredentials(body)).toBeNull();
    }
  });

  it('reads a body that is not an object as empty', () => {
    for (const body of [undefined, null, 'user', 42, [{ user: 'u', password: 'p' }]]) expect(loginCredentials(body)).toBeNull();
  });

  it('never reads an inherited field', () => {
    const body = Object.create({ user: 'u', password: 'p' }) as object;
    expect(loginCredentials(body)).toBeNull();
  });
});
