// Applications: the list, the API service app wizard, and an app's page (issue 17).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { call, can, Me, ORG_URL, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton, LifecycleButtons } from '../components/buttons';
import { Choice, toggled } from '../components/form';
import { SecretsSection } from '../components/secrets';
import { Table } from '../components/table';
import { download, ErrorBox, Section, ShownOnce } from '../components/ui';

export const SCOPES: [string, string][] = [
  ['okta.users.read', 'Read users and their profiles'],
  ['okta.users.manage', 'Create, update, lifecycle and delete users'],
  ['okta.groups.read', 'Read groups and their members'],
  ['okta.groups.manage', 'Create, update and delete groups; change members'],
  ['okta.apps.read', 'Read applications'],
  ['okta.apps.manage', 'Create, update and delete applications and their credentials'],
  ['okta.appGrants.read', 'Read the scope grants of applications'],
  ['okta.appGrants.manage', 'Grant and revoke okta.* scopes to applications'],
  ['okta.roles.read', 'Read admin role assignments'],
  ['okta.roles.manage', 'Assign and remove admin roles'],
  ['okta.authorizationServers.read', 'Read authorization servers'],
  ['okta.authorizationServers.manage', 'Manage authorization servers, scopes, claims, policies and keys'],
  ['okta.logs.read', 'Read the System Log'],
];

const ROLES: [string, string][] = [
  ['READ_ONLY_ADMIN', 'Read-only Administrator'],
  ['USER_ADMIN', 'Group Administrator'],
  ['HELP_DESK_ADMIN', 'Help Desk Administrator'],
  ['APP_ADMIN', 'Application Administrator'],
  ['API_ACCESS_MANAGEMENT_ADMIN', 'API Access Management Administrator'],
  ['REPORT_ADMIN', 'Report Administrator'],
  ['ORG_ADMIN', 'Organizational Administrator'],
  ['SUPER_ADMIN', 'Super Administrator'],
];

interface App {
  id: string;
  label: string;
  status: string;
  created: string;
  credentials: { oauthClient: { client_id: string; token_endpoint_auth_method: string; client_secret?: string } };
  settings: { oauthClient: { dpop_bound_access_tokens?: boolean; jwks?: { keys: any[] }; jwks_uri?: string } };
}

