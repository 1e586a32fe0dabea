/** Public knowledge-base and blog pages (server-rendered, no JavaScript needed). */
import type { ArticleWithAuthor, CategoryRow } from '../../db/repositories/articles.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import type { ArticleSuggestion } from '../../services/articles.ts';
import { Layout } from '../layout.tsx';
import { ArticleTeaser, DateLine, Pager, SearchBox } from './parts.tsx';

interface Viewer {
  user?: PublicUser;
  csrfToken: string;
  forumSearch: boolean;
}

export function KbIndexPage(
  props: Viewer & { categories: CategoryRow[]; recent: ArticleWithAuthor[]; baseUrl: string },
) {
  return (
    <Layout
      title="Help center"
      user={props.user}
      csrfToken={props.csrfToken}
      description="Answers to common questions."
      canonical={`${props.baseUrl}/kb`}
    >
      <h1>Help center</h1>
      <SearchBox forum={props.forumSearch} type="all" />
      {props.categories.length > 0 && (
        <section aria-labelledby="kb-cats">
          <h2 id="kb-cats">Topics</h2>
          <ul class="kb-cats">
            {props.categories.map((c) => (
              <li key={c.id}>
                <a href={`/kb/category/${c.slug}`}>{c.name}</a>
                {c.description && <p>{c.description}</p>}
              </li>
            ))}
          </ul>
        </section>
      )}
      <section aria-labelledby="kb-recent">
        <h2 id="kb-recent">Latest articles</h2>
        {props.recent.length === 0 ? (
          <p>No articles yet.</p>
        ) : (
          props.recent.map((a) => <ArticleTeaser key={a.id} a={a} headingLevel={3} />)
        )}
      </section>
      <p>
        <a href="/blog">Read the blog</a>
      </p>
    </Layout>
  );
}

export function ArticleListPage(
  props: Viewer & {
    title: string;
    intro?: string;
    articles: ArticleWithAuthor[];
    base: string;
    page: number;
    hasNext: boolean;
    params?: Record<string, string>;
    feeds?: boolean;
    canonical: string;
  },
) {
  return (
    <Layout title={props.title} user={props.user} csrfToken={props.csrfToken} canonical={props.canonical}>
      <h1>{props.title}</h1>
      {props.intro && <p>{props.intro}</p>}
      {props.feeds && (
        <p class="kb-feeds">
          Subscribe: <a href="/blog/feed.xml">RSS feed</a> · <a href="/blog/atom.xml">Atom feed</a>
        </p>
      )}
      <SearchBox forum={props.forumSearch} type={props.feeds ? 'blog' : 'kb'} />
      {props.articles.length === 0 ? (
        <p>Nothing here yet.</p>
      ) : (
        props.articles.map((a) => <ArticleTeaser key={a.id} a={a} />)
      )}
      <Pager base={props.base} page={props.page} hasNext={props.hasNext} params={props.params} />
    </Layout>
  );
}

export function ArticlePage(
  props: Viewer & {
    article: ArticleWithAuthor;
    isPublic: boolean;
    related: ArticleSuggestion[];
    votes: { yes: number; no: number };
    voted?: 'yes' | 'no' | 'limited';
    canonical: string;
  },
) {
  const a = props.article;
  const section = a.kind === 'kb' ? { href: '/kb', name: 'Help center' } : { href: '/blog', name: 'Blog' };
  return (
    <Layout
      title={a.title}
      user={props.user}
      csrfToken={props.csrfToken}
      description={a.summary || undefined}
      canonical={props.canonical}
    >
      <nav aria-label="Breadcrumb" class="kb-crumbs">
        <a href={section.href}>{section.name}</a>
        {a.categoryName && a.categoryId && <> › {a.categoryName}</>}
      </nav>
      <article class="kb-article" aria-labelledby="kb-title">
        {!props.isPublic && (
          <p class="notice" role="note">
            Not public: this article is {a.status === 'scheduled' ? 'scheduled' : a.status}
            {a.status === 'scheduled' && a.publishAt && <> for {a.publishAt.toISOString()}</>}. Guests cannot
            see it.
          </p>
        )}
        <h1 id="kb-title">{a.title}</h1>
        <p class="kb-meta">
          <DateLine at={a.publishAt} />
          {a.authorName && <> · by {a.authorName}</>}
        </p>
        {/* body_html was rendered from Markdown and sanitised when the article was saved */}
        <div class="kb-body" dangerouslySetInnerHTML={{ __html: a.bodyHtml }} />
        {a.tags.length > 0 && (
          <ul class="kb-tags" aria-label="Tags">
            {a.tags.map((t) => (
              <li key={t}>
                <a href={`/${a.kind}?tag=${encodeURIComponent(t)}`}>#{t}</a>
              </li>
            ))}
          </ul>
        )}
      </article>
      {props.isPublic && <HelpfulForm {...props} />}
      {props.related.length > 0 && (
        <section aria-labelledby="kb-related">
          <h2 id="kb-related">Related articles</h2>
          <ul>
            {props.related.map((r) => (
              <li key={r.id}>
                <a href={r.path}>{r.title}</a>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Layout>
  );
}

function HelpfulForm(props: {
  article: ArticleWithAuthor;
  csrfToken: string;
  votes: { yes: number; no: number };
  voted?: 'yes' | 'no' | 'limited';
}) {
  const a = props.article;
  return (
    <section id="helpful" aria-labelledby="kb-helpful" class="kb-helpful">
      <h2 id="kb-helpful">Was this helpful?</h2>
      {props.voted && (
        <p role="status">
          {props.voted === 'limited'
            ? 'Thanks — you have voted a lot already; try again later.'
            : 'Thanks for your feedback!'}
        </p>
      )}
      <form method="post" action={`/${a.kind}/${a.slug}/helpful`}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button type="submit" name="helpful" value="yes">
          Yes
        </button>{' '}
        <button type="submit" name="helpful" value="no">
          No
        </button>
      </form>
      {props.votes.yes > 0 && (
        <p class="kb-meta">
          {props.votes.yes} of {props.votes.yes + props.votes.no} readers found this helpful.
        </p>
      )}
    </section>
  );
}

export function NotFoundPage(props: Viewer) {
  return (
    <Layout title="Not found" user={props.user} csrfToken={props.csrfToken}>
      <h1>Page not found</h1>
      <p>This article does not exist or is not published.</p>
      <SearchBox forum={props.forumSearch} />
      <p>
        <a href="/kb">Back to the help center</a>
      </p>
    </Layout>
  );
}
