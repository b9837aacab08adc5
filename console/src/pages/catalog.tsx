// API service integrations, the customer's side (issue 15's catalog and install API): the catalog
// with every declared scope and its reason before install, the consent screen, installed
// instances (consent to new scopes, uninstall) and their secrets (shown once, at most two ACTIVE).
import { useState } from 'preact/hooks';
import { call, can, Me, ORG_URL, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton } from '../components/buttons';
import { Choice, Form, toggled } from '../components/form';
import { SecretsSection } from '../components/secrets';
import { MoreButton, Table, usePaged } from '../components/table';
import { CopyButton, ErrorBox, Section, ShownOnce } from '../components/ui';

export const SERVICES = '/integrations/api/v1/api-services';
const CATALOG = '/api/v1/catalog/integrations';

export interface Scope {
  scope: string;
  reason: string;
}

function Logo({ src }: { src?: string }) {
  return src ? <img class="logo" src={src} alt="" width={40} height={40} /> : <div class="logo" />;
}

// The declared scopes and the vendor's reason for each, as admins read them before consenting.
export function ScopeList({ scopes }: { scopes: Scope[] }) {
  return (
    <ul class="scopes" data-testid="scope-list">
      {scopes.map((s) => (
        <li>
          <code>{s.scope}</code> <span class="muted">{s.reason}</span>
        </li>
      ))}
    </ul>
  );
}

// Client id and secret of a fresh install (or test instance): the secret is shown this once.
export function Credentials({ inst, onDone }: { inst: any; onDone: () => void }) {
  return (
    <>
      <h2>{inst.testInstance ? 'Test instance of' : 'Installed'} {inst.name}</h2>
      <p class="muted">
        Give these to the integration: it gets tokens with <code>client_secret_basic</code> at <code>{ORG_URL}/oauth2/v1/token</code>, with
        at most the scopes {inst.grantedScopes.map((s: string) => <code class="tag">{s}</code>)}
      </p>
      <div class="row" data-testid="client-id">
        Client id: <code>{inst.id}</code> <CopyButton value={inst.id} label="Copy client id" />
        {inst.testInstance && <span class="badge">test instance</span>}
      </div>
      <ShownOnce title={`Client secret of “${inst.name}”`} value={inst.clientSecret} onDone={onDone} />
    </>
  );
}

export function Catalog({ me }: { me: Me }) {
  const [q, setQ] = useState('');
  // the first page on mount (load is usePaged's, defined by the time the effect runs)
  const { error, setError } = useResource(async () => load(`${CATALOG}?limit=20`));
  const { items, next, load } = usePaged<any>(setError);
  const manage = can(me, 'oauthIntegrations.manage');
  return (
    <Section title="Catalog">
      <form
        class="inline"
        onSubmit={(e) => {
          e.preventDefault();
          load(`${CATALOG}?limit=20&q=${encodeURIComponent(q)}`);
        }}
      >
        <input name="catalog-q" placeholder="Search name or description" value={q} onInput={(e) => setQ(e.currentTarget.value)} />
        <button type="submit" class="secondary">
          Search
        </button>
      </form>
      <ErrorBox error={error} />
      {items.map((it) => (
        <div class="card" data-integration={it.id}>
          <Logo src={it.logo} />
          <div class="grow">
            <strong>{it.name}</strong> <span class="muted small">by {it.vendor} · version {it.version}</span>
            <div>{it.description}</div>
            <ScopeList scopes={it.scopes} />
          </div>
          {manage && (
            <a class="button" href={`#/integrations/install/${it.id}`} data-testid="install">
              Install…
            </a>
          )}
        </div>
      ))}
      {items.length === 0 && <p class="muted">No published integrations match.</p>}
      <MoreButton next={next} onClick={() => load(next!, true)} />
    </Section>
  );
}

// The consent screen: the declared scopes with reasons, all checked by default.
export function Install({ me, id }: { me: Me; id: string }) {
  const [it, setIt] = useState<any>(null);
  const [chosen, setChosen] = useState<string[]>([]);
  const [done, setDone] = useState<any>(null);
  const { error, run } = useResource(async () => {
    const x = await call('GET', `${CATALOG}/${id}`);
    setIt(x);
    setChosen(x.scopes.map((s: Scope) => s.scope));
  }, [id]);
  if (done) return <Credentials inst={done} onDone={() => (location.hash = `#/integrations/instances/${done.id}`)} />;
  if (!it) return <ErrorBox error={error} />;
  return (
    <>
      <h1>Install {it.name}</h1>
      <div class="card">
        <Logo src={it.logo} />
        <div class="grow">
          <span class="muted small">by {it.vendor} · version {it.version}</span>
          <div>{it.description}</div>
        </div>
      </div>
      <p class="muted">
        The integration gets its own client credentials in this org, limited to the scopes you consent to here (each with the vendor's
        reason). You can consent to more later, or uninstall it.
      </p>
      <ErrorBox error={error} />
      <form
        data-testid="consent"
        onSubmit={(e) => {
          e.preventDefault();
          run(async () => setDone(await call('POST', SERVICES, { type: it.id, grantedScopes: chosen })))();
        }}
      >
        {it.scopes.map((s: Scope) => (
          <Choice name="scope" value={s.scope} help={s.reason} checked={chosen.includes(s.scope)} onChange={() => setChosen(toggled(chosen, s.scope))} />
        ))}
        <div class="row">
          <button type="submit" disabled={!can(me, 'oauthIntegrations.manage') || chosen.length === 0}>
            Consent and install
          </button>
          <a href="#/integrations">Cancel</a>
        </div>
      </form>
    </>
  );
}

