// One custom authorization server's claims (add, delete) and access policies with their rules
// (add, edit, delete): the OAuth2Claim, AuthorizationServerPolicy and ...PolicyRule shapes of the
// management API. Buttons that change anything show only with authorizationServers.manage.
import { useState } from 'preact/hooks';
import { call } from '../api';
import type { Act } from '../components/actions';
import { ConfirmButton, NewButton } from '../components/buttons';
import { bind, Field, Form } from '../components/form';
import { Table } from '../components/table';
import { Section } from '../components/ui';

const list = (s: string) => s.split(/[\s,]+/).filter(Boolean);

interface Props {
  base: string; // /api/v1/authorizationServers/{id}
  manage: boolean;
  act: Act; // runs a change, then reloads the page's data; errors go to the page's banner
}

interface ClaimForm {
  name: string;
  value: string;
  scopes: string;
  always: boolean;
}

export function ClaimsSection(props: Props & { claims: any[] }) {
  const { base, manage, claims, act } = props;
  const [form, setForm] = useState<ClaimForm | null>(null);
  return (
    <Section
      title="Claims"
      actions={
        <NewButton show={manage && !form} testid="new-claim" onClick={() => setForm({ name: '', value: '', scopes: '', always: true })}>
          Add claim
        </NewButton>
      }
    >
      {form && (
        <Form
          testid="claim-form"
          submit="Add"
          onSubmit={act(
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
          )}
          onCancel={() => setForm(null)}
        >
          <Field label="Name (in the access token)" name="claim-name" required {...bind(form, setForm, 'name')} />
          <Field
            label='Value: an expression ("text" in quotes, or app.clientId)'
            name="claim-value"
            placeholder={'"acme" or app.clientId'}
            required
            {...bind(form, setForm, 'value')}
          />
          <Field label="Only for scopes (empty = any)" name="claim-scopes" {...bind(form, setForm, 'scopes')} />
          <label>
            <input
              type="checkbox"
              name="claim-always"
              checked={form.always}
              onChange={(e) => setForm({ ...form, always: e.currentTarget.checked })}
            />
            Always include in the token
          </label>
        </Form>
      )}
      <Table
        testid="claims-table"
        head={['Name', 'Value', 'Token', 'Scopes', 'Status', manage && '']}
        items={claims}
        empty="No custom claims."
        row={(c) => (
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
                <ConfirmButton
                  confirm={`Delete the claim “${c.name}”? Tokens issued from now on no longer carry it.`}
                  onClick={act(() => call('DELETE', `${base}/claims/${c.id}`))}
                >
                  Delete
                </ConfirmButton>
              </td>
            )}
          </tr>
        )}
      />
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
  const { base, manage, policies, act } = props;
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
        <NewButton show={manage && policyName === null} testid="new-policy" onClick={() => setPolicyName('')}>
          Add policy
        </NewButton>
      }
    >
      {policyName !== null && (
        <Form
          submit="Add"
          onSubmit={act(
            () =>
              call('POST', `${base}/policies`, {
                type: 'OAUTH_AUTHORIZATION_POLICY',
                name: policyName,
                description: policyName,
                conditions: { clients: { include: ['ALL_CLIENTS'] } },
              }),
            () => setPolicyName(null),
          )}
          onCancel={() => setPolicyName(null)}
        >
          <Field label="Policy name (applies to every client)" name="policy-name" value={policyName} required onValue={setPolicyName} />
        </Form>
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
                  <ConfirmButton
                    confirm={`Delete the policy “${policy.name}” and its rules? Clients it covered get no tokens from it any more.`}
                    onClick={act(() => call('DELETE', `${base}/policies/${policy.id}`))}
                  >
                    Delete policy
                  </ConfirmButton>
                </>
              )}
            </h3>
            {policy.description && policy.description !== policy.name && <p class="muted">{policy.description}</p>}
            {ep && (
              <Form
                submit="Save policy"
                onSubmit={act(
                  // PUT replaces the policy: keep its conditions, priority and status.
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
                )}
                onCancel={() => setEditPolicy(null)}
              >
                <Field label="Name" name="edit-policy-name" required {...bind(ep, setEditPolicy, 'name')} />
                <Field label="Description" name="edit-policy-description" {...bind(ep, setEditPolicy, 'description')} />
              </Form>
            )}
            {rf && (
              <Form
                testid="rule-form"
                submit={rf.id === null ? 'Add rule' : 'Save rule'}
                onSubmit={act(() => saveRule(rf, rules), () => setRuleForm(null))}
                onCancel={() => setRuleForm(null)}
              >
                <Field label="Rule name" name="rule-name" required {...bind(rf, setRuleForm, 'name')} />
                <Field label="Scopes (* = any)" name="rule-scopes" {...bind(rf, setRuleForm, 'scopes')} />
                <Field label="Token lifetime (minutes)" name="rule-minutes" type="number" min={5} max={1440} {...bind(rf, setRuleForm, 'minutes')} />
              </Form>
            )}
            <Table
              head={['Rule', 'Grant types', 'Scopes', 'Token lifetime', manage && '']}
              items={rules}
              row={(r) => (
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
                      <ConfirmButton confirm={`Delete the rule “${r.name}”?`} onClick={act(() => call('DELETE', `${base}/policies/${policy.id}/rules/${r.id}`))}>
                        Delete
                      </ConfirmButton>
                    </td>
                  )}
                </tr>
              )}
            />
          </div>
        );
      })}
    </Section>
  );
}
