// Authorization servers: the list (with `default`), and one server's scopes, claims, access
// policies with their rules (auth_server_children.tsx), and signing keys with rotation.
import { useState } from 'preact/hooks';
import { call, can, Me } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton, NewButton } from '../components/buttons';
import { bind, Field, Form } from '../components/form';
import { Table } from '../components/table';
import { ErrorBox, Section } from '../components/ui';
import { ClaimsSection, PoliciesSection } from './auth_server_children';

const BASE = '/api/v1/authorizationServers';

export function AuthServers({ me }: { me: Me }) {
  const [servers, setServers] = useState<any[]>([]);
  const [form, setForm] = useState<{ name: string; audience: string } | null>(null);
  const { error, run } = useResource(() => call<any[]>('GET', BASE).then(setServers));
  return (
    <>
      <h1>Authorization servers</h1>
      <p class="muted">
        Custom authorization servers issue access tokens for your own APIs (their audience); the org authorization server issues the okta.*
        tokens of the management API.
      </p>
      <ErrorBox error={error} />
      <Section
        title="Servers"
        actions={
          <NewButton show={can(me, 'authorizationServers.manage') && !form} testid="new-as" onClick={() => setForm({ name: '', audience: '' })}>
            Add authorization server
          </NewButton>
        }
      >
        {form && (
          <Form
            submit="Add"
            onSubmit={run(async () => {
              const created = await call<any>('POST', BASE, { name: form.name, audiences: [form.audience] });
              location.hash = `#/authorization-servers/${created.id}`;
            })}
            onCancel={() => setForm(null)}
          >
            <Field label="Name" name="as-name" required {...bind(form, setForm, 'name')} />
            <Field label="Audience (your API)" name="as-audience" placeholder="api://billing" required {...bind(form, setForm, 'audience')} />
          </Form>
        )}
        <Table
          testid="as-table"
          head={['Name', 'Audience', 'Issuer', 'Status']}
          items={servers}
          row={(s) => (
            <tr>
              <td>
                <a href={`#/authorization-servers/${s.id}`}>{s.name}</a>
                {s.id === 'default' ? <span class="muted small"> (default)</span> : null}
              </td>
              <td>{(s.audiences ?? []).join(', ')}</td>
              <td>
                <code>{s.issuer}</code>
              </td>
              <td>{s.status}</td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}

export function AuthServerPage({ me, id }: { me: Me; id: string }) {
  const [server, setServer] = useState<any>(null);
  const [scopes, setScopes] = useState<any[]>([]);
  const [claims, setClaims] = useState<any[]>([]);
  const [policies, setPolicies] = useState<{ policy: any; rules: any[] }[]>([]);
  const [keys, setKeys] = useState<any[]>([]);
  const [scopeName, setScopeName] = useState<string | null>(null);
  const manage = can(me, 'authorizationServers.manage');
  const base = `${BASE}/${id}`;
  const { error, act } = useResource(async () => {
    setServer(await call('GET', base));
    setScopes(await call('GET', `${base}/scopes`));
    setClaims(await call('GET', `${base}/claims`));
    const ps = await call<any[]>('GET', `${base}/policies`);
    setPolicies(await Promise.all(ps.map(async (p) => ({ policy: p, rules: await call<any[]>('GET', `${base}/policies/${p.id}/rules`) }))));
    setKeys(await call('GET', `${base}/credentials/keys`));
  }, [id]);
  if (!server) return <ErrorBox error={error} />;
  return (
    <>
      <h1>{server.name}</h1>
      <ErrorBox error={error} />
      <Section title="Settings">
        <dl>
          <dt>Issuer</dt>
          <dd>
            <code>{server.issuer}</code>
          </dd>
          <dt>Audiences</dt>
          <dd>{(server.audiences ?? []).join(', ')}</dd>
          <dt>Status</dt>
          <dd>{server.status}</dd>
          <dt>Metadata</dt>
          <dd>
            <code>{server.issuer}/.well-known/oauth-authorization-server</code>
          </dd>
        </dl>
      </Section>
      <Section
        title="Scopes"
        actions={
          <NewButton show={manage && scopeName === null} onClick={() => setScopeName('')}>
            Add scope
          </NewButton>
        }
      >
        {scopeName !== null && (
          <Form submit="Add" onSubmit={act(() => call('POST', `${base}/scopes`, { name: scopeName }), () => setScopeName(null))}>
            <Field label="Name" name="scope-name" value={scopeName} required onValue={setScopeName} />
          </Form>
        )}
        <Table
          head={['Name', 'Description', 'Default']}
          items={scopes}
          row={(s) => (
            <tr>
              <td>
                <code>{s.name}</code>
              </td>
              <td>{s.description ?? ''}</td>
              <td>{s.default ? 'yes' : ''}</td>
            </tr>
          )}
        />
      </Section>
      <ClaimsSection base={base} manage={manage} act={act} claims={claims} />
      <PoliciesSection base={base} manage={manage} act={act} policies={policies} />
      <Section
        title="Signing keys"
        actions={
          manage && (
            <ConfirmButton
              class=""
              confirm="Rotate the signing keys? The next key becomes active; tokens signed by the old one stay valid until they expire."
              onClick={act(() => call('POST', `${base}/credentials/lifecycle/keyRotate`, { use: 'sig' }))}
            >
              Rotate keys
            </ConfirmButton>
          )
        }
      >
        <Table
          head={['kid', 'Algorithm', 'Status', 'Use']}
          items={keys}
          row={(k) => (
            <tr>
              <td>
                <code>{k.kid}</code>
              </td>
              <td>{k.alg}</td>
              <td>{k.status}</td>
              <td>{k.use}</td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}
