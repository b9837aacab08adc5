// API service integrations (issue 15): tabs for the catalog and installs (catalog.tsx), the
// vendor's side (here: my integrations with their scopes and reasons, a new draft or a new version
// of a published one, a test instance of a draft, submitting it, the operator's comments) and the
// operator's review queue (review.tsx).
import { useState } from 'preact/hooks';
import { call, can, Me, upload, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton, NewButton } from '../components/buttons';
import { bind, Choice, Field, Form } from '../components/form';
import { Table } from '../components/table';
import { ErrorBox, Section } from '../components/ui';
import { SCOPES } from './apps';
import { Catalog, Credentials, Install, Installed, Instance } from './catalog';
import { ReviewQueue } from './review';

export function IntegrationsHub({ me, route }: { me: Me; route: string }) {
  const [, tab, id] = route.split('/').slice(1);
  if (tab === 'install' && id) return <Install me={me} id={id} />;
  if (tab === 'instances' && id) return <Instance me={me} id={id} />;
  const tabs: [string, string, boolean][] = [
    ['', 'Catalog and installs', can(me, 'oauthIntegrations.read')],
    ['mine', 'My integrations', can(me, 'manifests.read')],
    ['review', 'Review queue', me.operator],
  ];
  const current = tab ?? '';
  return (
    <>
      <h1>Integrations</h1>
      <div class="tabs">
        {tabs
          .filter((t) => t[2])
          .map(([t, label]) => (
            <a href={`#/integrations${t ? '/' + t : ''}`} class={current === t ? 'active' : ''}>
              {label}
            </a>
          ))}
      </div>
      {current === 'mine' ? (
        <Integrations me={me} />
      ) : current === 'review' ? (
        <ReviewQueue me={me} />
      ) : (
        <>
          <Catalog me={me} />
          <Installed />
        </>
      )}
    </>
  );
}

interface Draft {
  key: string;
  name: string;
  description: string;
  support: string;
  guide: string;
  scopes: Record<string, string>;
  logoUrl?: string;
  version?: boolean; // a new version of a published integration: the same key
}

// The form of submission `s` (to start its next version).
const draftOf = (s: any): Draft => ({
  key: s.id,
  name: s.name,
  description: s.description ?? '',
  support: s.appContactDetails?.[0]?.contact ?? '',
  guide: s.apiService?.configGuideUrl ?? '',
  scopes: Object.fromEntries((s.apiService?.scopes ?? []).map((x: any) => [x.scope, x.reason])),
  logoUrl: s.logo,
  version: true,
});

const BASE = '/integrations/api/v1/submissions';

// The default key of an integration named `name`: "Acme Billing" → "acme_billing".
const keyOf = (name: string) =>
  name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 64);

