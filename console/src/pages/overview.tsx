// Overview: the org URL, counts, and "Which credential should I use?" (issue 17).
import { useEffect, useState } from 'preact/hooks';
import { call, can, Me, ORG_URL } from '../api';
import { CopyButton, Section } from '../components/ui';

type Answer = 'yes' | 'no' | undefined;

const OUTCOMES = {
  oauth: {
    title: 'OAuth client credentials (an API service app)',
    why: 'A program acting for itself in your own org: it signs a short JWT with its private key and gets an access token that lasts an hour and carries only the okta.* scopes you granted.',
    plus: ['No long-lived secret travels with requests', 'Least privilege: scopes and admin roles per app', 'Keys rotate without downtime; DPoP can bind tokens to the key'],
    minus: ['The program must implement client credentials with private_key_jwt (every Okta SDK does)'],
    action: { label: 'Create an API service app', href: '#/apps/new', needs: 'apps.manage' },
  },
  integration: {
    title: 'An API service integration',
    why: 'You build a product that other orgs install: each installing org consents to the scopes you declare and gets its own client id and secret for your service.',
    plus: ['Each customer org installs and revokes it on its own', 'Scopes and reasons are shown before consent'],
    minus: ['Submission and review before other orgs can install it'],
    action: { label: 'Start an integration', href: '#/integrations', needs: 'manifests.manage' },
  },
  token: {
    title: 'An API token (SSWS), only when nothing else works',
    why: 'A script or tool that cannot do OAuth. The token acts as you, with every permission of your admin roles, until it is revoked or unused for 30 days.',
    plus: ['Works with a plain header: Authorization: SSWS …'],
    minus: ['Carries all of your permissions, not a chosen subset', 'Long-lived: a leak lasts until someone revokes it', 'Tied to your account: it stops when you are deactivated'],
    action: { label: 'Create an API token', href: '#/tokens?new', needs: '' },
  },
} as const;

function Guide({ me }: { me: Me }) {
  const [self, setSelf] = useState<Answer>();
  const [others, setOthers] = useState<Answer>();
  const [oauth, setOauth] = useState<Answer>();
  const q = (text: string, value: Answer, set: (a: Answer) => void, name: string) => (
    <div class="question" data-testid={`q-${name}`}>
      <span>{text}</span>
      <div class="row">
        <button type="button" class={value === 'yes' ? '' : 'secondary'} onClick={() => set('yes')}>
          Yes
        </button>
        <button type="button" class={value === 'no' ? '' : 'secondary'} onClick={() => set('no')}>
          No
        </button>
      </div>
    </div>
  );
  let outcome: keyof typeof OUTCOMES | 'person' | undefined;
  if (self === 'no') outcome = 'person';
  else if (self === 'yes' && others === 'yes') outcome = 'integration';
  else if (self === 'yes' && others === 'no' && oauth === 'yes') outcome = 'oauth';
  else if (self === 'yes' && others === 'no' && oauth === 'no') outcome = 'token';
  return (
    <div class="guide" data-testid="decision-guide">
      {q('Is the caller a program acting for itself (no person signs in)?', self, setSelf, 'self')}
      {self === 'yes' && q('Will other orgs install it (you build it for customers)?', others, setOthers, 'others')}
      {self === 'yes' && others === 'no' && q('Can it do OAuth 2.0 (client credentials)?', oauth, setOauth, 'oauth')}
      {outcome === 'person' && (
        <div class="outcome">
          <h3>A person: an admin account</h3>
          <p>People sign in here with their own login and password; give them an admin role that covers what they do (Users → roles).</p>
        </div>
      )}
      {outcome && outcome !== 'person' && (
        <div class="outcome" data-testid="guide-outcome">
          <h3>{OUTCOMES[outcome].title}</h3>
          <p>{OUTCOMES[outcome].why}</p>
          <div class="tradeoffs">
            <ul class="plus">{OUTCOMES[outcome].plus.map((p) => <li>{p}</li>)}</ul>
            <ul class="minus">{OUTCOMES[outcome].minus.map((p) => <li>{p}</li>)}</ul>
          </div>
          {(!OUTCOMES[outcome].action.needs || can(me, OUTCOMES[outcome].action.needs)) && (
            <a class="button" href={OUTCOMES[outcome].action.href}>
              {OUTCOMES[outcome].action.label}
            </a>
          )}
        </div>
      )}
    </div>
  );
}

export function Overview({ me }: { me: Me }) {
  const [counts, setCounts] = useState<Record<string, string>>({});
  useEffect(() => {
    const sources: [string, string, string][] = [
      ['Users', 'users.read', '/api/v1/users?limit=200'],
      ['Groups', 'groups.read', '/api/v1/groups?limit=200'],
      ['Applications', 'apps.read', '/api/v1/apps?limit=200'],
      ['API tokens', '', '/api/v1/api-tokens?limit=200'],
    ];
    for (const [label, needs, path] of sources) {
      if (needs && !can(me, needs)) continue;
      call<unknown[]>('GET', path)
        .then((items) => setCounts((c) => ({ ...c, [label]: items.length >= 200 ? '200+' : String(items.length) })))
        .catch(() => {});
    }
  }, []);
  return (
    <>
      <h1>Overview</h1>
      <Section title="Your org">
        <div class="row">
          <code data-testid="org-url">{ORG_URL}</code>
          <CopyButton value={ORG_URL} label="Copy org URL" />
        </div>
        <div class="counts">
          {Object.entries(counts).map(([k, v]) => (
            <div class="count">
              <div class="n">{v}</div>
              <div class="muted">{k}</div>
            </div>
          ))}
        </div>
      </Section>
      <Section title="Which credential should I use?">
        <Guide me={me} />
      </Section>
    </>
  );
}
