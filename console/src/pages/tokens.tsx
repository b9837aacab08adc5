// API tokens: create (the value shown once), list with owner, created, last used, expires; revoke.
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me, when } from '../api';
import { ErrorBox, Section, ShownOnce } from '../ui';

interface ApiToken {
  id: string;
  name: string;
  userId: string;
  created: string;
  expiresAt: string;
  tokenWindow: string;
}

// lastUsed is not part of Okta's ApiToken: expiresAt is lastUsed + tokenWindow (P30D).
function lastUsed(t: ApiToken): string | null {
  const days = /^P(\d+)D$/.exec(t.tokenWindow);
  if (!days) return null;
  const used = new Date(t.expiresAt).getTime() - Number(days[1]) * 86400_000;
  return used <= new Date(t.created).getTime() + 1000 ? null : new Date(used).toISOString();
}

export function Tokens({ me, startNew }: { me: Me; startNew: boolean }) {
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [owners, setOwners] = useState<Record<string, string>>({ [me.user.id]: me.user.login });
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(startNew);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    call<ApiToken[]>('GET', '/api/v1/api-tokens?limit=200')
      .then(setTokens)
      .catch(setError);
  useEffect(() => {
    load();
    if (can(me, 'users.read'))
      call<any[]>('GET', '/api/v1/users?limit=200')
        .then((us) => setOwners(Object.fromEntries(us.map((u) => [u.id, u.profile.login]))))
        .catch(() => {});
  }, []);
  return (
    <>
      <h1>API tokens</h1>
      <p class="muted">
        An API token acts as its owner with every permission of the owner's admin roles. Prefer an API service app (OAuth client
        credentials) for programs; use a token only when OAuth is not possible.
      </p>
      <ErrorBox error={error} />
      {created && <ShownOnce title={`Token “${created.name}” created`} value={created.token} onDone={() => setCreated(null)} />}
      <Section
        title="Tokens"
        actions={
          !creating && (
            <button type="button" data-testid="new-token" onClick={() => setCreating(true)}>
              Create token
            </button>
          )
        }
      >
        {creating && (
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              setError(null);
              try {
                const t = await call<ApiToken & { token: string }>('POST', '/api/v1/api-tokens', { name });
                setCreated({ name: t.name, token: t.token });
                setName('');
                setCreating(false);
                load();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <label>
              Name
              <input name="token-name" value={name} onInput={(e) => setName(e.currentTarget.value)} required maxLength={255} />
            </label>
            <button type="submit">Create</button>
            <button type="button" class="secondary" onClick={() => setCreating(false)}>
              Cancel
            </button>
          </form>
        )}
        <table data-testid="token-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Owner</th>
              <th>Created</th>
              <th>Last used</th>
              <th>Expires</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr data-token-id={t.id}>
                <td>{t.name}</td>
                <td>{owners[t.userId] ?? t.userId}</td>
                <td>{when(t.created)}</td>
                <td>{lastUsed(t) ? when(lastUsed(t)) : 'never'}</td>
                <td title={`after ${t.tokenWindow} unused`}>{when(t.expiresAt)}</td>
                <td>
                  <button
                    type="button"
                    class="danger"
                    onClick={async () => {
                      if (!confirm(`Revoke the token “${t.name}”? Programs using it stop working at once.`)) return;
                      try {
                        await call('DELETE', `/api/v1/api-tokens/${t.id}`);
                        load();
                      } catch (err) {
                        setError(err);
                      }
                    }}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {tokens.length === 0 && <p class="muted">No tokens.</p>}
      </Section>
    </>
  );
}