export function Integrations({ me }: { me: Me }) {
  const [subs, setSubs] = useState<any[]>([]);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [test, setTest] = useState<any>(null);
  const [comments, setComments] = useState<{ id: string; list: any[] } | null>(null);
  const [logo, setLogo] = useState<File | null>(null);
  const manage = can(me, 'manifests.manage');
  const testable = manage && can(me, 'oauthIntegrations.manage');
  const { error, act } = useResource(() => call<any[]>('GET', BASE).then(setSubs));
  return (
    <>
      <p class="muted">
        An API service integration is what you publish when other orgs should install your service: each installing org consents to the
        scopes you declare here, with your reason for each.
      </p>
      <ErrorBox error={error} />
      {test && <Credentials inst={test} onDone={() => setTest(null)} />}
      {comments && (
        <Section title={`Review comments on ${comments.id}`} actions={<button type="button" class="secondary" onClick={() => setComments(null)}>Close</button>}>
          <ul data-testid="comments">
            {comments.list.map((c) => (
              <li>
                <strong>{c.action}</strong> {c.comment} <span class="muted small">{when(c.created)}</span>
              </li>
            ))}
          </ul>
          {comments.list.length === 0 && <p class="muted">No comments from the reviewer.</p>}
        </Section>
      )}
      <Section
        title="My integrations"
        actions={
          <NewButton show={manage && !draft} testid="new-integration" onClick={() => setDraft({ key: '', name: '', description: '', support: '', guide: '', scopes: {} })}>
            New integration
          </NewButton>
        }
      >
        {draft && (
          <Form
            inline={false}
            submit="Save draft"
            onSubmit={act(
              async () => {
                let logoUrl = draft.logoUrl;
                if (logo) {
                  const f = new FormData();
                  f.append('file', logo);
                  logoUrl = (await upload<{ url: string }>(`${BASE}/logo`, f)).url;
                }
                await call('POST', BASE, {
                  id: draft.key || keyOf(draft.name),
                  name: draft.name,
                  description: draft.description,
                  ...(logoUrl ? { logo: logoUrl } : {}),
                  appContactDetails: draft.support
                    ? [{ contactType: 'CUSTOMER_SUPPORT', contactValueType: 'EMAIL', contact: draft.support }]
                    : [],
                  apiService: {
                    ...(draft.guide ? { configGuideUrl: draft.guide } : {}),
                    scopes: Object.entries(draft.scopes).map(([scope, reason]) => ({ scope, reason })),
                  },
                });
              },
              () => {
                setDraft(null);
                setLogo(null);
              },
            )}
            onCancel={() => setDraft(null)}
          >
            {draft.version && <h3>A new version of {draft.key}: installs keep the published one until it is approved</h3>}
            <Field label="Name" required maxLength={64} {...bind(draft, setDraft, 'name')} />
            <Field
              label="Integration key (a-z, 0-9, _; unique on this server, cannot change)"
              name="integration-key"
              disabled={draft.version}
              placeholder={keyOf(draft.name)}
              pattern="[a-z0-9_]{1,64}"
              {...bind(draft, setDraft, 'key')}
            />
            <Field label="Description" rows={3} maxLength={1024} {...bind(draft, setDraft, 'description')} />
            <label>
              Logo (PNG, at most 1 MiB)
              <input type="file" accept="image/png" onChange={(e) => setLogo(e.currentTarget.files?.[0] ?? null)} />
            </label>
            <Field label="Support email" type="email" {...bind(draft, setDraft, 'support')} />
            <Field label="Configuration guide (https URL)" type="url" {...bind(draft, setDraft, 'guide')} />
            <p class="muted">Scopes the integration asks for, each with the reason shown to admins before they consent:</p>
            {SCOPES.map(([s, d]) => (
              <div class="scope-reason">
                <Choice
                  value={s}
                  help={d}
                  checked={s in draft.scopes}
                  onChange={() => {
                    const next = { ...draft.scopes };
                    if (s in next) delete next[s];
                    else next[s] = '';
                    setDraft({ ...draft, scopes: next });
                  }}
                />
                {s in draft.scopes && (
                  <input
                    placeholder="Why your service needs it"
                    value={draft.scopes[s]}
                    onInput={(e) => setDraft({ ...draft, scopes: { ...draft.scopes, [s]: e.currentTarget.value } })}
                  />
                )}
              </div>
            ))}
          </Form>
        )}
        <Table
          head={['Name', 'Scopes and reasons', 'Status', 'Updated', '']}
          items={subs}
          empty="No integrations yet."
          row={(s) => (
            <tr>
              <td>
                <strong>{s.name}</strong>
                <div class="muted small">{s.description}</div>
              </td>
              <td>
                {(s.apiService?.scopes ?? []).map((x: any) => (
                  <div>
                    <code>{x.scope}</code> <span class="muted small">{x.reason}</span>
                  </div>
                ))}
              </td>
              <td>
                {s.status}
                {s.lastPublished && <div class="muted small">published {when(s.lastPublished)}</div>}
              </td>
              <td>{when(s.lastUpdated)}</td>
              <td>
                <button type="button" class="secondary small" onClick={act(async () => setComments({ id: s.id, list: await call('GET', `${BASE}/${s.id}/comments`) }))}>
                  Comments
                </button>
                {manage && s.status === 'PUBLISHED' && !draft && (
                  <button type="button" class="small" onClick={() => setDraft(draftOf(s))}>
                    New version
                  </button>
                )}
                {testable && (s.status === 'DRAFT' || s.status === 'REJECTED') && (
                  <button type="button" class="secondary small" data-testid="test-instance" onClick={act(async () => setTest(await call('POST', `${BASE}/${s.id}/test-instance`, {})))}>
                    Test instance
                  </button>
                )}
                {manage && (s.status === 'DRAFT' || s.status === 'REJECTED') && (
                  <>
                    <button type="button" class="small" onClick={act(() => call('POST', `${BASE}/${s.id}/submit`))}>
                      Submit for review
                    </button>
                    <ConfirmButton
                      confirm={`${s.lastPublished ? 'Discard this version (the published one stays)' : 'Delete this draft'}: ${s.name}?`}
                      onClick={act(() => call('DELETE', `${BASE}/${s.id}`))}
                    >
                      {s.lastPublished ? 'Discard version' : 'Delete'}
                    </ConfirmButton>
                  </>
                )}
              </td>
            </tr>
          )}
        />
      </Section>
    </>
  );
}
