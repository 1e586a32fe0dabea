/**
 * /app/ignored: the posts triage ignored (spam by the default policy, admins' ignore rules), newest
 * first, for admins, supervisors and moderators — filters by reason and channel kind (a plain GET
 * form), how many were ignored per reason in the last 7 days, and per post a restore form (queue,
 * intent, button; a plain POST with the CSRF token) that opens its conversation. Post text is rendered
 * by Preact, escaped like every text.
 */
import type { ReasonCounts } from '../../db/repositories/ignored-posts.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { RESTORE_INTENTS } from '../../domain/ignored-posts.ts';
import { CHANNEL_KINDS, type QueueName } from '../../domain/types.ts';
import type { IgnoredPostView } from '../../services/ignored-posts.ts';
import { Select } from './inbox-page.tsx';
import { AppLayout, fmtTime, label } from './layout.tsx';
import { Csrf, Notice } from './settings-forms.tsx';

export const IGNORED_PAGE_PATH = '/app/ignored';

/** What the page says after a restore (from the redirect's query, looked up, never echoed). */
export type RestoreNotice =
  | { kind: 'restored'; conversationId: string; queue: QueueName; joined: boolean }
  | { kind: 'text'; text: string };

export interface IgnoredPostsPageProps {
  user: PublicUser;
  csrfToken: string;
  posts: IgnoredPostView[];
  nextBefore: string | null;
  filter: { reason?: string; channel?: string; before?: string };
  reasons: ReasonCounts;
  /** Queues this user may restore into. */
  queues: QueueName[];
  notice?: RestoreNotice;
}

const n = (x: number) => x.toLocaleString('en');

