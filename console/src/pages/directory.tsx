// Users and groups (read, create; a user's admin roles).
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me, when } from '../api';
import { ErrorBox, Section } from '../ui';

export function Users({ me }: { me: Me }) {
  const [users, setUsers] = useState<any[]>([]);
  const [roles, setRoles] = useState<Record<string, string[]>>({});
  const [form, setForm] = useState<{ login: string; firstName: string; lastName: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    call<any[]>('GET', '/api/v1/users?limit=200')
      .then(async (us) => {
        setUsers(us);
        if (!can(me, 'roles.read')) return;
        for (const u of us)
          call<any[]>('GET', `/api/v1/users/${u.id}/roles`)
            .then((rs) => setRoles((r) => ({ ...r, [u.id]: rs.map((x) => x.type) })))
            .catch(() => {});
      })
      .catch(setError);
  useEffect(() => {
    load();
  }, []);
  return (
    <>
      <h1>Users</h1>
      <ErrorBox error={error} />
      <Section
        title="People"
        actions={
          can(me, 'users.manage') &&
          !form && (
            <button type="button" data-testid="new-user" onClick={() => setForm({ login: '', firstName: '', lastName: '' })}>
              Add user
            </button>
          )
        }
      >
        {form && (
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              setError(null);
              try {
                await call('POST', '/api/v1/users?activate=false', { profile: { ...form, email: form.login } });
                setForm(null);
                load();
              } catch (err) {
                setError(err);
              }
            }}
          >
            {(['login', 'firstName', 'lastName'] as const).map((k) => (
              <label>
                {k}
                <input value={form[k]} required onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} />
              </label>
            ))}
            <button type="submit">Add</button>
            <button type="button" class="secondary" onClick={() => setForm(null)}>
              Cancel
            </button>
          </form>
        )}
        <table>
          <thead>
            <tr>
              <th>Login</th>
              <th>Name</th>
              <th>Status</th>
              <th>Admin roles</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.profile.login}</td>
                <td>{[u.profile.firstName, u.profile.lastName].filter(Boolean).join(' ')}</td>
                <td>{u.status}</td>
                <td>{(roles[u.id] ?? []).join(', ')}</td>
                <td>{when(u.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}

export function Groups({ me }: { me: Me }) {
  const [groups, setGroups] = useState<any[]>([]);
  const [name, setName] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () => call<any[]>('GET', '/api/v1/groups?limit=200').then(setGroups).catch(setError);
  useEffect(() => {
    load();
  }, []);
  return (
    <>
      <h1>Groups</h1>
      <ErrorBox error={error} />
      <Section
        title="Groups"
        actions={
          can(me, 'groups.manage') &&
          name === null && (
            <button type="button" data-testid="new-group" onClick={() => setName('')}>
              Add group
            </button>
          )
        }
      >
        {name !== null && (
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                await call('POST', '/api/v1/groups', { profile: { name } });
                setName(null);
                load();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <label>
              Name
              <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
            </label>
            <button type="submit">Add</button>
          </form>
        )}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Type</th>
              <th>Description</th>
              <th>Created</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => (
              <tr>
                <td>{g.profile.name}</td>
                <td>{g.type}</td>
                <td>{g.profile.description ?? ''}</td>
                <td>{when(g.created)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
