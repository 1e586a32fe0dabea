/** Forms: new question (with similar topics), sign-up, edit with reason, revisions, new message. */
import type { CategoryRow } from '../../db/repositories/community.ts';
import { dateText, ForumLayout, type ForumViewer } from './layout.tsx';

const Csrf = (props: { v: ForumViewer }) => <input type="hidden" name="_csrf" value={props.v.csrfToken} />;
const ErrorLine = (props: { error?: string }) =>
  props.error ? (
    <p class="error" role="alert">
      {props.error}
    </p>
  ) : null;

export interface SimilarTopic {
  id: number;
  slug: string;
  title: string;
  solved: boolean;
}

/** A knowledge-base article that may already answer the question (deflection before posting). */
export interface SuggestedArticle {
  title: string;
  path: string;
}

export function SimilarList(props: { items: SimilarTopic[]; articles?: SuggestedArticle[] }) {
  const articles = props.articles ?? [];
  if (!props.items.length && !articles.length) return <p>No similar topics found.</p>;
  return (
    <ul>
      {props.items.map((t) => (
        <li key={t.id}>
          <a href={`/community/t/${t.slug}/${t.id}`}>{t.title}</a>{' '}
          {t.solved && <span class="badge solved">Solved</span>}
        </li>
      ))}
      {articles.map((a) => (
        <li key={a.path}>
          <a href={a.path}>{a.title}</a> <span class="badge">Knowledge base</span>
        </li>
      ))}
    </ul>
  );
}

export function NewTopicPage(props: {
  viewer: ForumViewer;
  categories: CategoryRow[];
  values: { title?: string; body?: string; categoryId?: number; tags?: string };
  similar?: SimilarTopic[];
  articles?: SuggestedArticle[];
  error?: string;
}) {
  const v = props.values;
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'New question', noindex: true }} script>
      <h1>Ask a question</h1>
      <ErrorLine error={props.error} />
      <form method="post" action="/community/topics" class="stack">
        <Csrf v={props.viewer} />
        <label for="title">Title</label>
        <input
          id="title"
          name="title"
          required
          minLength={8}
          maxLength={150}
          value={v.title ?? ''}
          data-similar="similar"
        />
        <button type="submit" formaction="/community/new" formmethod="get" formnovalidate>
          Check for similar topics
        </button>
        <section id="similar" aria-live="polite" aria-labelledby="similar-h">
          <h2 id="similar-h">Similar topics</h2>
          {props.similar ? (
            <SimilarList items={props.similar} articles={props.articles} />
          ) : (
            <p>Type a title to see if it was answered before.</p>
          )}
        </section>
        <label for="categoryId">Category</label>
        <select id="categoryId" name="categoryId">
          {props.categories.map((c) => (
            <option key={c.id} value={String(c.id)} selected={c.id === v.categoryId}>
              {c.name}
            </option>
          ))}
        </select>
        <label for="body">Details (Markdown)</label>
        <textarea id="body" name="body" rows={10} required maxLength={20000}>
          {v.body ?? ''}
        </textarea>
        <label for="tags">Tags (comma separated, up to 5)</label>
        <input id="tags" name="tags" value={v.tags ?? ''} />
        <button type="submit">Post question</button>
      </form>
    </ForumLayout>
  );
}

export function SignupPage(props: {
  viewer: ForumViewer;
  error?: string;
  done?: boolean;
  values?: { email?: string; username?: string; displayName?: string };
}) {
  const v = props.values ?? {};
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Join the community', noindex: true }}>
      <h1>Join the community</h1>
      {props.done ? (
        <p class="notice" role="status">
          Almost there: we sent you an email with a link to confirm your address. Then sign in and post.
        </p>
      ) : (
        <>
          <ErrorLine error={props.error} />
          <form method="post" action="/community/signup" class="stack">
            <Csrf v={props.viewer} />
            <label for="su-email">Email</label>
            <input
              id="su-email"
              name="email"
              type="email"
              required
              autocomplete="email"
              value={v.email ?? ''}
            />
            <label for="su-username">Username (letters, digits, underscore)</label>
            <input
              id="su-username"
              name="username"
              required
              pattern="[A-Za-z0-9_]{3,30}"
              value={v.username ?? ''}
            />
            <label for="su-name">Display name</label>
            <input
              id="su-name"
              name="displayName"
              required
              maxLength={60}
              autocomplete="name"
              value={v.displayName ?? ''}
            />
            <label for="su-password">Password (at least 10 characters)</label>
            <input
              id="su-password"
              name="password"
              type="password"
              required
              minLength={10}
              autocomplete="new-password"
            />
            <button type="submit">Join</button>
          </form>
        </>
      )}
    </ForumLayout>
  );
}

export function EditPostPage(props: {
  viewer: ForumViewer;
  postId: number;
  body: string;
  needsReason: boolean;
  error?: string;
}) {
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Edit post', noindex: true }}>
      <h1>Edit post</h1>
      <ErrorLine error={props.error} />
      <form method="post" action={`/community/posts/${props.postId}/edit`} class="stack">
        <Csrf v={props.viewer} />
        <label for="edit-body">Post (Markdown)</label>
        <textarea id="edit-body" name="body" rows={12} required maxLength={20000}>
          {props.body}
        </textarea>
        <label for="edit-reason">
          Reason for the edit{props.needsReason ? ' (required)' : ' (optional)'}
        </label>
        <input id="edit-reason" name="reason" maxLength={300} required={props.needsReason} />
        <button type="submit">Save</button>
      </form>
    </ForumLayout>
  );
}

export function RevisionsPage(props: {
  viewer: ForumViewer;
  back: string;
  revisions: { revision: number; body: string; reason: string; editor: string | null; at: Date }[];
}) {
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Edit history', noindex: true }}>
      <h1>Edit history</h1>
      <p>
        <a href={props.back}>Back to the topic</a>
      </p>
      {props.revisions.map((r) => (
        <section key={r.revision} aria-labelledby={`rev-${r.revision}`}>
          <h2 id={`rev-${r.revision}`}>
            Revision {r.revision} by {r.editor ?? 'a former member'}, {dateText(r.at)}
          </h2>
          {r.reason && <p>Reason: {r.reason}</p>}
          <pre class="revision">{r.body}</pre>
        </section>
      ))}
    </ForumLayout>
  );
}

export function NewMessagePage(props: { viewer: ForumViewer; to?: string; error?: string }) {
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'New message', noindex: true }}>
      <h1>New private message</h1>
      <ErrorLine error={props.error} />
      <form method="post" action="/community/messages" class="stack">
        <Csrf v={props.viewer} />
        <label for="pm-to">To (usernames, comma separated)</label>
        <input id="pm-to" name="to" required value={props.to ?? ''} />
        <label for="pm-title">Subject</label>
        <input id="pm-title" name="title" required minLength={8} maxLength={150} />
        <label for="pm-body">Message (Markdown)</label>
        <textarea id="pm-body" name="body" rows={8} required maxLength={20000} />
        <button type="submit">Send</button>
      </form>
    </ForumLayout>
  );
}
