import { useEffect, useState } from 'preact/hooks';
import { api, SESSION_ENDED, Whoami } from './api';
import { navigate, onLinkClick, usePath } from './router';
import { LoginPage } from './pages/login';
import { SubmitPage } from './pages/submit';
import { SubmissionsPage } from './pages/submissions';
import { SubmissionPage } from './pages/submission';
import { OperatorsPage } from './pages/operators';

export function App() {
  const path = usePath();
  const [me, setMe] = useState<Whoami | null | undefined>(undefined);

  // Any failure to say who the caller is (no session, expired, server unreachable) shows the login form.
  const loadMe = () =>
    api<Whoami>('/api/v4/user/whoami/')
      .then(setMe)
      .catch(() => setMe(null));
  useEffect(() => {
    void loadMe();
    const ended = () => setMe(null);
    addEventListener(SESSION_ENDED, ended);
    return () => removeEventListener(SESSION_ENDED, ended);
  }, []);

  if (me === undefined) return <p class="loading">Loading…</p>;
  if (me === null) return <LoginPage onLoggedIn={() => loadMe().then(() => path === '/login' && navigate('/'))} />;

  const logout = async () => {
    await api('/api/v4/auth/logout/').catch(() => undefined);
    setMe(null);
    navigate('/login');
  };

  const submission = /^\/submissions\/([^/]+)\/?$/.exec(path);
  let page;
  if (submission) page = <SubmissionPage me={me} sid={decodeURIComponent(submission[1])} />;
  else if (path.startsWith('/submissions')) page = <SubmissionsPage me={me} />;
  else if (path.startsWith('/operators')) page = me.is_admin ? <OperatorsPage /> : <p role="alert">The Operators page is for administrators.</p>;
  else page = <SubmitPage me={me} />;

  const link = (href: string, label: string) => (
    <a href={href} onClick={onLinkClick} aria-current={path === href || (href !== '/' && path.startsWith(href)) ? 'page' : undefined}>
      {label}
    </a>
  );
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header>
        <span class="brand">Hopper</span>
        <nav aria-label="Main">
          {link('/', 'Submit')}
          {link('/submissions', 'My submissions')}
          {me.is_admin && link('/operators', 'Operators')}
        </nav>
        <span class="who">
          {me.username} · <span class="c12n">{me.classification}</span>
        </span>
        <button type="button" onClick={logout}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {page}
      </main>
    </>
  );
}