/** The page with these filters (and `before`), as a link. */
export function ignoredHref(filter: { reason?: string; channel?: string; before?: string }): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${IGNORED_PAGE_PATH}?${s}` : IGNORED_PAGE_PATH;
}

function RestoredNotice({ notice }: { notice?: RestoreNotice }) {
  if (!notice) return null;
  if (notice.kind === 'text') return <Notice text={notice.text} />;
  const href = `/app/conversations/${notice.conversationId}`;
  const short = notice.conversationId.slice(0, 8);
  return (
    <p class="notice" role="status">
      Restored: conversation {short} {notice.joined ? 'continued' : 'opened'} in {notice.queue} —{' '}
      <a href={href}>open it</a>
    </p>
  );
}

function ReasonTable({ reasons, filter }: Pick<IgnoredPostsPageProps, 'reasons' | 'filter'>) {
  return (
    <section aria-labelledby="ignored-reasons">
      <h2 id="ignored-reasons">Last {reasons.days} days by reason</h2>
      {reasons.counts.length === 0 ? (
        <p>Nothing was ignored in the last {reasons.days} days.</p>
      ) : (
        <table class="list reasons" aria-labelledby="ignored-reasons">
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Posts</th>
            </tr>
          </thead>
          <tbody>
            {reasons.counts.map((c) => (
              <tr key={c.reason}>
                <th scope="row">
                  <a href={ignoredHref({ reason: c.reason, channel: filter.channel })}>{c.reason}</a>
                </th>
                <td>
                  {n(c.count)}
                  {reasons.capped ? '+' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {reasons.capped && <p class="hint">Counted among the newest 10,000 ignored posts: at least these.</p>}
    </section>
  );
}

function RestoreForm({ p, props }: { p: IgnoredPostView; props: IgnoredPostsPageProps }) {
  const id = p.postId.slice(0, 8);
  const who = `@${p.authorHandle}`;
  return (
    <form method="post" action={`${IGNORED_PAGE_PATH}/restore`} class="restore">
      <Csrf token={props.csrfToken} />
      <input type="hidden" name="postId" value={p.postId} />
      {props.filter.reason && <input type="hidden" name="reason" value={props.filter.reason} />}
      {props.filter.channel && <input type="hidden" name="channel" value={props.filter.channel} />}
      <label for={`queue-${id}`}>Queue</label>{' '}
      <select id={`queue-${id}`} name="queue">
        {props.queues.map((q) => (
          <option value={q} key={q}>
            {q}
          </option>
        ))}
      </select>{' '}
      <label for={`intent-${id}`}>Intent</label>{' '}
      <select id={`intent-${id}`} name="intent">
        <option value="">usual for the queue</option>
        {RESTORE_INTENTS.map((i) => (
          <option value={i} key={i}>
            {i}
          </option>
        ))}
      </select>{' '}
      <button type="submit">
        Restore<span class="sr"> the post by {who}</span>
      </button>
    </form>
  );
}

function PostCell({ p }: { p: IgnoredPostView }) {
  return (
    <>
      <span class="sub">
        {p.channelKind}
        {p.channelName ? ` · ${p.channelName}` : ''} · posted {fmtTime(p.postedAt)}
      </span>
      <span class="dead-text">{p.text}</span>
      {p.url && /^https?:\/\//i.test(p.url) && (
        <a href={p.url} rel="noopener noreferrer nofollow" target="_blank">
          Original<span class="sr"> post by @{p.authorHandle}</span>
        </a>
      )}
    </>
  );
}

export function IgnoredPostsPage(props: IgnoredPostsPageProps) {
  const { filter, posts } = props;
  const filtered = Boolean(filter.reason || filter.channel);
  return (
    <AppLayout title="Ignored posts" user={props.user} csrfToken={props.csrfToken} current="ignored">
      <h1>Ignored posts</h1>
      <RestoredNotice notice={props.notice} />
      <p>
        Posts triage routed to ignore — spam by the default policy, or an admin's routing rule — newest first.
        Restore one that deserves an answer: it opens a conversation in the queue (or joins the customer's
        open one), assigned like any other; its SLA clocks start when it is restored.
      </p>
      <ReasonTable reasons={props.reasons} filter={filter} />
      <section aria-labelledby="ignored-list">
        <h2 id="ignored-list">Posts</h2>
        <form method="get" action={IGNORED_PAGE_PATH} class="filters" aria-label="Filters">
          <label>
            Reason <input name="reason" size={16} maxLength={200} value={filter.reason ?? ''} />
          </label>
          <Select name="channel" text="Channel" options={CHANNEL_KINDS} value={filter.channel} />
          <button type="submit">Filter</button>
          {filtered && <a href={IGNORED_PAGE_PATH}>Clear filters</a>}
        </form>
        {posts.length === 0 ? (
          <p>{filter.before ? 'No older ignored posts.' : 'No ignored posts.'}</p>
        ) : (
          <table class="list dead-letters ignored" aria-labelledby="ignored-list">
            <thead>
              <tr>
                <th scope="col">Author</th>
                <th scope="col">Post</th>
                <th scope="col">Ignored</th>
                <th scope="col">Classified</th>
                <th scope="col">Restore</th>
              </tr>
            </thead>
            <tbody>
              {posts.map((p) => (
                <tr key={p.postId}>
                  <th scope="row">
                    @{p.authorHandle}
                    {p.authorName && <span class="sub">{p.authorName}</span>}
                  </th>
                  <td>
                    <PostCell p={p} />
                  </td>
                  <td>
                    {fmtTime(p.ignoredAt)}
                    <span class="sub">
                      {p.reason} · by {p.ignoredBy}
                    </span>
                  </td>
                  <td>
                    {p.intent ? label(p.intent) : 'unknown'}
                    <span class="sub">
                      {p.sentiment ?? 'unknown'}
                      {p.complaintScore !== null ? ` · complaint ${p.complaintScore.toFixed(2)}` : ''}
                    </span>
                  </td>
                  <td>
                    {p.deletedAt ? (
                      <span class="muted">Deleted on the platform by its author: nothing to answer.</span>
                    ) : (
                      <RestoreForm p={p} props={props} />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <nav aria-label="Ignored post pages" class="pager">
          {filter.before && <a href={ignoredHref({ ...filter, before: undefined })}>Newest ignored posts</a>}{' '}
          {props.nextBefore && (
            <a href={ignoredHref({ ...filter, before: props.nextBefore })}>Older ignored posts</a>
          )}
        </nav>
      </section>
    </AppLayout>
  );
}
