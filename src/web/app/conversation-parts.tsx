/** Pieces of the conversation view: thread, private sidebar, replies, contact, audit trail. */
import type { ConversationDetail, PostView, ReplyView } from '../../http/conversations/detail.ts';
import { fmtTime, label } from './layout.tsx';
import { slaEventText } from './sla-notices.ts';
import { routingEventText } from './triage-panel.tsx';

export function Post({ p }: { p: PostView }) {
  const cls = `post ${p.direction === 'outbound' ? 'out' : 'in'}${p.inConversation ? '' : ' context'}`;
  return (
    <li class={cls}>
      <p class="meta">
        <strong>
          {p.direction === 'outbound' ? `Us (${p.authorHandle || 'staff'})` : `@${p.authorHandle}`}
        </strong>{' '}
        · {fmtTime(p.postedAt)}
        {!p.inConversation && ' · context from the same thread'}
        {p.deleted && ' · deleted on the platform'}
        {p.url && (
          <>
            {' '}
            · <a href={p.url}>on the platform</a>
          </>
        )}
      </p>
      <p class="text">{p.text}</p>
    </li>
  );
}

export function Thread({ title, posts, empty }: { title: string; posts: PostView[]; empty: string }) {
  return (
    <section aria-label={title}>
      <h2>{title}</h2>
      {posts.length === 0 ? (
        <p>{empty}</p>
      ) : (
        <ol class="thread">
          {posts.map((p) => (
            <Post p={p} key={p.id} />
          ))}
        </ol>
      )}
    </section>
  );
}

/** The part of the view that live updates re-render (client.tsx): public thread, private sidebar, replies. */
export function ThreadPart({
  detail,
  csrf,
  canApprove,
}: {
  detail: Pick<ConversationDetail, 'thread' | 'sidebar' | 'replies' | 'olderPostsOmitted'>;
  csrf: string;
  canApprove: boolean;
}) {
  return (
    <>
      {detail.olderPostsOmitted && <p class="hint">Showing the newest posts of this conversation.</p>}
      <Thread title="Public thread" posts={detail.thread} empty="No public posts." />
      <Thread title="Private sidebar" posts={detail.sidebar} empty="No private messages yet." />
      <Replies replies={detail.replies} csrf={csrf} canApprove={canApprove} />
    </>
  );
}

export function Replies({
  replies,
  csrf,
  canApprove,
}: {
  replies: ReplyView[];
  csrf: string;
  canApprove: boolean;
}) {
  if (replies.length === 0) return null;
  return (
    <section aria-label="Outbox">
      <h2>Replies</h2>
      <ul class="replies">
        {replies.map((r) => (
          <li key={r.id} class={`reply ${r.status}`} data-reply={r.id}>
            <p class="meta">
              {label(r.kind)} by {r.authorName ?? 'someone'} · <strong>{label(r.status)}</strong>
              {r.externalUrl && (
                <>
                  {' '}
                  · <a href={r.externalUrl}>view</a>
                </>
              )}
            </p>
            <p class="text">{r.text}</p>
            {r.error && (
              <p class="error" role="alert">
                Failed on the platform: {r.error}. Your text is back in the composer.
              </p>
            )}
            {r.reviewComment && <p>Reviewer: {r.reviewComment}</p>}
            {r.retractReason && <p>Retracted: {r.retractReason}</p>}
            {r.status === 'scheduled' && (
              <form method="post" action={`/api/replies/${r.id}/undo`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <button type="submit">Undo</button>
              </form>
            )}
            {r.status === 'pending_approval' && canApprove && (
              <a href="/app/approvals">Review in the approval queue</a>
            )}
            {r.status === 'sent' && (
              <form method="post" action={`/api/replies/${r.id}/retract`} class="inline">
                <input type="hidden" name="_csrf" value={csrf} />
                <label>
                  Reason <input name="reason" required />
                </label>{' '}
                <button type="submit">Retract</button>
              </form>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function Contact({ contact, csrf }: { contact: ConversationDetail['contact']; csrf: string }) {
  if (!contact) return <p>No contact linked.</p>;
  return (
    <section aria-label="Contact">
      <h2>
        {contact.displayName}
        {contact.vip && ' (VIP)'}
      </h2>
      {contact.email && <p>{contact.email}</p>}
      <ul>
        {contact.identities.map((i) => (
          <li key={`${i.channelKind}:${i.handle}`}>
            {i.channelKind}: {i.profileUrl ? <a href={i.profileUrl}>@{i.handle}</a> : `@${i.handle}`}
            {i.followers !== null && ` · ${i.followers} followers`}
          </li>
        ))}
      </ul>
      <h3>History across channels</h3>
      {contact.history.length === 0 ? (
        <p>First conversation.</p>
      ) : (
        <ul>
          {contact.history.map((h) => (
            <li key={h.id}>
              <a href={`/app/conversations/${h.id}`}>{h.subject || '(no subject)'}</a> · {h.channelKind} ·{' '}
              {label(h.status)}
            </li>
          ))}
        </ul>
      )}
      <form method="post" action={`/api/contacts/${contact.id}/merge`}>
        <input type="hidden" name="_csrf" value={csrf} />
        <label>
          Same person as contact id <input name="intoContactId" size={12} required />
        </label>{' '}
        <button type="submit">Merge</button>
      </form>
    </section>
  );
}

export function Audit({ events }: { events: ConversationDetail['events'] }) {
  return (
    <details class="audit">
      <summary>Audit trail ({events.length})</summary>
      <ol>
        {events.map((e, i) => (
          <li key={i}>
            {fmtTime(e.at)} ·{' '}
            {slaEventText(e.type, e.data) ?? routingEventText(e.type, e.data) ?? label(e.type)} ·{' '}
            {e.actorName ?? 'unknown'}
          </li>
        ))}
      </ol>
    </details>
  );
}
