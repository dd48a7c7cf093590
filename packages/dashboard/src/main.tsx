import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { isUnauthorized, makeClient, toShownError, type ShownError } from './api.js';
import { ErrorBox } from './components.js';
import { AppPage } from './pages/app-page.js';
import { AppsPage } from './pages/apps.js';
import { SignIn } from './pages/sign-in.js';
import { navigate, onLinkClick, useRoute } from './router.js';
import { SessionContext, type Session } from './session.js';
import './style.css';

interface Signed {
  label: string;
  admin: boolean;
  csrfToken: string | null;
}

function Dashboard() {
  const route = useRoute();
  const [signed, setSigned] = useState<Signed | null | undefined>(undefined);
  const [error, setError] = useState<ShownError | null>(null);
  useEffect(() => {
    makeClient().call('getSession', {}).then(setSigned, (failure: unknown) => (isUnauthorized(failure) ? setSigned(null) : setError(toShownError(failure))));
  }, []);
  useEffect(() => {
    if (signed === null && route.page !== 'sign-in') navigate('/ui/sign-in');
    if (signed && route.page === 'sign-in') navigate('/');
  }, [signed, route.page]);
  if (error) return <main><ErrorBox error={error} /></main>;
  if (signed === undefined) return <main aria-busy="true"><p>Loading…</p></main>;
  if (signed === null) return <SignIn onSignedIn={setSigned} />;
  const client = makeClient(signed.csrfToken);
  const session: Session = { client, label: signed.label, admin: signed.admin, expired: () => setSigned(null) };
  const signOut = () => {
    client.call('deleteSession', {}).then(() => setSigned(null), (failure: unknown) => setError(toShownError(failure)));
  };
  return (
    <SessionContext.Provider value={session}>
      <header class="top">
        <a href="/" class="brand" onClick={onLinkClick}>Dozen</a>
        <nav aria-label="Main">
          <a href="/" onClick={onLinkClick} aria-current={route.page === 'apps' ? 'page' : undefined}>Apps</a>
        </nav>
        <span class="who" aria-label="Signed in as">{signed.label}</span>
        <button type="button" onClick={signOut}>Sign out</button>
      </header>
      <main id="main">
        {route.page === 'app' ? <AppPage app={route.app} tab={route.tab} /> : <AppsPage />}
      </main>
    </SessionContext.Provider>
  );
}

render(<Dashboard />, document.getElementById('root')!);
