// API tokens: create (the value shown once), list with owner, created, last used, expires; revoke.
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton, NewButton } from '../components/buttons';
import { Field, Form } from '../components/form';
import { Table } from '../components/table';
import { ErrorBox, Section, ShownOnce } from '../components/ui';

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
  const { error, act } = useResource(() => call<ApiToken[]>('GET', '/api/v1/api-tokens?limit=200').then(setTokens));
  useEffect(() => {
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
          <NewButton show={!creating} testid="new-token" onClick={() => setCreating(true)}>
            Create token
          </NewButton>
        }
      >
        {creating && (
          <Form
            submit="Create"
            onSubmit={act(async () => {
              const t = await call<ApiToken & { token: string }>('POST', '/api/v1/api-tokens', { name });
              setCreated({ name: t.name, token: t.token });
              setName('');
              setCreating(false);
            })}
            onCancel={() => setCreating(false)}
          >
            <Field label="Name" name="token-name" value={name} onValue={setName} required maxLength={255} />
          </Form>
        )}
        <Table
          testid="token-table"
          head={['Name', 'Owner', 'Created', 'Last used', 'Expires', '']}
          items={tokens}
          empty="No tokens."
          row={(t) => (
            <tr data-token-id={t.id}>
              <td>{t.name}</td>
              <td>{owners[t.userId] ?? t.userId}</td>
              <td>{when(t.created)}</td>
              <td>{lastUsed(t) ? when(lastUsed(t)) : 'never'}</td>
              <td title={`after ${t.tokenWindow} unused`}>{when(t.expiresAt)}</td>
              <td>
                <ConfirmButton
                  class="danger"
                  confirm={`Revoke the token “${t.name}”? Programs using it stop working at once.`}
                  onClick={act(() => call('DELETE', `/api/v1/api-tokens/${t.id}`))}
                >
                  Revoke
                </ConfirmButton>
              </td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}
