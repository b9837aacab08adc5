// A resource table: the header (a false entry is a column not shown), one row per item, the
// empty-state line, and the "more" button of a paged list (usePaged).
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { page } from '../api';

export function Table<T>(props: {
  head: (string | false)[];
  items: T[];
  row: (item: T) => ComponentChildren;
  empty?: string; // shown under an empty table
  testid?: string;
}) {
  return (
    <>
      <table data-testid={props.testid}>
        <thead>
          <tr>{props.head.map((h) => h !== false && <th>{h}</th>)}</tr>
        </thead>
        <tbody>{props.items.map(props.row)}</tbody>
      </table>
      {props.empty && props.items.length === 0 && <p class="muted">{props.empty}</p>}
    </>
  );
}

export function MoreButton({ next, onClick, label = 'More' }: { next: string | null | false; onClick: () => void; label?: string }) {
  return next ? (
    <button type="button" class="secondary" onClick={onClick}>
      {label}
    </button>
  ) : null;
}

// A list read page by page (the Link rel="next" of the management API): `load(url)` replaces
// the items, `load(next, true)` appends the next page.
export function usePaged<T>(setError: (e: unknown) => void) {
  const [items, setItems] = useState<T[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const load = (url: string, more = false) =>
    page<T>(url)
      .then((p) => {
        setItems(more ? (old) => [...old, ...p.items] : p.items);
        setNext(p.next);
      })
      .catch(setError);
  return { items, setItems, next, load };
}
