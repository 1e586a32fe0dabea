/** The topic page: question, answers (official and accepted marked), actions, reply form. */
import type { AuthorView, CategoryRow, PostRow, TopicRow } from '../../db/repositories/community.ts';
import { FLAG_REASONS } from '../../db/schema/index.ts';
import { dateText, Flair, ForumLayout, type ForumViewer, Pager } from './layout.tsx';
import { ModeratorTools, PostModeration } from './topic-tools.tsx';

export interface TopicView {
  topic: TopicRow;
  category?: CategoryRow;
  posts: { post: PostRow; author: AuthorView }[];
  page: number;
  pages: number;
  participants?: { name: string; username: string | null }[];
  following?: boolean;
  quote?: string;
  categories?: CategoryRow[];
  /** A topic taken private: its private thread, linked for the topic's author and staff only. */
  privateThread?: string;
  /** Knowledge-base articles related to the topic (public topics only). */
  related?: { title: string; path: string }[];
}

export interface TopicPerms {
  member: boolean;
  staff: boolean;
  moderator: boolean;
  asker: boolean;
}

const Hidden = (props: { n: number }) => <p class="notice">Post #{props.n} was hidden by a moderator.</p>;

function PostActions(props: { post: PostRow; view: TopicView; viewer: ForumViewer; perms: TopicPerms }) {
  const { post, view, viewer, perms } = props;
  if (!perms.member || post.status !== 'visible') return null;
  const csrf = <input type="hidden" name="_csrf" value={viewer.csrfToken} />;
  const mine = post.authorId === viewer.user?.id;
  const pub = view.topic.visibility === 'public';
  return (
    <div class="post-actions">
      {pub && !mine && (
        <>
          <form method="post" action={`/community/posts/${post.id}/vote`} class="inline">
            {csrf}
            <input type="hidden" name="value" value="1" />
            <button type="submit" aria-label={`Vote up post ${post.postNumber}`}>
              ▲ Helpful
            </button>
          </form>
          <form method="post" action={`/community/posts/${post.id}/vote`} class="inline">
            {csrf}
            <input type="hidden" name="value" value="-1" />
            <button type="submit" aria-label={`Vote down post ${post.postNumber}`}>
              ▼
            </button>
          </form>
        </>
      )}
      {pub &&
        (perms.asker || perms.staff) &&
        post.postNumber > 1 &&
        view.topic.acceptedPostId !== post.id && (
          <form method="post" action={`/community/posts/${post.id}/accept`} class="inline">
            {csrf}
            <button type="submit">Accept answer</button>
          </form>
        )}
      {pub && perms.staff && post.postNumber > 1 && view.topic.officialPostId !== post.id && (
        <form method="post" action={`/community/posts/${post.id}/official`} class="inline">
          {csrf}
          <button type="submit">Mark official</button>
        </form>
      )}
      <a href={`/community/t/${view.topic.slug}/${view.topic.id}?quote=${post.id}#reply`}>Quote</a>
      {(mine || perms.moderator) && <a href={`/community/posts/${post.id}/edit`}>Edit</a>}
      {!mine && (
        <details class="inline">
          <summary>Flag</summary>
          <form method="post" action={`/community/posts/${post.id}/flag`} class="stack">
            {csrf}
            <label for={`flag-${post.id}`}>Reason</label>
            <select id={`flag-${post.id}`} name="reason">
              {FLAG_REASONS.map((r) => (
                <option key={r} value={r}>
                  {r.replace('_', ' ')}
                </option>
              ))}
            </select>
            <label for={`flag-note-${post.id}`}>Note for moderators (optional)</label>
            <input id={`flag-note-${post.id}`} name="note" maxLength={500} />
            <button type="submit">Send flag</button>
          </form>
        </details>
      )}
    </div>
  );
}

function Post(props: {
  row: TopicView['posts'][number];
  view: TopicView;
  viewer: ForumViewer;
  perms: TopicPerms;
}) {
  const { post, author } = props.row;
  const { topic } = props.view;
  if (post.status === 'hidden' && !props.perms.moderator) return <Hidden n={post.postNumber} />;
  const label =
    post.kind === 'resolution_notice'
      ? 'Resolution notice'
      : topic.officialPostId === post.id
        ? 'Official answer'
        : topic.acceptedPostId === post.id
          ? 'Accepted answer'
          : undefined;
  return (
    <article
      id={`p${post.postNumber}`}
      class={`post${post.kind === 'resolution_notice' ? ' resolution' : ''}${label ? ' marked' : ''}`}
      aria-labelledby={`h${post.postNumber}`}
    >
      <header>
        <h2 id={`h${post.postNumber}`} class="post-head">
          {post.postNumber === 1 ? 'Question' : `Reply ${post.postNumber - 1}`} by{' '}
          {author.username ? (
            <a href={`/community/u/${author.username}`}>{author.name}</a>
          ) : (
            'a former member'
          )}
        </h2>{' '}
        <Flair role={author.role} />
        {author.reputation !== null && <span class="meta"> {author.reputation} reputation</span>}
        {label && <strong class="badge marked-label"> {label}</strong>}
        {post.status === 'pending' && <strong class="badge"> Waiting for approval</strong>}
        {post.status === 'hidden' && (
          <strong class="badge"> Hidden{post.hiddenReason ? `: ${post.hiddenReason}` : ''}</strong>
        )}
        <span class="meta">
          {' · '}
          <a href={`/community/t/${topic.slug}/${topic.id}?post=${post.postNumber}#p${post.postNumber}`}>
            <time dateTime={post.createdAt.toISOString()}>{dateText(post.createdAt)}</time>
          </a>
          {post.revision > 1 && (
            <>
              {' · '}
              <a href={`/community/posts/${post.id}/revisions`}>edited</a>
            </>
          )}
          {topic.visibility === 'public' && <> · {post.score} votes</>}
        </span>
      </header>
      {/* bodyHtml is produced by renderMarkdown: Markdown without raw HTML, then sanitize-html */}
      <div class="post-body" dangerouslySetInnerHTML={{ __html: post.bodyHtml }} />
      <PostActions post={post} view={props.view} viewer={props.viewer} perms={props.perms} />
      {props.perms.moderator && <PostModeration post={post} csrf={props.viewer.csrfToken ?? ''} />}
    </article>
  );
}

