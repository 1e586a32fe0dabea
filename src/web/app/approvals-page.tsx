/** Supervisors' approval queue for trainees' public replies: approve (optionally edited) or reject with a comment. */
import type { PublicUser } from '../../db/repositories/users.ts';
import { AppLayout, fmtTime, label } from './layout.tsx';

export interface ApprovalItem {
  id: string;
  conversationId: string;
  kind: string;
  text: string;
  createdAt: string;
}

export function ApprovalsPage({
  items,
  user,
  csrfToken,
}: {
  items: ApprovalItem[];
  user: PublicUser;
  csrfToken: string;
}) {
  return (
    <AppLayout title="Approvals" user={user} csrfToken={csrfToken} current="approvals">
      <h1>Replies waiting for approval</h1>
      {items.length === 0 && <p>Nothing to review.</p>}
      <ul class="approvals">
        {items.map((r) => (
          <li key={r.id}>
            <p>
              {label(r.kind)} · {fmtTime(r.createdAt)} ·{' '}
              <a href={`/app/conversations/${r.conversationId}`}>conversation</a>
            </p>
            <form method="post" action={`/api/replies/${r.id}/approve`}>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <label for={`t-${r.id}`} class="block">
                Reply (edit before approving if needed)
              </label>
              <textarea id={`t-${r.id}`} name="text" rows={3}>
                {r.text}
              </textarea>
              <label>
                Comment <input name="comment" />
              </label>{' '}
              <button type="submit">Approve</button>
            </form>
            <form method="post" action={`/api/replies/${r.id}/reject`}>
              <input type="hidden" name="_csrf" value={csrfToken} />
              <label>
                Why not <input name="comment" required />
              </label>{' '}
              <button type="submit">Reject</button>
            </form>
          </li>
        ))}
      </ul>
    </AppLayout>
  );
}
