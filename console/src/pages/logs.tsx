// System Log: filters (event type, actor, target, outcome, time range), paging, live tail.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Me, page, when } from '../api';
import { useResource } from '../components/actions';
import { Field } from '../components/form';
import { MoreButton, Table, usePaged } from '../components/table';
import { ErrorBox } from '../components/ui';

interface LogEvent {
  uuid: string;
  published: string;
  eventType: string;
  displayMessage: string;
  severity: string;
  actor: { id: string; type: string; alternateId: string | null; displayName: string | null };
  outcome: { result: string; reason: string | null };
  target: { id: string; type: string; displayName: string | null }[] | null;
  client: { ipAddress: string | null } | null;
}

const q = (s: string) => '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"';

function toIso(local: string): string {
  return local ? new Date(local).toISOString() : '';
}

export function SystemLog(_: { me: Me }) {
  const [eventType, setEventType] = useState('');
  const [actor, setActor] = useState('');
  const [target, setTarget] = useState('');
  const [outcome, setOutcome] = useState('');
  const [since, setSince] = useState('');
  const [until, setUntil] = useState('');
  const [tail, setTail] = useState(false);
  const { error, setError } = useResource(() => load(query('DESCENDING')));
  const { items: events, setItems: setEvents, next, load } = usePaged<LogEvent>(setError);
  const tailNext = useRef<string | null>(null);

  const query = (order: 'DESCENDING' | 'ASCENDING', sinceIso?: string) => {
    const parts: string[] = [];
    if (eventType) parts.push(`eventType sw ${q(eventType)}`);
    if (actor) parts.push(`actor.alternateId eq ${q(actor)}`);
    if (target) parts.push(`target.id eq ${q(target)}`);
    if (outcome) parts.push(`outcome.result eq ${q(outcome)}`);
    const p = new URLSearchParams({ limit: '50', sortOrder: order });
    if (parts.length) p.set('filter', parts.join(' and '));
    const s = sinceIso ?? toIso(since);
    if (s) p.set('since', s);
    if (until && order === 'DESCENDING') p.set('until', toIso(until));
    return '/api/v1/logs?' + p.toString();
  };

  const search = () => {
    setError(null);
    load(query('DESCENDING'));
  };

  // Live tail: a polling request (ASCENDING, Okta's polling mode) from the newest event shown.
  useEffect(() => {
    if (!tail) return;
    tailNext.current = null;
    const from = events[0]?.published ?? new Date().toISOString();
    let stop = false;
    const tick = async () => {
      if (stop) return;
      try {
        const r = await page<LogEvent>(tailNext.current ?? query('ASCENDING', from), true);
        const seen = new Set(events.map((e) => e.uuid));
        const fresh = r.items.filter((e) => !seen.has(e.uuid));
        if (fresh.length) setEvents((old) => [...fresh.reverse(), ...old.filter((o) => !fresh.some((f) => f.uuid === o.uuid))]);
        if (r.next) tailNext.current = r.next;
      } catch (err) {
        setError(err);
      }
      if (!stop) timer = setTimeout(tick, 2000);
    };
    let timer = setTimeout(tick, 500);
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [tail]);

  return (
    <>
      <h1>System Log</h1>
      <form
        class="filters"
        onSubmit={(e) => {
          e.preventDefault();
          search();
        }}
      >
        <Field label="Event type starts with" name="eventType" value={eventType} placeholder="user.session" onValue={setEventType} />
        <Field label="Actor (login or client id)" name="actor" value={actor} onValue={setActor} />
        <Field label="Target id" name="target" value={target} onValue={setTarget} />
        <label>
          Outcome
          <select name="outcome" value={outcome} onChange={(e) => setOutcome(e.currentTarget.value)}>
            <option value="">any</option>
            <option>SUCCESS</option>
            <option>FAILURE</option>
            <option>DENY</option>
          </select>
        </label>
        <Field label="From" type="datetime-local" name="since" value={since} onValue={setSince} />
        <Field label="To" type="datetime-local" name="until" value={until} onValue={setUntil} />
        <div class="row">
          <button type="submit">Search</button>
          <label class="choice">
            <input type="checkbox" name="tail" checked={tail} onChange={() => setTail(!tail)} /> Live tail
          </label>
        </div>
      </form>
      <ErrorBox error={error} />
      <Table
        testid="log-table"
        head={['Time', 'Event', 'Actor', 'Outcome', 'Targets', 'IP']}
        items={events}
        empty="No events match."
        row={(e) => (
          <tr class={e.outcome.result === 'SUCCESS' ? '' : 'bad'}>
            <td class="nowrap">{when(e.published)}</td>
            <td>
              <code>{e.eventType}</code>
              <div class="muted small">{e.displayMessage}</div>
            </td>
            <td>{e.actor.alternateId ?? e.actor.displayName ?? e.actor.id}</td>
            <td>
              {e.outcome.result}
              {e.outcome.reason ? <div class="muted small">{e.outcome.reason}</div> : null}
            </td>
            <td>{(e.target ?? []).map((t) => t.displayName || t.id).join(', ')}</td>
            <td>{e.client?.ipAddress ?? ''}</td>
          </tr>
        )}
      />
      <MoreButton next={!tail && next} label="Older events" onClick={() => load(next!, true)} />
    </>
  );
}
