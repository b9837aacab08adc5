// One custom authorization server's claims (add, delete) and access policies with their rules
// (add, edit, delete): the OAuth2Claim, AuthorizationServerPolicy and ...PolicyRule shapes of the
// management API. Buttons that change anything show only with authorizationServers.manage.
import { useState } from 'preact/hooks';
import { call } from '../api';
import { Section } from '../ui';

const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

interface Props {
  base: string; // /api/v1/authorizationServers/{id}
  manage: boolean;
  reload: () => void;
  setError: (e: unknown) => void;
}

// Runs a change, then reloads the page's data; errors go to the page's banner.
function runner({ reload, setError }: Props) {
  return async (f: () => Promise<unknown>, done?: () => void) => {
    setError(null);
    try {
      await f();
      done?.();
      reload();
    } catch (err) {
      setError(err);
    }
  };
}

interface ClaimForm {
  name: string;
  value: string;
  scopes: string;
  always: boolean;
}

export function ClaimsSection(props: Props & { claims: any[] }) {
  const { base, manage, claims } = props;
  const run = runner(props);
  const [form, setForm] = useState<ClaimForm | null>(null);
  return (
    <Section
      title="Claims"
      actions={
        manage &&
        !form && (
          <button type="button" data-testid="new-claim" onClick={() => setForm({ name: '', value: '', scopes: '', always: true })}>
            Add claim
          </button>
        )
      }
    >
      {form && (
        <form
          class="inline"
          data-testid="claim-form"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () =>
                call('POST', `${base}/claims`, {
                  name: form.name,
                  status: 'ACTIVE',
                  claimType: 'RESOURCE',
                  valueType: 'EXPRESSION',
                  value: form.value,
                  conditions: { scopes: list(form.scopes) },
                  alwaysIncludeInToken: form.always,
                }),
              () => setForm(null),
            );
          }}
        >
          <label>
            Name (in the access token)
            <input name="claim-name" value={form.name} required onInput={(e) => setForm({ ...form, name: e.currentTarget.value })} />
          </label>
          <label>
            Value: an expression ("text" in quotes, or app.clientId)
            <input
              name="claim-value"
              value={form.value}
              placeholder={'"acme" or app.clientId'}
              required
              onInput={(e) => setForm({ ...form, value: e.currentTarget.value })}
            />
          </label>
          <label>
            Only for scopes (empty = any)
            <input name="claim-scopes" value={form.scopes} onInput={(e) => setForm({ ...form, scopes: e.currentTarget.value })} />
          </label>
          <label>
            <input
              type="checkbox"
              name="claim-always"
              checked={form.always}
              onChange={(e) => setForm({ ...form, always: e.currentTarget.checked })}
            />
            Always include in the token
          </label>
          <button type="submit">Add</button>
          <button type="button" class="secondary" onClick={() => setForm(null)}>
            Cancel
          </button>
        </form>
      )}
      <table data-testid="claims-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Value</th>
            <th>Token</th>
            <th>Scopes</th>
            <th>Status</th>
            {manage && <th />}
          </tr>
        </thead>
        <tbody>
          {claims.map((c) => (
            <tr data-claim={c.name}>
              <td>
                <code>{c.name}</code>
              </td>
              <td>
                <code>{c.value}</code>
              </td>
              <td>{c.claimType}</td>
              <td>{(c.conditions?.scopes ?? []).join(', ') || 'any'}</td>
              <td>{c.status}</td>
              {manage && (
                <td>
                  <button
                    type="button"
                    class="danger small"
                    onClick={() => {
                      if (!confirm(`Delete the claim “${c.name}”? Tokens issued from now on no longer carry it.`)) return;
                      run(() => call('DELETE', `${base}/claims/${c.id}`));
                    }}
                  >
                    Delete
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
      {claims.length === 0 && <p class="muted">No custom claims.</p>}
    </Section>
  );
}

// A rule form: new (id null) or the rule being edited.
interface RuleForm {
  policy: string;
  id: string | null;
  name: string;
  scopes: string;
  minutes: string;
}

export function PoliciesSection(props: Props & { policies: { policy: any; rules: any[] }[] }) {
  const { base, manage, policies } = props;
  const run = runner(props);
  const [policyName, setPolicyName] = useState<string | null>(null);
  const [editPolicy, setEditPolicy] = useState<{ id: string; name: string; description: string } | null>(null);
  const [ruleForm, setRuleForm] = useState<RuleForm | null>(null);

  const saveRule = (rf: RuleForm, rules: any[]) => {
    const path = `${base}/policies/${rf.policy}/rules`;
    const minutes = Number(rf.minutes);
    if (rf.id === null)
      return call('POST', path, {
        type: 'RESOURCE_ACCESS',
        name: rf.name,
        conditions: {
          grantTypes: { include: ['client_credentials'] },
          scopes: { include: list(rf.scopes) },
          people: { groups: { include: ['EVERYONE'] } },
        },
        actions: { token: { accessTokenLifetimeMinutes: minutes } },
      });
    // PUT replaces the rule: keep what this form does not show (grant types, people, priority).
    const r = rules.find((x) => x.id === rf.id) ?? {};
    return call('PUT', `${path}/${rf.id}`, {
      type: r.type ?? 'RESOURCE_ACCESS',
      name: rf.name,
      priority: r.priority,
      status: r.status,
      conditions: { ...r.conditions, scopes: { include: list(rf.scopes) } },
      actions: { ...r.actions, token: { ...r.actions?.token, accessTokenLifetimeMinutes: minutes } },
    });
  };

  return (
    <Section
      title="Access policies"
      actions={
        manage &&
        policyName === null && (
          <button type="button" data-testid="new-policy" onClick={() => setPolicyName('')}>
            Add policy
          </button>
        )
      }
    >
      {policyName !== null && (
        <form
          class="inline"
          onSubmit={(e) => {
            e.preventDefault();
            run(
              () =>
                call('POST', `${base}/policies`, {
                  type: 'OAUTH_AUTHORIZATION_POLICY',
                  name: policyName,
                  description: policyName,
                  conditions: { clients: { include: ['ALL_CLIENTS'] } },
                }),
              () => setPolicyName(null),
            );
          }}
        >
          <label>
            Policy name (applies to every client)
            <input name="policy-name" value={policyName} required onInput={(e) => setPolicyName(e.currentTarget.value)} />
          </label>
          <button type="submit">Add</button>
          <button type="button" class="secondary" onClick={() => setPolicyName(null)}>
            Cancel
          </button>
        </form>
      )}
      {policies.map(({ policy, rules }) => {
        const rf = ruleForm?.policy === policy.id ? ruleForm : null;
        const ep = editPolicy?.id === policy.id ? editPolicy : null;
        return (
          <div class="policy" data-policy={policy.name}>
            <h3>
              {policy.name}{' '}
              <span class="muted small">
                priority {policy.priority} · {policy.status}
              </span>
              {manage && (
                <>
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => setRuleForm({ policy: policy.id, id: null, name: '', scopes: '*', minutes: '60' })}
                  >
                    Add rule
                  </button>
                  <button
                    type="button"
                    class="secondary small"
                    onClick={() => setEditPolicy({ id: policy.id, name: policy.name, description: policy.description ?? '' })}
                  >
                    Edit policy
                  </button>
                  <button
                    type="button"
                    class="danger small"
                    onClick={() => {
                      if (!confirm(`Delete the policy “${policy.name}” and its rules? Clients it covered get no tokens from it any more.`)) return;
                      run(() => call('DELETE', `${base}/policies/${policy.id}`));
                    }}
                  >
                    Delete policy
                  </button>
                </>
              )}
            </h3>
            {policy.description && policy.description !== policy.name && <p class="muted">{policy.description}</p>}
            {ep && (
              <form
                class="inline"
                onSubmit={(e) => {
                  e.preventDefault();
                  // PUT replaces the policy: keep its conditions, priority and status.
                  run(
                    () =>
                      call('PUT', `${base}/policies/${policy.id}`, {
                        type: policy.type ?? 'OAUTH_AUTHORIZATION_POLICY',
                        name: ep.name,
                        description: ep.description,
                        priority: policy.priority,
                        status: policy.status,
                        conditions: policy.conditions,
                      }),
                    () => setEditPolicy(null),
                  );
                }}
              >
                <label>
                  Name
                  <input name="edit-policy-name" value={ep.name} required onInput={(e) => setEditPolicy({ ...ep, name: e.currentTarget.value })} />
                </label>
                <label>
                  Description
                  <input
                    name="edit-policy-description"
                    value={ep.description}
                    onInput={(e) => setEditPolicy({ ...ep, description: e.currentTarget.value })}
                  />
                </label>
                <button type="submit">Save policy</button>
                <button type="button" class="secondary" onClick={() => setEditPolicy(null)}>
                  Cancel
                </button>
              </form>
            )}
            {rf && (
              <form
                class="inline"
                data-testid="rule-form"
                onSubmit={(e) => {
                  e.preventDefault();
                  run(() => saveRule(rf, rules), () => setRuleForm(null));
                }}
              >
                <label>
                  Rule name
                  <input name="rule-name" value={rf.name} required onInput={(e) => setRuleForm({ ...rf, name: e.currentTarget.value })} />
                </label>
                <label>
                  Scopes (* = any)
                  <input name="rule-scopes" value={rf.scopes} onInput={(e) => setRuleForm({ ...rf, scopes: e.currentTarget.value })} />
                </label>
                <label>
                  Token lifetime (minutes)
                  <input
                    name="rule-minutes"
                    type="number"
                    min={5}
                    max={1440}
                    value={rf.minutes}
                    onInput={(e) => setRuleForm({ ...rf, minutes: e.currentTarget.value })}
                  />
                </label>
                <button type="submit">{rf.id === null ? 'Add rule' : 'Save rule'}</button>
                <button type="button" class="secondary" onClick={() => setRuleForm(null)}>
                  Cancel
                </button>
              </form>
            )}
            <table>
              <thead>
                <tr>
                  <th>Rule</th>
                  <th>Grant types</th>
                  <th>Scopes</th>
                  <th>Token lifetime</th>
                  {manage && <th />}
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr data-rule={r.name}>
                    <td>{r.name}</td>
                    <td>{(r.conditions?.grantTypes?.include ?? []).join(', ')}</td>
                    <td>{(r.conditions?.scopes?.include ?? []).join(', ')}</td>
                    <td>{r.actions?.token?.accessTokenLifetimeMinutes ?? ''} min</td>
                    {manage && (
                      <td>
                        <button
                          type="button"
                          class="secondary small"
                          onClick={() =>
                            setRuleForm({
                              policy: policy.id,
                              id: r.id,
                              name: r.name,
                              scopes: (r.conditions?.scopes?.include ?? []).join(' '),
                              minutes: String(r.actions?.token?.accessTokenLifetimeMinutes ?? 60),
                            })
                          }
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          class="danger small"
                          onClick={() => {
                            if (!confirm(`Delete the rule “${r.name}”?`)) return;
                            run(() => call('DELETE', `${base}/policies/${policy.id}/rules/${r.id}`));
                          }}
                        >
                          Delete
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        );
      })}
    </Section>
  );
}
