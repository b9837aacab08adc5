// The Gatehouse admin console (issue 17): a single-page app served at ORG/admin/. Routes live in
// the URL fragment (#/tokens) so that every page is the same index.html.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, can, Me, ORG_URL, setSession, signIn, signOut, whoAmI } from './api';
import { ErrorBox } from './components/ui';
import { Overview } from './pages/overview';
import { Tokens } from './pages/tokens';
import { Apps, AppPage, AppWizard } from './pages/apps';
import { SystemLog } from './pages/logs';
import { Users, Groups, GroupPage } from './pages/directory';
import { AuthServers, AuthServerPage } from './pages/auth_servers';
import { IntegrationsHub } from './pages/integrations';

function useRoute(): string {
  const [route, setRoute] = useState(location.hash.slice(1) || '/');
  useEffect(() => {
    const on = () => setRoute(location.hash.slice(1) || '/');
    addEventListener('hashchange', on);
    return () => removeEventListener('hashchange', on);
  }, []);
  return route;
}

function SignIn({ onSignedIn }: { onSignedIn: () => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  return (
    <main class="signin">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          setBusy(true);
          setError(null);
          try {
            await signIn(login, password);
            setPassword('');
            onSignedIn();
          } catch (err) {
            const a = err as ApiError;
            setError(
              a.status === 429
                ? new Error('Too many failed sign-ins. Wait a few minutes and try again.')
                : a.status === 401
                  ? new Error('Sign-in failed: check the login and password (only admins may sign in).')
                  : err,
            );
          } finally {
            setBusy(false);
          }
        }}
      >
        <h1>Gatehouse</h1>
        <p class="muted">Admin console · {ORG_URL}</p>
        <label>
          Login
          <input name="login" autocomplete="username" value={login} onInput={(e) => setLogin(e.currentTarget.value)} required />
        </label>
        <label>
          Password
          <input
            name="password"
            type="password"
            autocomplete="current-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            required
          />
        </label>
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}

const NAV: { path: string; label: string; needs: string }[] = [
  { path: '/', label: 'Overview', needs: '' },
  { path: '/tokens', label: 'API tokens', needs: '' },
  { path: '/apps', label: 'Applications', needs: 'apps.read' },
  { path: '/users', label: 'Users', needs: 'users.read' },
  { path: '/groups', label: 'Groups', needs: 'groups.read' },
  { path: '/authorization-servers', label: 'Authorization servers', needs: 'authorizationServers.read' },
  { path: '/integrations', label: 'Integrations', needs: 'oauthIntegrations.read' },
  { path: '/logs', label: 'System Log', needs: 'logs.read' },
];

function Shell({ me, onSignOut }: { me: Me; onSignOut: () => void }) {
  const route = useRoute();
  const base = '/' + (route.split('?')[0].split('/')[1] ?? '');
  let page;
  if (route === '/' || route === '') page = <Overview me={me} />;
  else if (route.startsWith('/tokens')) page = <Tokens me={me} startNew={route.includes('new')} />;
  else if (route === '/apps/new') page = <AppWizard me={me} />;
  else if (route.startsWith('/apps/')) page = <AppPage me={me} id={route.slice(6)} />;
  else if (route.startsWith('/apps')) page = <Apps me={me} />;
  else if (route.startsWith('/users')) page = <Users me={me} />;
  else if (route.startsWith('/groups/')) page = <GroupPage me={me} id={route.slice(8)} />;
  else if (route.startsWith('/groups')) page = <Groups me={me} />;
  else if (route.startsWith('/authorization-servers/')) page = <AuthServerPage me={me} id={route.slice(23)} />;
  else if (route.startsWith('/authorization-servers')) page = <AuthServers me={me} />;
  else if (route.startsWith('/integrations')) page = <IntegrationsHub me={me} route={route} />;
  else if (route.startsWith('/logs')) page = <SystemLog me={me} />;
  else page = <p>Not found.</p>;
  const name = [me.user.firstName, me.user.lastName].filter(Boolean).join(' ') || me.user.login;
  return (
    <div class="shell">
      <nav>
        <div class="brand">Gatehouse</div>
        <div class="org">{me.orgName}</div>
        {NAV.filter((n) => !n.needs || can(me, n.needs)).map((n) => (
          <a href={'#' + n.path} class={base === n.path ? 'active' : ''}>
            {n.label}
          </a>
        ))}
        <div class="me">
          <div title={me.user.login}>{name}</div>
          <div class="muted small">{me.roles.join(', ')}</div>
          <button type="button" class="secondary" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </nav>
      <main>{page}</main>
    </div>
  );
}

function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const load = async () => {
    try {
      const m = await whoAmI();
      setSession(m.csrfToken, () => setMe(null));
      setMe(m);
    } catch {
      setMe(null);
    }
  };
  useEffect(() => {
    load();
  }, []);
  if (me === undefined) return <p class="loading">Loading…</p>;
  if (me === null) return <SignIn onSignedIn={load} />;
  return (
    <Shell
      me={me}
      onSignOut={async () => {
        try {
          await signOut();
        } finally {
          setMe(null);
          location.hash = '#/';
        }
      }}
    />
  );
}

render(<App />, document.getElementById('app')!);
