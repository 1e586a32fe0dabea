/** Profiles, search results, notifications, messages and the moderators' review queue. */
import type { CategoryRow } from '../../db/repositories/community.ts';
import type { SearchResult } from '../../services/community-search.ts';
import { dateText, Flair, ForumLayout, type ForumViewer } from './layout.tsx';

export function ProfilePage(props: {
  viewer: ForumViewer;
  baseUrl: string;
  name: string;
  username: string;
  role: string | null;
  reputation: number;
  since: Date;
  badges: { badge: string; n: number }[];
  posts: { id: number; topicId: number; topicTitle: string; topicSlug: string; createdAt: Date }[];
  canMessage: boolean;
  moderator: boolean;
  csrf: string;
}) {
  return (
    <ForumLayout
      viewer={props.viewer}
      meta={{
        title: `${props.name} (@${props.username})`,
        description: `${props.name} in the community: ${props.reputation} reputation.`,
        canonical: `${props.baseUrl}/community/u/${props.username}`,
      }}
    >
      <h1>
        {props.name} <Flair role={props.role} />
      </h1>
      <p>
        @{props.username} · {props.reputation} reputation · member since {dateText(props.since)}
      </p>
      {props.badges.length > 0 && (
        <>
          <h2>Badges</h2>
          <ul>
            {props.badges.map((b) => (
              <li key={b.badge}>
                {b.badge === 'helpful'
                  ? 'Helpful answer'
                  : b.badge === 'official'
                    ? 'Official answer'
                    : b.badge}{' '}
                ×{b.n}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Recent posts</h2>
      {props.posts.length ? (
        <ul>
          {props.posts.map((p) => (
            <li key={p.id}>
              <a href={`/community/t/${p.topicSlug}/${p.topicId}`}>{p.topicTitle}</a>{' '}
              <span class="meta">{dateText(p.createdAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No public posts yet.</p>
      )}
      {props.canMessage && (
        <p>
          <a href={`/community/messages/new?to=${props.username}`}>Send a private message</a>
        </p>
      )}
      {props.moderator && (
        <section aria-labelledby="sanction">
          <h2 id="sanction">Warn or suspend (delivered privately)</h2>
          <form method="post" action={`/community/u/${props.username}/sanction`} class="stack">
            <input type="hidden" name="_csrf" value={props.csrf} />
            <label for="s-kind">Action</label>
            <select id="s-kind" name="kind">
              <option value="warning">Warning</option>
              <option value="suspension">Suspension</option>
            </select>
            <label for="s-days">Days (suspension)</label>
            <input id="s-days" name="days" type="number" min={1} max={365} value="7" />
            <label for="s-reason">Reason (sent to the member)</label>
            <textarea id="s-reason" name="reason" required rows={3} />
            <button type="submit">Send</button>
          </form>
        </section>
      )}
    </ForumLayout>
  );
}

export function SearchPage(props: {
  viewer: ForumViewer;
  baseUrl: string;
  q: string;
  sort: 'relevance' | 'newest';
  categoryId?: number;
  author?: string;
  solved?: string;
  categories: Pick<CategoryRow, 'id' | 'name'>[];
  result?: SearchResult;
  page: number;
  nextHref?: string;
}) {
  const r = props.result;
  return (
    <ForumLayout
      viewer={props.viewer}
      meta={{ title: props.q ? `Search: ${props.q}` : 'Search', noindex: true }}
    >
      <h1>Search the community</h1>
      <form method="get" action="/community/search" class="stack search-form">
        <label for="sq">Words (use "quotes" for phrases, -word to exclude, or)</label>
        <input id="sq" name="q" type="search" value={props.q} />
        <label for="scat">Category</label>
        <select id="scat" name="category">
          <option value="">All categories</option>
          {props.categories.map((c) => (
            <option key={c.id} value={String(c.id)} selected={c.id === props.categoryId}>
              {c.name}
            </option>
          ))}
        </select>
        <label for="sauthor">Author (username)</label>
        <input id="sauthor" name="author" value={props.author ?? ''} />
        <label for="ssolved">Solved</label>
        <select id="ssolved" name="solved">
          <option value="">Any</option>
          <option value="yes" selected={props.solved === 'yes'}>
            Solved only
          </option>
          <option value="no" selected={props.solved === 'no'}>
            Unsolved only
          </option>
        </select>
        <label for="ssort">Order</label>
        <select id="ssort" name="sort">
          <option value="relevance" selected={props.sort === 'relevance'}>
            Best match
          </option>
          <option value="newest" selected={props.sort === 'newest'}>
            Newest first
          </option>
        </select>
        <button type="submit">Search</button>
      </form>
      {r && (
        <section aria-labelledby="results">
          <h2 id="results">
            {r.hits.length
              ? `Results${r.estimate > 20 ? ` (about ${r.estimate.toLocaleString('en')} posts)` : ''}`
              : 'No results'}
          </h2>
          {r.capped && <p class="meta">Very common words: best matches among the most recent posts.</p>}
          <ol class="hits" start={(props.page - 1) * 20 + 1}>
            {r.hits.map((h) => (
              <li key={h.id}>
                <a href={`/community/t/${h.topicSlug}/${h.topicId}?post=${h.postNumber}#p${h.postNumber}`}>
                  {h.topicTitle}
                </a>{' '}
                {h.solved && <span class="badge solved">Solved</span>}
                {/* headline: ts_headline over the raw text, HTML-escaped, then <mark> added (highlight()) */}
                <p dangerouslySetInnerHTML={{ __html: h.headline }} />
                <span class="meta">
                  {h.authorName ?? 'a former member'} · {dateText(h.createdAt)}
                </span>
              </li>
            ))}
          </ol>
          {props.nextHref && (
            <nav aria-label="Result pages" class="pager">
              <a href={props.nextHref} rel="next">
                More results →
              </a>
            </nav>
          )}
        </section>
      )}
    </ForumLayout>
  );
}

export function NotificationsPage(props: {
  viewer: ForumViewer;
  items: {
    id: number;
    kind: string;
    text: string;
    read: boolean;
    at: Date;
    href?: string;
    title?: string | null;
  }[];
}) {
  const words: Record<string, string> = {
    reply: 'New reply in',
    mention: 'You were mentioned in',
    accepted: 'Your answer was accepted in',
    message: 'New private message:',
    warning: 'A note from the moderators:',
    suspension: 'Account suspended:',
    approved: 'Your post was approved in',
  };
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Notifications', noindex: true }}>
      <h1>Notifications</h1>
      {props.items.length ? (
        <ul class="notifications">
          {props.items.map((n) => (
            <li key={n.id} class={n.read ? '' : 'unread'}>
              {words[n.kind] ?? n.kind} {n.href ? <a href={n.href}>{n.title ?? 'the topic'}</a> : n.text}{' '}
              <span class="meta">{dateText(n.at)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>Nothing new.</p>
      )}
    </ForumLayout>
  );
}

export function MessagesPage(props: {
  viewer: ForumViewer;
  items: { id: number; title: string; lastPostedAt: Date }[];
}) {
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Messages', noindex: true }}>
      <h1>Private messages</h1>
      <p>
        <a href="/community/messages/new">New message</a>
      </p>
      {props.items.length ? (
        <ul>
          {props.items.map((m) => (
            <li key={m.id}>
              <a href={`/community/t/message/${m.id}`}>{m.title}</a>{' '}
              <span class="meta">{dateText(m.lastPostedAt)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No messages yet.</p>
      )}
    </ForumLayout>
  );
}

export function ReviewQueuePage(props: {
  viewer: ForumViewer;
  flags: { id: number; postId: number; topicId: number; reason: string; note: string; excerpt: string }[];
  pending: { id: number; topicId: number; title: string; author: string | null; excerpt: string }[];
}) {
  const csrf = <input type="hidden" name="_csrf" value={props.viewer.csrfToken} />;
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Review queue', noindex: true }}>
      <h1>Review queue</h1>
      <h2>Posts waiting for approval ({props.pending.length})</h2>
      <ul class="queue">
        {props.pending.map((p) => (
          <li key={p.id}>
            <a href={`/community/t/topic/${p.topicId}`}>{p.title}</a> by {p.author ?? 'unknown'}: {p.excerpt}
            <form method="post" action={`/community/posts/${p.id}/approve`} class="inline">
              {csrf}
              <button type="submit">Approve post {p.id}</button>
            </form>
            <form method="post" action={`/community/posts/${p.id}/hide`} class="inline">
              {csrf}
              <input type="hidden" name="hidden" value="true" />
              <input type="hidden" name="reason" value="Rejected in review" />
              <button type="submit">Reject post {p.id}</button>
            </form>
          </li>
        ))}
      </ul>
      <h2>Flags ({props.flags.length})</h2>
      <ul class="queue">
        {props.flags.map((f) => (
          <li key={f.id}>
            <a href={`/community/t/topic/${f.topicId}`}>Post {f.postId}</a> flagged as {f.reason}
            {f.note && <> (“{f.note}”)</>}: {f.excerpt}
            <form method="post" action={`/community/flags/${f.id}/resolve`} class="inline">
              {csrf}
              <input type="hidden" name="decision" value="agree" />
              <button type="submit">Agree and hide (flag {f.id})</button>
            </form>
            <form method="post" action={`/community/flags/${f.id}/resolve`} class="inline">
              {csrf}
              <input type="hidden" name="decision" value="dismiss" />
              <button type="submit">Dismiss (flag {f.id})</button>
            </form>
          </li>
        ))}
      </ul>
    </ForumLayout>
  );
}
