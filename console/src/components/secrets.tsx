// The "Client secrets" section of an OAuth client (an app, an installed integration): New secret
// (its value goes to `onNew`, which shows it once), and the list with each secret's lifecycle.
import type { ComponentChildren } from 'preact';
import { when } from '../api';
import type { Act } from './actions';
import { LifecycleButtons } from './buttons';
import { Table } from './table';
import { Section } from './ui';

export function SecretsSection(props: {
  path: string; // …/credentials/secrets
  secrets: any[];
  manage: boolean;
  act: Act;
  create: () => Promise<unknown>; // makes a secret and hands its value to the page
  activate?: boolean; // an INACTIVE secret may be activated again
  testid?: string;
  children?: ComponentChildren;
}) {
  const { path, manage, act } = props;
  return (
    <Section
      title="Client secrets"
      actions={
        manage && (
          <button type="button" data-testid={props.testid} onClick={act(props.create)}>
            New secret
          </button>
        )
      }
    >
      {props.children}
      <Table
        head={['Id', 'Secret', 'Status', 'Created', '']}
        items={props.secrets}
        row={(s) => (
          <tr>
            <td>
              <code>{s.id}</code>
            </td>
            <td>
              <code>{s.client_secret}</code>
            </td>
            <td>{s.status}</td>
            <td>{when(s.created)}</td>
            <td>{manage && <LifecycleButtons path={`${path}/${s.id}`} status={s.status} act={act} activate={props.activate} />}</td>
          </tr>
        )}
      />
    </Section>
  );
}
