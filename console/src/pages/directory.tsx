// Users and groups (read, create; a user's admin roles).
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me, when } from '../api';
import { ErrorBox, Section } from '../ui';

const ROLE_TYPES = [
  'READ_ONLY_ADMIN', 'HELP_DESK_ADMIN', 'USER_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'APP_ADMIN',
  'API_ACCESS_MANAGEMENT_ADMIN', 'REPORT_ADMIN', 'ORG_ADMIN', 'SUPER_ADMIN',
];

export function Users({ me }: { me: Me }) {
  const [users, setUsers] = useState<any[]>([]);
  const [roles, setRoles] = useState<Record<string, { id: string; type: string }[]>>({});
  const [form, setForm] = useState<{ login: string; firstName: string; lastName: string; password: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = () =>
    call<any[]>('GET', '/api/v1/users?limit=200')
      .then(async (us) => {
        setUsers(us);
        if (!can(me, 'roles.read')) return;
        for (const u of us)
          call<any[]>('GET', `/api/v1/users/${u.id}/roles`)
            .then((rs) => setRoles((r) => ({ ...r, [u.id]: rs })))
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
            <button type="button" data-testid="new-user" onClick={() => setForm({ login: '', firstName: '', lastName: '', password: '' })}>
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
                const { password, ...profile } = form;
                // With a password the user is ACTIVE at once (and, given an admin role, may sign in here).
                await call('POST', `/api/v1/users?activate=${password ? 'true' : 'false'}`, {
                  profile: { ...profile, email: profile.login },
                  ...(password ? { credentials: { password: { value: password } } } : {}),
                });
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
                <input name={k} value={form[k]} required onInput={(e) => setForm({ ...form, [k]: e.currentTarget.value })} />
              </label>
            ))}
            <label>
              password (optional)
              <input
                name="password"
                type="password"
                autocomplete="new-password"
                value={form.password}
                onInput={(e) => setForm({ ...form, password: e.currentTarget.value })}
              />
            </label>
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
              <th></th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr>
                <td>{u.profile.login}</td>
                <td>{[u.profile.firstName, u.profile.lastName].filter(Boolean).join(' ')}</td>
                <td>{u.status}</td>
                <td>
                  {(roles[u.id] ?? []).map((r) => (
                    <span class="chip">
                      {r.type}
                      {can(me, 'roles.manage') && (
                        <button
                          type="button"
                          class="chip-x"
                          title={`Remove ${r.type}`}
                          onClick={async () => {
                            try {
                              await call('DELETE', `/api/v1/users/${u.id}/roles/${r.id}`);
                              load();
                            } catch (err) {
                              setError(err);
                            }
                          }}
                        >
                          ×
                        </button>
                      )}
                    </span>
                  ))}
                  {can(me, 'roles.manage') && (
                    <select
                      class="small"
                      value=""
                      onChange={async (e) => {
                        const type = e.currentTarget.value;
                        if (!type) return;
                        try {
                          await call('POST', `/api/v1/users/${u.id}/roles`, { type });
                          load();
                        } catch (err) {
                          setError(err);
                        }
                      }}
                    >
                      <option value="">+ role</option>
                      {ROLE_TYPES.filter((t) => !(roles[u.id] ?? []).some((r) => r.type === t)).map((t) => (
                        <option>{t}</option>
                      ))}
                    </select>
                  )}
                </td>
                <td>{when(u.created)}</td>
                <td class="nowrap">
                  {can(me, 'users.manage') &&
                    u.id !== me.user.id &&
                    lifecycleOf(u.status).map(([op, label]) => (
                      <button
                        type="button"
                        class={op === 'delete' || op === 'deactivate' ? 'danger small' : 'secondary small'}
                        onClick={async () => {
                          if ((op === 'delete' || op === 'deactivate') && !confirm(`${label} ${u.profile.login}?`)) return;
                          try {
                            if (op === 'delete') await call('DELETE', `/api/v1/users/${u.id}`);
                            else await call('POST', `/api/v1/users/${u.id}/lifecycle/${op}`);
                            load();
                          } catch (err) {
                            setError(err);
                          }
                        }}
                      >
                        {label}
                      </button>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}

// The lifecycle operations a user in `status` allows (Okta's user lifecycle).
function lifecycleOf(status: string): [string, string][] {
  switch (status) {
    case 'STAGED':
      return [['activate', 'Activate'], ['deactivate', 'Deactivate']];
    case 'PROVISIONED':
      return [['reactivate', 'Reactivate'], ['deactivate', 'Deactivate']];
    case 'ACTIVE':
      return [['suspend', 'Suspend'], ['deactivate', 'Deactivate']];
    case 'SUSPENDED':
      return [['unsuspend', 'Unsuspend'], ['deactivate', 'Deactivate']];
    case 'DEPROVISIONED':
      return [['activate', 'Activate'], ['delete', 'Delete']];
    default:
      return [['deactivate', 'Deactivate']];
  }
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
                <td>
                  <a href={`#/groups/${g.id}`}>{g.profile.name}</a>
                </td>
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

export function GroupPage({ me, id }: { me: Me; id: string }) {
  const [group, setGroup] = useState<any>(null);
  const [members, setMembers] = useState<any[]>([]);
  const [users, setUsers] = useState<any[]>([]);
  const [error, setError] = useState<unknown>(null);
  const manage = can(me, 'groupMembers.manage');
  const load = async () => {
    try {
      setGroup(await call('GET', `/api/v1/groups/${id}`));
      setMembers(await call('GET', `/api/v1/groups/${id}/users?limit=200`));
      if (manage && can(me, 'users.read')) setUsers(await call('GET', '/api/v1/users?limit=200'));
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    load();
  }, [id]);
  if (!group) return <ErrorBox error={error} />;
  const act = (f: () => Promise<unknown>) => async () => {
    try {
      await f();
      load();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <h1>{group.profile.name}</h1>
      <ErrorBox error={error} />
      <Section
        title="Members"
        actions={
          manage &&
          group.type !== 'BUILT_IN' && (
            <select
              value=""
              onChange={(e) => {
                const uid = e.currentTarget.value;
                if (uid) act(() => call('PUT', `/api/v1/groups/${id}/users/${uid}`))();
              }}
            >
              <option value="">Add a member…</option>
              {users
                .filter((u) => !members.some((m) => m.id === u.id))
                .map((u) => (
                  <option value={u.id}>{u.profile.login}</option>
                ))}
            </select>
          )
        }
      >
        <table>
          <thead>
            <tr>
              <th>Login</th>
              <th>Status</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {members.map((u) => (
              <tr>
                <td>{u.profile.login}</td>
                <td>{u.status}</td>
                <td>
                  {manage && group.type !== 'BUILT_IN' && (
                    <button type="button" class="danger small" onClick={act(() => call('DELETE', `/api/v1/groups/${id}/users/${u.id}`))}>
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {members.length === 0 && <p class="muted">No members.</p>}
      </Section>
    </>
  );
}
