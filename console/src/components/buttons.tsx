// Buttons shared by the pages: one that asks first (the browser's confirm dialog) before a change
// that cannot be undone, and the lifecycle buttons of a credential (secret or key).
import type { ComponentChildren } from 'preact';
import { call } from '../api';
import type { Act } from './actions';

export function ConfirmButton(props: {
  confirm?: string; // the question; none: runs at once
  onClick: () => void;
  class?: string;
  testid?: string;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={props.class ?? 'danger small'}
      data-testid={props.testid}
      onClick={() => {
        if (props.confirm && !confirm(props.confirm)) return;
        props.onClick();
      }}
    >
      {props.children}
    </button>
  );
}

// ACTIVE: Deactivate; otherwise (INACTIVE) Activate (if `activate`) and Delete. `path` is the
// credential's URL; its lifecycle is `path/lifecycle/{activate,deactivate}`.
export function LifecycleButtons({ path, status, act, activate = true }: { path: string; status: string; act: Act; activate?: boolean }) {
  const to = (what: string) => act(() => call('POST', `${path}/lifecycle/${what}`));
  if (status === 'ACTIVE')
    return (
      <button type="button" class="secondary small" onClick={to('deactivate')}>
        Deactivate
      </button>
    );
  return (
    <>
      {activate && (
        <button type="button" class="secondary small" onClick={to('activate')}>
          Activate
        </button>
      )}
      <button type="button" class="danger small" onClick={act(() => call('DELETE', path))}>
        Delete
      </button>
    </>
  );
}

// The button that opens a section's create form: shown only when `show` (the admin's roles allow
// it and the form is not open already).
export function NewButton(props: { show: unknown; onClick: () => void; testid?: string; children: ComponentChildren }) {
  return props.show ? (
    <button type="button" data-testid={props.testid} onClick={props.onClick}>
      {props.children}
    </button>
  ) : null;
}
