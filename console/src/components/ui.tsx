// Small shared pieces: the error banner (Okta's error envelope), copy button, the shown-once
// secret panel, a section with its actions, a file download.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';

export function ErrorBox({ error }: { error: unknown }) {
  if (!error) return null;
  const e = error as ApiError;
  return (
    <div class="error" role="alert">
      <strong>{e.message ?? String(error)}</strong>
      {e.causes?.length ? (
        <ul>
          {e.causes.map((c) => (
            <li>{c}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      class="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(value);
          setDone(true);
        } catch {
          setDone(false);
        }
      }}
    >
      {done ? 'Copied' : label}
    </button>
  );
}

// A secret the server shows once: the value, a copy button and a warning.
export function ShownOnce({ title, value, onDone }: { title: string; value: string; onDone: () => void }) {
  return (
    <div class="once" data-testid="shown-once">
      <h3>{title}</h3>
      <p class="warn">
        Copy it now: it is shown only this once. Gatehouse keeps only a keyed hash of it and cannot show it again.
      </p>
      <code class="secret" data-testid="secret-value">
        {value}
      </code>
      <div class="row">
        <CopyButton value={value} />
        <button type="button" onClick={onDone}>
          I have stored it
        </button>
      </div>
    </div>
  );
}

export function Section({ title, children, actions }: { title: string; children: ComponentChildren; actions?: ComponentChildren }) {
  return (
    <section>
      <div class="section-head">
        <h2>{title}</h2>
        <div class="actions">{actions}</div>
      </div>
      {children}
    </section>
  );
}

export function download(name: string, text: string, type = 'application/json') {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
