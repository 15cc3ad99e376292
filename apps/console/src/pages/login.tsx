import { useState } from 'preact/hooks';
import { postJson } from '../api';

/** Assemblyline's login (POST /api/v4/auth/login/): a password or an API key; the API sets the session cookies. */
export function LoginPage({ onLoggedIn }: { onLoggedIn: () => void }) {
  const [method, setMethod] = useState<'password' | 'apikey'>('password');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget as HTMLFormElement);
    const user = String(form.get('user') ?? '');
    const secret = String(form.get('secret') ?? '');
    setBusy(true);
    setError('');
    try {
      await postJson('/api/v4/auth/login/', method === 'password' ? { user, password: secret } : { user, apikey: secret });
      onLoggedIn();
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="login">
      <h1>Hopper console</h1>
      <form onSubmit={submit} aria-describedby={error ? 'login-error' : undefined}>
        <label for="user">User name</label>
        <input id="user" name="user" autoComplete="username" required />
        <fieldset>
          <legend>Sign in with</legend>
          <label>
            <input type="radio" name="method" checked={method === 'password'} onChange={() => setMethod('password')} /> Password
          </label>
          <label>
            <input type="radio" name="method" checked={method === 'apikey'} onChange={() => setMethod('apikey')} /> API key
          </label>
        </fieldset>
        <label for="secret">{method === 'password' ? 'Password' : 'API key'}</label>
        <input id="secret" name="secret" type="password" autoComplete={method === 'password' ? 'current-password' : 'off'} required />
        {error && (
          <p id="login-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy}>
          Log in
        </button>
      </form>
    </main>
  );
}
