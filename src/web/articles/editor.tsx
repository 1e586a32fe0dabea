/** Authors' pages: the list of articles and blog posts in every state, and the editor form (no JavaScript needed). */
import type { ArticleWithAuthor } from '../../db/repositories/articles.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { Layout } from '../layout.tsx';

export function ArticleListPage(props: { user: PublicUser; csrfToken: string; items: ArticleWithAuthor[] }) {
  return (
    <Layout title="Articles" user={props.user} csrfToken={props.csrfToken}>
      <h1>Knowledge base and blog</h1>
      <p>
        <a href="/app/articles/new">Write a new article</a>
      </p>
      <table>
        <caption>Articles and blog posts, most recently changed first</caption>
        <thead>
          <tr>
            <th scope="col">Title</th>
            <th scope="col">Kind</th>
            <th scope="col">Status</th>
            <th scope="col">Author</th>
            <th scope="col">Updated</th>
          </tr>
        </thead>
        <tbody>
          {props.items.map((a) => (
            <tr key={a.id}>
              <td>
                <a href={`/app/articles/${a.id}`}>{a.title}</a>
              </td>
              <td>{a.kind === 'kb' ? 'Knowledge base' : 'Blog'}</td>
              <td>
                {a.status}
                {a.status === 'scheduled' && a.publishAt
                  ? ` for ${a.publishAt.toISOString().slice(0, 16)} UTC`
                  : ''}
              </td>
              <td>{a.authorName ?? ''}</td>
              <td>{a.updatedAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export interface EditorValues {
  kind?: string;
  title?: string;
  summary?: string;
  tags?: string;
  status?: string;
  publishAt?: string;
  body?: string;
}

export function ArticleEditorPage(props: {
  user: PublicUser;
  csrfToken: string;
  id?: string;
  values: EditorValues;
  publicPath?: string;
  saved?: boolean;
  error?: string;
}) {
  const v = props.values;
  const action = props.id ? `/app/articles/${props.id}` : '/app/articles';
  return (
    <Layout
      title={props.id ? `Edit: ${v.title ?? ''}` : 'New article'}
      user={props.user}
      csrfToken={props.csrfToken}
    >
      <p>
        <a href="/app/articles">All articles</a>
        {props.publicPath && (
          <>
            {' · '}
            <a href={props.publicPath}>View public page</a>
          </>
        )}
      </p>
      <h1>{props.id ? 'Edit article' : 'New article'}</h1>
      {props.saved && (
        <p class="notice" role="status">
          Saved.
        </p>
      )}
      {props.error && (
        <p class="error" role="alert">
          {props.error}
        </p>
      )}
      <form method="post" action={action} class="stack">
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        {!props.id && (
          <>
            <label for="kind">Kind</label>
            <select id="kind" name="kind">
              <option value="kb" selected={v.kind !== 'blog'}>
                Knowledge base article
              </option>
              <option value="blog" selected={v.kind === 'blog'}>
                Blog post
              </option>
            </select>
          </>
        )}
        <label for="title">Title</label>
        <input id="title" name="title" required maxLength={200} value={v.title ?? ''} />
        <label for="summary">Summary</label>
        <input id="summary" name="summary" maxLength={500} value={v.summary ?? ''} />
        <label for="tags">Tags (comma separated)</label>
        <input id="tags" name="tags" maxLength={300} value={v.tags ?? ''} />
        <label for="status">Status</label>
        <select id="status" name="status">
          {['draft', 'published', 'scheduled'].map((s) => (
            <option key={s} value={s} selected={(v.status ?? 'draft') === s}>
              {s}
            </option>
          ))}
        </select>
        <label for="publishAt">Publish at (UTC, for scheduled)</label>
        <input id="publishAt" name="publishAt" type="datetime-local" value={v.publishAt ?? ''} />
        <label for="body">Text (Markdown)</label>
        <textarea id="body" name="body" rows={18} required maxLength={100000}>
          {v.body ?? ''}
        </textarea>
        <button type="submit">Save</button>
      </form>
    </Layout>
  );
}