export function Installed() {
  const [list, setList] = useState<any[]>([]);
  const { error } = useResource(() => call<any[]>('GET', `${SERVICES}?limit=200`).then(setList));
  return (
    <Section title="Installed">
      <ErrorBox error={error} />
      <Table
        testid="instances"
        head={['Name', 'Granted scopes', 'Waiting for consent', 'Installed']}
        items={list}
        empty="No integrations installed."
        row={(i) => (
          <tr>
            <td>
              <a href={`#/integrations/instances/${i.id}`}>{i.name}</a> {i.testInstance && <span class="badge">test instance</span>}
            </td>
            <td>{i.grantedScopes.join(', ')}</td>
            <td>{i.pendingScopes.join(', ') || '—'}</td>
            <td>{when(i.createdAt)}</td>
          </tr>
        )}
      />
    </Section>
  );
}

export function Instance({ me, id }: { me: Me; id: string }) {
  const [inst, setInst] = useState<any>(null);
  const [secrets, setSecrets] = useState<any[]>([]);
  const [newSecret, setNewSecret] = useState<string | null>(null);
  const [consenting, setConsenting] = useState<string[] | null>(null);
  const base = `${SERVICES}/${id}`;
  const manage = can(me, 'oauthIntegrations.manage');
  const { error, act, run } = useResource(async () => {
    setInst(await call('GET', base));
    setSecrets(await call('GET', `${base}/credentials/secrets`));
  }, [id]);
  if (!inst) return <ErrorBox error={error} />;
  const all = [...inst.grantedScopes, ...inst.pendingScopes];
  return (
    <>
      <a href="#/integrations">← Integrations</a>
      <h1>
        {inst.name} {inst.testInstance && <span class="badge">test instance</span>}
      </h1>
      <p class="muted">
        Client id <code>{inst.id}</code> · <code>{inst.type}</code> · installed {when(inst.createdAt)}
        {inst.configGuideUrl && (
          <>
            {' '}
            · <a href={inst.configGuideUrl}>configuration guide</a>
          </>
        )}
      </p>
      <ErrorBox error={error} />
      {newSecret && <ShownOnce title="New client secret" value={newSecret} onDone={() => setNewSecret(null)} />}
      <Section
        title="Scopes"
        actions={
          manage && (
            <ConfirmButton
              class="danger"
              testid="uninstall"
              confirm={`Uninstall “${inst.name}”? Its credentials and tokens stop working at once.`}
              onClick={run(async () => {
                await call('DELETE', base);
                location.hash = '#/integrations';
              })}
            >
              Uninstall
            </ConfirmButton>
          )
        }
      >
        <p>
          Granted: {inst.grantedScopes.map((s: string) => <code class="tag">{s}</code>)}
        </p>
        {inst.pendingScopes.length > 0 && (
          <p class="warn" data-testid="pending">
            Declared but not consented: {inst.pendingScopes.map((s: string) => <code class="tag">{s}</code>)}
            {manage && !consenting && (
              <button type="button" class="small" onClick={() => setConsenting(all)}>
                Consent to new scopes…
              </button>
            )}
          </p>
        )}
        {consenting && (
          <Form
            inline={false}
            submit="Consent"
            onSubmit={async () => {
              await act(() => call('POST', `${base}/lifecycle/consent`, { grantedScopes: consenting }))();
              setConsenting(null);
            }}
            onCancel={() => setConsenting(null)}
          >
            {all.map((s: string) => (
              <label class="choice">
                <input type="checkbox" checked={consenting.includes(s)} onChange={() => setConsenting(toggled(consenting, s))} />
                <code>{s}</code>
              </label>
            ))}
          </Form>
        )}
      </Section>
      <SecretsSection
        path={`${base}/credentials/secrets`}
        secrets={secrets}
        manage={manage}
        act={act}
        testid="new-secret"
        create={async () => setNewSecret((await call<any>('POST', `${base}/credentials/secrets`)).client_secret)}
      >
        <p class="muted small">At most two ACTIVE secrets; the last ACTIVE one cannot be deactivated (uninstall instead).</p>
      </SecretsSection>
    </>
  );
}