export function Apps({ me }: { me: Me }) {
  const [apps, setApps] = useState<App[]>([]);
  const { error } = useResource(() => call<App[]>('GET', '/api/v1/apps?limit=200').then(setApps));
  return (
    <>
      <h1>Applications</h1>
      <ErrorBox error={error} />
      <Section
        title="API service apps"
        actions={
          can(me, 'apps.manage') && (
            <a class="button" href="#/apps/new" data-testid="new-app">
              Create API service app
            </a>
          )
        }
      >
        <Table
          head={['Name', 'Client ID', 'Authentication', 'Status', 'Created']}
          items={apps}
          empty="No applications yet."
          row={(a) => (
            <tr>
              <td>
                <a href={`#/apps/${a.id}`}>{a.label}</a>
              </td>
              <td>
                <code>{a.id}</code>
              </td>
              <td>{a.credentials.oauthClient.token_endpoint_auth_method}</td>
              <td>{a.status}</td>
              <td>{when(a.created)}</td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}

type AuthChoice = 'generate' | 'paste' | 'secret';

async function generateKey(): Promise<{ publicJwk: JsonWebKey & { kid: string }; privateJwk: JsonWebKey & { kid: string } }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify']);
  const pub = (await crypto.subtle.exportKey('jwk', pair.publicKey)) as JsonWebKey;
  const priv = (await crypto.subtle.exportKey('jwk', pair.privateKey)) as JsonWebKey;
  const kid = Array.from(crypto.getRandomValues(new Uint8Array(12)), (b) => b.toString(16).padStart(2, '0')).join('');
  const publicJwk = { kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y, kid, alg: 'ES256', use: 'sig' };
  return { publicJwk, privateJwk: { ...publicJwk, d: priv.d } };
}

// The wizard's Back button, then the step's own (Next, or Create app).
function StepNav({ back, children }: { back: () => void; children: ComponentChildren }) {
  return (
    <div class="row">
      <button type="button" class="secondary" onClick={back}>
        Back
      </button>
      {children}
    </div>
  );
}

// A wizard step that picks some of `items` ([name, description]); read-only, with a warning, when
// the admin's roles do not allow it.
function Picks(props: { name: string; items: [string, string][]; chosen: string[]; set: (l: string[]) => void; allowed: boolean; denied: string }) {
  return (
    <>
      {!props.allowed && <p class="warn">{props.denied}</p>}
      {props.items.map(([v, d]) => (
        <Choice
          name={props.name}
          value={v}
          help={d}
          disabled={!props.allowed}
          checked={props.chosen.includes(v)}
          onChange={() => props.set(toggled(props.chosen, v))}
        />
      ))}
    </>
  );
}

export function AppWizard({ me }: { me: Me }) {
  const [step, setStep] = useState(1);
  const [label, setLabel] = useState('');
  const [auth, setAuth] = useState<AuthChoice>('generate');
  const [pasted, setPasted] = useState('');
  const [scopes, setScopes] = useState<string[]>([]);
  const [roles, setRoles] = useState<string[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<{ app: App; secret?: string; keyFile?: string } | null>(null);
  if (!can(me, 'apps.manage')) return <p>You may not create applications.</p>;

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      let keys: any[] | undefined;
      let privateJwk: any;
      if (auth === 'generate') {
        const k = await generateKey();
        keys = [k.publicJwk];
        privateJwk = k.privateJwk;
      } else if (auth === 'paste') {
        let jwk;
        try {
          jwk = JSON.parse(pasted);
        } catch {
          throw new Error('The public key is not JSON (paste one JWK).');
        }
        keys = [jwk.keys ? jwk.keys[0] : jwk];
      }
      const method = auth === 'secret' ? 'client_secret_basic' : 'private_key_jwt';
      const oauthSettings: any = { application_type: 'service', grant_types: ['client_credentials'], response_types: ['token'] };
      if (keys) oauthSettings.jwks = { keys };
      const app = await call<App>('POST', '/api/v1/apps', {
        name: 'oidc_client',
        label,
        signOnMode: 'OPENID_CONNECT',
        credentials: { oauthClient: { token_endpoint_auth_method: method } },
        settings: { oauthClient: oauthSettings },
      });
      // The private key first: whatever fails next, it is not lost.
      let keyFile: string | undefined;
      if (privateJwk) {
        keyFile = `${label.replace(/[^A-Za-z0-9_-]+/g, '_') || 'app'}-${app.id}-private.jwk.json`;
        download(keyFile, JSON.stringify(privateJwk, null, 2));
      }
      try {
        for (const s of scopes) await call('POST', `/api/v1/apps/${app.id}/grants`, { issuer: ORG_URL, scopeId: s });
        for (const r of roles) await call('POST', `/oauth2/v1/clients/${app.id}/roles`, { type: r });
      } catch (err) {
        setError(err);  // shown on the result page: the app exists, its key is saved
      }
      setDone({ app, secret: app.credentials.oauthClient.client_secret, keyFile });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  if (done)
    return (
      <>
        <h1>“{done.app.label}” created</h1>
        <ErrorBox error={error} />
        <p>
          Client ID: <code data-testid="client-id">{done.app.id}</code>
        </p>
        {done.keyFile && (
          <p class="warn" data-testid="key-downloaded">
            The private key was generated in this browser and downloaded once as <code>{done.keyFile}</code>. Gatehouse never saw it and
            cannot give it again: keep it in your secret store.
          </p>
        )}
        {done.secret && <ShownOnce title="Client secret" value={done.secret} onDone={() => (location.hash = `#/apps/${done.app.id}`)} />}
        <p class="muted">
          Token endpoint: <code>{ORG_URL}/oauth2/v1/token</code> (grant_type=client_credentials, scope = the granted okta.* scopes)
        </p>
        <a class="button" href={`#/apps/${done.app.id}`}>
          Open the app
        </a>
      </>
    );

  return (
    <>
      <h1>New API service app</h1>
      <ol class="steps">
        {['Name', 'Client authentication', 'Scopes', 'Admin roles'].map((s, i) => (
          <li class={step === i + 1 ? 'active' : ''}>{s}</li>
        ))}
      </ol>
      <ErrorBox error={error} />
      {step === 1 && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setStep(2);
          }}
        >
          <label>
            Name
            <input name="app-label" value={label} onInput={(e) => setLabel(e.currentTarget.value)} required maxLength={100} />
          </label>
          <button type="submit">Next</button>
        </form>
      )}
      {step === 2 && (
        <div>
          {(
            [
              ['generate', 'Generate a key pair in this browser (recommended)', 'private_key_jwt with ES256; the private key is downloaded once and never sent to Gatehouse.'],
              ['paste', 'Paste a public key (JWK)', 'private_key_jwt with a key you generated yourself; only its public part.'],
              ['secret', 'Client secret', 'client_secret_basic; the secret is shown once. Simpler, but a shared secret travels with every token request — and the org authorization server gives okta.* scopes only to private_key_jwt apps.'],
            ] as [AuthChoice, string, string][]
          ).map(([v, title, help]) => (
            <label class="choice">
              <input type="radio" name="auth" value={v} checked={auth === v} onChange={() => setAuth(v)} />
              <span>
                <strong>{title}</strong>
                <br />
                <span class="muted">{help}</span>
              </span>
            </label>
          ))}
          {auth === 'paste' && (
            <textarea name="jwk" rows={6} placeholder='{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…"}' value={pasted} onInput={(e) => setPasted(e.currentTarget.value)} />
          )}
          <StepNav back={() => setStep(1)}>
            <button type="button" onClick={() => setStep(3)}>
              Next
            </button>
          </StepNav>
        </div>
      )}
      {step === 3 && (
        <div>
          <p class="muted">The okta.* scopes the app may request. An access token also needs an admin role that allows the action.</p>
          <Picks
            name="scope"
            items={SCOPES}
            chosen={scopes}
            set={setScopes}
            allowed={can(me, 'appGrants.manage')}
            denied="Your roles do not allow granting scopes; an administrator who may can grant them later."
          />
          <StepNav back={() => setStep(2)}>
            <button type="button" onClick={() => setStep(4)}>
              Next
            </button>
          </StepNav>
        </div>
      )}
      {step === 4 && (
        <div>
          <Picks
            name="role"
            items={ROLES.filter(([r]) => r !== 'SUPER_ADMIN' || me.superAdmin)}
            chosen={roles}
            set={setRoles}
            allowed={can(me, 'roles.manage')}
            denied="Your roles do not allow assigning admin roles; an administrator who may can assign them later."
          />
          <StepNav back={() => setStep(3)}>
            <button type="button" disabled={busy} onClick={create} data-testid="create-app">
              {busy ? 'Creating…' : 'Create app'}
            </button>
          </StepNav>
        </div>
      )}
    </>
  );
}

