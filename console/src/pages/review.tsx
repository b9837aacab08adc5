// The operator's review queue (issue 15; the server's operator is a SUPER_ADMIN of the first org,
// Me.operator): submissions by status with their scope diff against the published version;
// approve, reject with a comment, unpublish (optionally revoking every install).
import { useState } from 'preact/hooks';
import { call, Me, when } from '../api';
import { useResource } from '../components/actions';
import { ConfirmButton } from '../components/buttons';
import { Table } from '../components/table';
import { ErrorBox, Section } from '../components/ui';

const QUEUE = '/api/v1/review/submissions';
const STATUSES = ['SUBMITTED', 'PUBLISHED', 'REJECTED', 'DRAFT'];

function Diff({ diff }: { diff: { added: string[]; removed: string[]; unchanged: string[] } }) {
  return (
    <div data-testid="scope-diff">
      {diff.added.map((s) => (
        <div class="diff-added">
          + <code>{s}</code>
        </div>
      ))}
      {diff.removed.map((s) => (
        <div class="diff-removed">
          − <code>{s}</code>
        </div>
      ))}
      {diff.unchanged.map((s) => (
        <div class="muted">
          &nbsp; <code>{s}</code>
        </div>
      ))}
    </div>
  );
}

export function ReviewQueue({ me }: { me: Me }) {
  const [status, setStatus] = useState('SUBMITTED');
  const [list, setList] = useState<any[]>([]);
  const [rejecting, setRejecting] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [revoke, setRevoke] = useState<Record<string, boolean>>({});
  const { error, act: change } = useResource(() => call<any[]>('GET', `${QUEUE}?status=${status}&limit=200`).then(setList), [status]);
  // A decision closes the reject form.
  const act = (f: () => Promise<unknown>) =>
    change(f, () => {
      setRejecting(null);
      setComment('');
    });
  if (!me.operator) return <p>Only the server's operator (a super admin of the first org) reviews integrations.</p>;
  return (
    <Section
      title="Review queue"
      actions={
        <select name="review-status" value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
          {STATUSES.map((s) => (
            <option value={s}>{s}</option>
          ))}
        </select>
      }
    >
      <ErrorBox error={error} />
      <Table
        testid="review-queue"
        head={['Integration', 'Vendor', 'Scopes (against the published version)', 'Comments', '']}
        items={list}
        empty={`Nothing ${status.toLowerCase()}.`}
        row={(r) => (
          <tr data-submission={r.id}>
            <td>
              <strong>{r.submission.name}</strong> <code class="small">{r.id}</code>
              <div class="muted small">{r.submission.description}</div>
              <div class="muted small">
                updated {when(r.submission.lastUpdated)}
                {r.published && ` · published version ${r.published.version}${r.published.listed === false ? ' (unpublished)' : ''}`}
              </div>
            </td>
            <td>
              {r.vendorOrg.name}
              <div class="muted small">{r.vendorOrg.url}</div>
            </td>
            <td>
              <Diff diff={r.scopeDiff} />
              {(r.submission.apiService?.scopes ?? []).map((s: any) => (
                <div class="muted small">
                  {s.scope}: {s.reason}
                </div>
              ))}
            </td>
            <td>
              {r.comments.map((c: any) => (
                <div class="small">
                  <strong>{c.action}</strong> {c.comment} <span class="muted">{when(c.created)}</span>
                </div>
              ))}
            </td>
            <td>
              {r.status === 'SUBMITTED' && rejecting !== r.id && (
                <>
                  <button type="button" class="small" onClick={act(() => call('POST', `${QUEUE}/${r.id}/approve`, {}))}>
                    Approve
                  </button>
                  <button type="button" class="danger small" onClick={() => setRejecting(r.id)}>
                    Reject…
                  </button>
                </>
              )}
              {rejecting === r.id && (
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    act(() => call('POST', `${QUEUE}/${r.id}/reject`, { comment }))();
                  }}
                >
                  <textarea name="review-comment" required maxLength={2048} value={comment} placeholder="What the vendor must change" onInput={(e) => setComment(e.currentTarget.value)} />
                  <button type="submit" class="danger small">
                    Reject
                  </button>
                  <button type="button" class="secondary small" onClick={() => setRejecting(null)}>
                    Cancel
                  </button>
                </form>
              )}
              {r.published && r.published.listed !== false && (
                <div>
                  <label class="choice small">
                    <input type="checkbox" checked={!!revoke[r.id]} onChange={(e) => setRevoke({ ...revoke, [r.id]: e.currentTarget.checked })} />
                    also revoke installs
                  </label>
                  <ConfirmButton
                    confirm={`Unpublish “${r.submission.name}”${revoke[r.id] ? ' and revoke every install (their tokens stop working)' : '; installs keep working'}?`}
                    onClick={act(() => call('POST', `${QUEUE}/${r.id}/unpublish`, { revokeInstalls: !!revoke[r.id] }))}
                  >
                    Unpublish
                  </ConfirmButton>
                </div>
              )}
            </td>
          </tr>
        )}
      />
    </Section>
  );
}
