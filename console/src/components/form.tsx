// Create and edit forms: the fields with the browser's own validation (required, maxLength,
// pattern, type), a submit button and Cancel. The server's refusals (Okta's error envelope:
// errorSummary and errorCauses) are shown by the page's ErrorBox, through useResource's `act`.
import type { ComponentChildren, JSX } from 'preact';

export function Form(props: {
  submit: string;
  onSubmit: () => void;
  onCancel?: () => void;
  inline?: boolean; // class "inline" (default); false: a block form with the buttons in a row
  testid?: string;
  children: ComponentChildren;
}) {
  const inline = props.inline ?? true;
  const buttons = (
    <>
      <button type="submit">{props.submit}</button>
      {props.onCancel && (
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      )}
    </>
  );
  return (
    <form
      class={inline ? 'inline' : undefined}
      data-testid={props.testid}
      onSubmit={(e) => {
        e.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
      {inline ? buttons : <div class="row">{buttons}</div>}
    </form>
  );
}

type InputProps = Omit<JSX.HTMLAttributes<HTMLInputElement>, 'label' | 'value' | 'onInput' | 'rows'>;

// A labelled input (a textarea when `rows` is given) whose value is a string.
export function Field({ label, value, onValue, rows, ...input }: InputProps & {
  label: ComponentChildren;
  value: string;
  onValue: (v: string) => void;
  rows?: number;
}) {
  return (
    <label>
      {label}
      {rows ? (
        <textarea {...(input as JSX.HTMLAttributes<HTMLTextAreaElement>)} rows={rows} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      ) : (
        <input {...input} value={value} onInput={(e) => onValue(e.currentTarget.value)} />
      )}
    </label>
  );
}

// The value and setter of field `key` of a form object kept in state: <Field {...bind(f, setF, 'name')} />.
export function bind<T, K extends keyof T>(form: T, set: (f: T) => void, key: K) {
  return { value: form[key] as unknown as string, onValue: (v: string) => set({ ...form, [key]: v }) };
}

// A checkbox with a code name and its description (scopes, roles).
export function Choice(props: { name?: string; value: string; help?: string; checked: boolean; disabled?: boolean; onChange: () => void }) {
  return (
    <label class="choice">
      <input type="checkbox" name={props.name} value={props.value} disabled={props.disabled} checked={props.checked} onChange={props.onChange} />
      <span>
        <code>{props.value}</code> <span class="muted">{props.help}</span>
      </span>
    </label>
  );
}

// `list` with `v` added, or removed if it was there.
export const toggled = (list: string[], v: string) => (list.includes(v) ? list.filter((x) => x !== v) : [...list, v]);