export function AppPage({ me, id }: { me: Me; id: string }) {
  const [app, setApp] = useState<App | null>(null);
  const [secrets, setSecrets] = useState<any[]>([]);
  const [grants, setGrants] = useState<any[]>([]);
  const [roles, setRoles] = useState<any[]>([]);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [pasting, setPasting] = useState<string | null>(null);
  const manage = can(me, 'apps.manage');
  const { error, act, run } = useResource(async () => {
    const a = await call<App>('GET', `/api/v1/apps/${id}`);
    setApp(a);
    if (a.credentials.oauthClient.token_endpoint_auth_method !== 'private_key_jwt')
      setSecrets(await call('GET', `/api/v1/apps/${id}/credentials/secrets`));
    if (can(me, 'appGrants.read')) setGrants(await call('GET', `/api/v1/apps/${id}/grants`));
    if (can(me, 'roles.read')) setRoles(await call('GET', `/oauth2/v1/clients/${id}/roles`));
  }, [id]);
  if (!app) return <ErrorBox error={error} />;
  const oc = app.settings.oauthClient;
  return (
    <>
      <h1>{app.label}</h1>
      <ErrorBox error={error} />
      {newSecret && <ShownOnce title="New client secret" value={newSecret} onDone={() => setNewSecret(null)} />}
      <Section
        title="General"
        actions={
          manage && (
            <>
              {app.status === 'ACTIVE' ? (
                <button type="button" class="secondary" onClick={act(() => call('POST', `/api/v1/apps/${id}/lifecycle/deactivate`))}>
                  Deactivate
                </button>
              ) : (
                <>
                  <button type="button" class="secondary" onClick={act(() => call('POST', `/api/v1/apps/${id}/lifecycle/activate`))}>
                    Activate
                  </button>
                  <ConfirmButton
                    class="danger"
                    confirm={`Delete “${app.label}”? Its credentials stop working for good.`}
                    onClick={run(async () => {
                      await call('DELETE', `/api/v1/apps/${id}`);
                      location.hash = '#/apps';
                    })}
                  >
                    Delete
                  </ConfirmButton>
                </>
              )}
            </>
          )
        }
      >
        <dl>
          <dt>Client ID</dt>
          <dd>
            <code>{app.id}</code>
          </dd>
          <dt>Status</dt>
          <dd>{app.status}</dd>
          <dt>Client authentication</dt>
          <dd>{app.credentials.oauthClient.token_endpoint_auth_method}</dd>
          <dt>DPoP-bound tokens</dt>
          <dd>
            {oc.dpop_bound_access_tokens ? 'required' : 'not required'}
            {manage && (
              <button
                type="button"
                class="secondary small"
                onClick={act(async () => {
                  const full = await call<any>('GET', `/api/v1/apps/${id}`);
                  full.settings.oauthClient.dpop_bound_access_tokens = !oc.dpop_bound_access_tokens;
                  delete full.settings.oauthClient.jwks;
                  delete full._links;
                  await call('PUT', `/api/v1/apps/${id}`, full);
                })}
              >
                {oc.dpop_bound_access_tokens ? 'Stop requiring' : 'Require DPoP'}
              </button>
            )}
          </dd>
          <dt>Created</dt>
          <dd>{when(app.created)}</dd>
        </dl>
      </Section>
      {app.credentials.oauthClient.token_endpoint_auth_method === 'private_key_jwt' ? (
        <Section
          title="Public keys"
          actions={
            manage &&
            !oc.jwks_uri && (
              <>
                <button
                  type="button"
                  data-testid="generate-key"
                  onClick={act(async () => {
                    const k = await generateKey();
                    await call('POST', `/api/v1/apps/${id}/credentials/jwks`, k.publicJwk);
                    download(`${app.label.replace(/[^A-Za-z0-9_-]+/g, '_') || 'app'}-${id}-${k.publicJwk.kid}-private.jwk.json`, JSON.stringify(k.privateJwk, null, 2));
                  })}
                >
                  Generate a new key
                </button>
                <button type="button" class="secondary" onClick={() => setPasting(pasting === null ? '' : null)}>
                  Add a public key
                </button>
              </>
            )
          }
        >
          {pasting !== null && (
            <form
              onSubmit={(e) => {
                e.preventDefault();
                act(async () => {
                  let jwk;
                  try {
                    jwk = JSON.parse(pasting);
                  } catch {
                    throw new Error('The key is not JSON (paste one public JWK).');
                  }
                  await call('POST', `/api/v1/apps/${id}/credentials/jwks`, jwk);
                }, () => setPasting(null))();
              }}
            >
              <textarea rows={5} value={pasting} placeholder='{"kty":"EC","crv":"P-256","x":"…","y":"…","kid":"…"}' onInput={(e) => setPasting(e.currentTarget.value)} />
              <button type="submit">Add key</button>
            </form>
          )}
          {oc.jwks_uri && (
            <p>
              Keys fetched from <code>{oc.jwks_uri}</code>
            </p>
          )}
          <Table
            head={['kid', 'Type', 'Status', '']}
            items={oc.jwks?.keys ?? []}
            row={(k) => (
              <tr>
                <td>
                  <code>{k.kid}</code>
                </td>
                <td>
                  {k.kty} {k.crv ?? ''} {k.alg ?? ''}
                </td>
                <td>{k.status ?? 'ACTIVE'}</td>
                <td>
                  {manage && k.id && (
                    <LifecycleButtons path={`/api/v1/apps/${id}/credentials/jwks/${k.id}`} status={k.status ?? 'ACTIVE'} act={act} />
                  )}
                </td>
              </tr>
            )}
          />
        </Section>
      ) : (
        <SecretsSection
          path={`/api/v1/apps/${id}/credentials/secrets`}
          secrets={secrets}
          manage={manage}
          act={act}
          activate={false}
          create={async () => setNewSecret((await call<any>('POST', `/api/v1/apps/${id}/credentials/secrets`, {})).client_secret)}
        />
      )}
      <Section title="Granted scopes">
        <ul data-testid="grants">
          {grants.map((g) => (
            <li>
              <code>{g.scopeId}</code>{' '}
              {can(me, 'appGrants.manage') && (
                <button type="button" class="danger small" onClick={act(() => call('DELETE', `/api/v1/apps/${id}/grants/${g.id}`))}>
                  Revoke
                </button>
              )}
            </li>
          ))}
        </ul>
        {grants.length === 0 && <p class="muted">No scopes granted.</p>}
      </Section>
      <Section title="Admin roles">
        <ul>
          {roles.map((r) => (
            <li>
              <code>{r.type}</code>
            </li>
          ))}
        </ul>
        {roles.length === 0 && <p class="muted">No admin roles: its tokens may do nothing in the management API.</p>}
      </Section>
    </>
  );
}
