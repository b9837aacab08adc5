// Authorization servers: the list (with `default`), and one server's scopes, claims, access
// policies with their rules (auth_server_children.tsx), and signing keys with rotation.
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me } from '../api';
import { ErrorBox, Section } from '../ui';
import { ClaimsSection, PoliciesSection } from './auth_server_children';

const BASE = '/api/v1/authorizationServers';

export function AuthServers({ me }: { me: Me }) {
  const [servers, setServers] = useState<any[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [form, setForm] = useState<{ name: string; audience: string } | null>(null);
  const load = () => call<any[]>('GET', BASE).then(setServers).catch(setError);
  useEffect(() => {
    load();
  }, []);
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
          can(me, 'authorizationServers.manage') &&
          !form && (
            <button type="button" data-testid="new-as" onClick={() => setForm({ name: '', audience: '' })}>
              Add authorization server
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
                const created = await call<any>('POST', BASE, { name: form.name, audiences: [form.audience] });
                location.hash = `#/authorization-servers/${created.id}`;
              } catch (err) {
                setError(err);
              }
            }}
          >
            <label>
              Name
              <input name="as-name" value={form.name} required onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
            </label>
            <label>
              Audience (your API)
              <input
                name="as-audience"
                value={form.audience}
                placeholder="api://billing"
                required
                onInput={(e) => setForm({ ...form, audience: e.currentTarget.value })}
              />
            </label>
            <button type="submit">Add</button>
            <button type="button" class="secondary" onClick={() => setForm(null)}>
              Cancel
            </button>
          </form>
        )}
        <table data-testid="as-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Audience</th>
              <th>Issuer</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {servers.map((s) => (
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
            ))}
          </tbody>
        </table>
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
  const [error, setError] = useState<unknown>(null);
  const manage = can(me, 'authorizationServers.manage');
  const base = `${BASE}/${id}`;
  const load = async () => {
    try {
      setServer(await call('GET', base));
      setScopes(await call('GET', `${base}/scopes`));
      setClaims(await call('GET', `${base}/claims`));
      const ps = await call<any[]>('GET', `${base}/policies`);
      setPolicies(await Promise.all(ps.map(async (p) => ({ policy: p, rules: await call<any[]>('GET', `${base}/policies/${p.id}/rules`) }))));
      setKeys(await call('GET', `${base}/credentials/keys`));
    } catch (err) {
      setError(err);
    }
  };
  useEffect(() => {
    load();
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
          manage &&
          scopeName === null && (
            <button type="button" onClick={() => setScopeName('')}>
              Add scope
            </button>
          )
        }
      >
        {scopeName !== null && (
          <form
            class="inline"
            onSubmit={async (e) => {
              e.preventDefault();
              try {
                await call('POST', `${base}/scopes`, { name: scopeName });
                setScopeName(null);
                load();
              } catch (err) {
                setError(err);
              }
            }}
          >
            <label>
              Name
              <input name="scope-name" value={scopeName} required onInput={(e) => setScopeName(e.currentTarget.value)} />
            </label>
            <button type="submit">Add</button>
          </form>
        )}
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Description</th>
              <th>Default</th>
            </tr>
          </thead>
          <tbody>
            {scopes.map((s) => (
              <tr>
                <td>
                  <code>{s.name}</code>
                </td>
                <td>{s.description ?? ''}</td>
                <td>{s.default ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
      <ClaimsSection base={base} manage={manage} reload={load} setError={setError} claims={claims} />
      <PoliciesSection base={base} manage={manage} reload={load} setError={setError} policies={policies} />
      <Section
        title="Signing keys"
        actions={
          manage && (
            <button
              type="button"
              onClick={async () => {
                if (!confirm('Rotate the signing keys? The next key becomes active; tokens signed by the old one stay valid until they expire.')) return;
                try {
                  await call('POST', `${base}/credentials/lifecycle/keyRotate`, { use: 'sig' });
                  load();
                } catch (err) {
                  setError(err);
                }
              }}
            >
              Rotate keys
            </button>
          )
        }
      >
        <table>
          <thead>
            <tr>
              <th>kid</th>
              <th>Algorithm</th>
              <th>Status</th>
              <th>Use</th>
            </tr>
          </thead>
          <tbody>
            {keys.map((k) => (
              <tr>
                <td>
                  <code>{k.kid}</code>
                </td>
                <td>{k.alg}</td>
                <td>{k.status}</td>
                <td>{k.use}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Section>
    </>
  );
}
