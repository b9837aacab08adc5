// Users and groups (read, create; a user's admin roles).
import { useState } from 'preact/hooks';
import { call, can, Me, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton, NewButton } from '../components/buttons';
import { bind, Field, Form } from '../components/form';
import { Table } from '../components/table';
import { ErrorBox, Section } from '../components/ui';

const ROLE_TYPES = [
  'READ_ONLY_ADMIN', 'HELP_DESK_ADMIN', 'USER_ADMIN', 'GROUP_MEMBERSHIP_ADMIN', 'APP_ADMIN',
  'API_ACCESS_MANAGEMENT_ADMIN', 'REPORT_ADMIN', 'ORG_ADMIN', 'SUPER_ADMIN',
];

export function Users({ me }: { me: Me }) {
  const [users, setUsers] = useState<any[]>([]);
  const [roles, setRoles] = useState<Record<string, { id: string; type: string }[]>>({});
  const [form, setForm] = useState<{ login: string; firstName: string; lastName: string; password: string } | null>(null);
  const { error, act } = useResource(() =>
    call<any[]>('GET', '/api/v1/users?limit=200').then(async (us) => {
      setUsers(us);
      if (!can(me, 'roles.read')) return;
      for (const u of us)
        call<any[]>('GET', `/api/v1/users/${u.id}/roles`)
          .then((rs) => setRoles((r) => ({ ...r, [u.id]: rs })))
          .catch(() => {});
    }),
  );
  return (
    <>
      <h1>Users</h1>
      <ErrorBox error={error} />
      <Section
        title="People"
        actions={
          <NewButton show={can(me, 'users.manage') && !form} testid="new-user" onClick={() => setForm({ login: '', firstName: '', lastName: '', password: '' })}>
            Add user
          </NewButton>
        }
      >
        {form && (
          <Form
            submit="Add"
            onSubmit={act(async () => {
              const { password, ...profile } = form;
              // With a password the user is ACTIVE at once (and, given an admin role, may sign in here).
              await call('POST', `/api/v1/users?activate=${password ? 'true' : 'false'}`, {
                profile: { ...profile, email: profile.login },
                ...(password ? { credentials: { password: { value: password } } } : {}),
              });
              setForm(null);
            })}
            onCancel={() => setForm(null)}
          >
            {(['login', 'firstName', 'lastName'] as const).map((k) => (
              <Field label={k} name={k} required {...bind(form, setForm, k)} />
            ))}
            <Field label="password (optional)" name="password" type="password" autocomplete="new-password" {...bind(form, setForm, 'password')} />
          </Form>
        )}
        <Table
          head={['Login', 'Name', 'Status', 'Admin roles', 'Created', '']}
          items={users}
          row={(u) => (
            <tr>
              <td>{u.profile.login}</td>
              <td>{[u.profile.firstName, u.profile.lastName].filter(Boolean).join(' ')}</td>
              <td>{u.status}</td>
              <td>
                {(roles[u.id] ?? []).map((r) => (
                  <span class="chip">
                    {r.type}
                    {can(me, 'roles.manage') && (
                      <button type="button" class="chip-x" title={`Remove ${r.type}`} onClick={act(() => call('DELETE', `/api/v1/users/${u.id}/roles/${r.id}`))}>
                        ×
                      </button>
                    )}
                  </span>
                ))}
                {can(me, 'roles.manage') && (
                  <select
                    class="small"
                    value=""
                    onChange={(e) => {
                      const type = e.currentTarget.value;
                      if (type) act(() => call('POST', `/api/v1/users/${u.id}/roles`, { type }))();
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
                  lifecycleOf(u.status).map(([op, label]) => {
                    const final = op === 'delete' || op === 'deactivate';
                    return (
                      <ConfirmButton
                        class={final ? 'danger small' : 'secondary small'}
                        confirm={final ? `${label} ${u.profile.login}?` : undefined}
                        onClick={act(() =>
                          op === 'delete' ? call('DELETE', `/api/v1/users/${u.id}`) : call('POST', `/api/v1/users/${u.id}/lifecycle/${op}`),
                        )}
                      >
                        {label}
                      </ConfirmButton>
                    );
                  })}
              </td>
            </tr>
          )}
        />
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
  const { error, act } = useResource(() => call<any[]>('GET', '/api/v1/groups?limit=200').then(setGroups));
  return (
    <>
      <h1>Groups</h1>
      <ErrorBox error={error} />
      <Section
        title="Groups"
        actions={
          <NewButton show={can(me, 'groups.manage') && name === null} testid="new-group" onClick={() => setName('')}>
            Add group
          </NewButton>
        }
      >
        {name !== null && (
          <Form submit="Add" onSubmit={act(() => call('POST', '/api/v1/groups', { profile: { name } }), () => setName(null))}>
            <Field label="Name" value={name} required onValue={setName} />
          </Form>
        )}
        <Table
          head={['Name', 'Type', 'Description', 'Created']}
          items={groups}
          row={(g) => (
            <tr>
              <td>
                <a href={`#/groups/${g.id}`}>{g.profile.name}</a>
              </td>
              <td>{g.type}</td>
              <td>{g.profile.description ?? ''}</td>
              <td>{when(g.created)}</td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}

export function GroupPage({ me, id }: { me: Me; id: string }) {
  const [group, setGroup] = useState<any>(null);
  const [members, setMembers] = useState<any[]>([]);
  const [users, setUsers] = useState<any[]>([]);
  const manage = can(me, 'groupMembers.manage');
  const { error, act } = useResource(async () => {
    setGroup(await call('GET', `/api/v1/groups/${id}`));
    setMembers(await call('GET', `/api/v1/groups/${id}/users?limit=200`));
    if (manage && can(me, 'users.read')) setUsers(await call('GET', '/api/v1/users?limit=200'));
  }, [id]);
  if (!group) return <ErrorBox error={error} />;
  const editable = manage && group.type !== 'BUILT_IN';
  return (
    <>
      <h1>{group.profile.name}</h1>
      <ErrorBox error={error} />
      <Section
        title="Members"
        actions={
          editable && (
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
        <Table
          head={['Login', 'Status', '']}
          items={members}
          empty="No members."
          row={(u) => (
            <tr>
              <td>{u.profile.login}</td>
              <td>{u.status}</td>
              <td>
                {editable && (
                  <button type="button" class="danger small" onClick={act(() => call('DELETE', `/api/v1/groups/${id}/users/${u.id}`))}>
                    Remove
                  </button>
                )}
              </td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}