export function TopicPage(props: {
  view: TopicView;
  viewer: ForumViewer;
  perms: TopicPerms;
  baseUrl: string;
  description: string;
}) {
  const { view, viewer, perms } = props;
  const { topic } = view;
  const path = `/community/t/${topic.slug}/${topic.id}`;
  const href = (p: number) => (p === 1 ? path : `${path}?page=${p}`);
  const pub = topic.visibility === 'public';
  const official = view.posts.find((r) => r.post.id === topic.officialPostId);
  return (
    <ForumLayout
      viewer={viewer}
      script={perms.member}
      meta={{
        title: topic.title,
        description: props.description,
        canonical: pub ? `${props.baseUrl}${href(view.page)}` : undefined,
        ogType: 'article',
        noindex: !pub,
        feeds: pub
          ? [
              { title: `${topic.title} (RSS)`, href: `/community/t/${topic.id}/feed.rss`, type: 'rss' },
              { title: `${topic.title} (Atom)`, href: `/community/t/${topic.id}/feed.atom`, type: 'atom' },
            ]
          : [],
      }}
    >
      <nav aria-label="Breadcrumb" class="meta">
        <a href="/community">Community</a>
        {view.category && (
          <>
            {' › '}
            <a href={`/community/c/${view.category.slug}`}>{view.category.name}</a>
          </>
        )}
        {!pub && (
          <>
            {' › '}
            <a href="/community/messages">Messages</a>
          </>
        )}
      </nav>
      <h1>{topic.title}</h1>
      <p class="meta">
        {topic.acceptedPostId && <span class="badge solved">Solved</span>}{' '}
        {topic.locked && <span class="badge">Locked</span>}{' '}
        {topic.slowModeSeconds > 0 && (
          <span class="badge">Slow mode: one post per {topic.slowModeSeconds} s</span>
        )}{' '}
        {topic.tags.map((t) => (
          <a key={t} class="tag" href={`/community/tags/${t}`}>
            {t}
          </a>
        ))}
        {view.participants && (
          <> Private conversation with {view.participants.map((p) => p.name).join(', ')}.</>
        )}
      </p>
      {(topic.conversationId || topic.privateTopicId) && pub && (
        <p class="notice" role="status">
          Our team is following up on this privately.
          {view.privateThread && (
            <>
              {' '}
              <a href={view.privateThread}>Open the private messages</a>
            </>
          )}
        </p>
      )}
      {official && view.page === 1 && (
        <p class="notice">
          Official answer: <a href={`#p${official.post.postNumber}`}>reply {official.post.postNumber - 1}</a>{' '}
          by {official.author.name}.
        </p>
      )}
      {view.posts.map((row) => (
        <Post key={row.post.id} row={row} view={view} viewer={viewer} perms={perms} />
      ))}
      <Pager page={view.page} pages={view.pages} href={href} label="Topic pages" />
      {perms.member && (
        <form method="post" action={`/community/t/${topic.id}/follow`} class="inline">
          <input type="hidden" name="_csrf" value={viewer.csrfToken} />
          <input type="hidden" name="follow" value={view.following ? 'false' : 'true'} />
          <button type="submit">{view.following ? 'Stop following' : 'Follow this topic'}</button>
        </form>
      )}
      {perms.moderator && pub && (
        <ModeratorTools topic={topic} csrf={viewer.csrfToken ?? ''} categories={view.categories ?? []} />
      )}
      <section aria-labelledby="reply" class="reply">
        <h2 id="reply">Your reply</h2>
        {topic.locked && !perms.moderator ? (
          <p>This topic is locked: no new replies.</p>
        ) : perms.member ? (
          <form method="post" action={`/community/t/${topic.id}/replies`} class="stack">
            <input type="hidden" name="_csrf" value={viewer.csrfToken} />
            <label for="reply-body">Reply (Markdown)</label>
            <textarea id="reply-body" name="body" rows={8} required maxLength={20000}>
              {view.quote ?? ''}
            </textarea>
            <button type="submit">Post reply</button>
          </form>
        ) : (
          <p>
            <a href={`/login?next=${encodeURIComponent(path)}`}>Sign in</a> or{' '}
            <a href="/community/signup">join</a> to reply.
          </p>
        )}
      </section>
      {view.related && view.related.length > 0 && (
        <aside aria-labelledby="related-h">
          <h2 id="related-h">Related articles</h2>
          <ul>
            {view.related.map((a) => (
              <li key={a.path}>
                <a href={a.path}>{a.title}</a>
              </li>
            ))}
          </ul>
        </aside>
      )}
    </ForumLayout>
  );
}
