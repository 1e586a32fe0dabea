/** The community's page shell: SEO (title, description, canonical, Open Graph), feeds, navigation. */
import type { ComponentChildren } from 'preact';
import type { PublicUser } from '../../db/repositories/users.ts';

export interface ForumPageMeta {
  title: string;
  description?: string;
  /** Absolute canonical URL. */
  canonical?: string;
  ogType?: 'website' | 'article';
  feeds?: { title: string; href: string; type: 'rss' | 'atom' }[];
  noindex?: boolean;
}

export interface ForumViewer {
  user?: PublicUser;
  csrfToken?: string;
  unread?: number;
}

export function ForumLayout(props: {
  meta: ForumPageMeta;
  viewer: ForumViewer;
  children: ComponentChildren;
  script?: boolean;
}) {
  const { meta, viewer } = props;
  const fullTitle = `${meta.title} · Community`;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {meta.description && <meta name="description" content={meta.description} />}
        {meta.canonical && <link rel="canonical" href={meta.canonical} />}
        {meta.noindex && <meta name="robots" content="noindex" />}
        <meta property="og:site_name" content="Community" />
        <meta property="og:title" content={meta.title} />
        <meta property="og:type" content={meta.ogType ?? 'website'} />
        {meta.canonical && <meta property="og:url" content={meta.canonical} />}
        {meta.description && <meta property="og:description" content={meta.description} />}
        <meta name="twitter:card" content="summary" />
        {(meta.feeds ?? []).map((f) => (
          <link
            key={f.href}
            rel="alternate"
            type={f.type === 'rss' ? 'application/rss+xml' : 'application/atom+xml'}
            title={f.title}
            href={f.href}
          />
        ))}
        {viewer.user && viewer.csrfToken && <meta name="csrf-token" content={viewer.csrfToken} />}
        <link rel="stylesheet" href="/assets/earshot.css" />
        <link rel="stylesheet" href="/community/assets/forum.css" />
        {props.script && <script src="/community/assets/forum.js" defer />}
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top forum-top">
          <a class="brand" href="/community">
            Community
          </a>
          {/* biome-ignore lint/a11y/useSemanticElements: <search> is not yet announced by every screen reader */}
          <form method="get" action="/community/search" role="search" class="forum-search">
            <label for="site-search" class="visually-hidden">
              Search the community
            </label>
            <input id="site-search" name="q" type="search" placeholder="Search" />
            <button type="submit">Search</button>
          </form>
          <nav aria-label="Community">
            <ul class="forum-nav">
              <li>
                <a href="/community/latest">Latest</a>
              </li>
              <li>
                <a href="/community/unanswered">Unanswered</a>
              </li>
              {viewer.user ? (
                <>
                  <li>
                    <a href="/community/new">New question</a>
                  </li>
                  <li>
                    <a href="/community/notifications">
                      Notifications{viewer.unread ? ` (${viewer.unread})` : ''}
                    </a>
                  </li>
                  <li>
                    <a href="/community/messages">Messages</a>
                  </li>
                  <li>
                    <form method="post" action="/logout" class="inline">
                      <input type="hidden" name="_csrf" value={viewer.csrfToken} />
                      <button type="submit">Sign out {viewer.user.displayName}</button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/login?next=/community">Sign in</a>
                  </li>
                  <li>
                    <a href="/community/signup">Join</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main">{props.children}</main>
        <footer class="forum-footer">
          <a href="/community/feed.rss">RSS</a> · <a href="/community/tags">Tags</a> ·{' '}
          <a href="/sitemap.xml">Sitemap</a>
        </footer>
      </body>
    </html>
  );
}

export function Pager(props: { page: number; pages: number; href: (page: number) => string; label: string }) {
  if (props.pages <= 1) return null;
  const { page, pages } = props;
  return (
    <nav aria-label={props.label} class="pager">
      {page > 1 && (
        <a href={props.href(page - 1)} rel="prev">
          ← Previous
        </a>
      )}
      <span>
        Page {page} of {pages}
      </span>
      {page < pages && (
        <a href={props.href(page + 1)} rel="next">
          Next →
        </a>
      )}
    </nav>
  );
}

export function Flair(props: { role: string | null | undefined }) {
  if (!props.role || props.role === 'member') return null;
  const label = props.role === 'moderator' ? 'Moderator' : 'Staff';
  return <span class="flair">{label}</span>;
}

export const dateText = (d: Date) => d.toISOString().slice(0, 10);

export function ErrorPage(props: { viewer: ForumViewer; title: string; message: string; back?: string }) {
  return (
    <ForumLayout meta={{ title: props.title, noindex: true }} viewer={props.viewer}>
      <h1>{props.title}</h1>
      <p class="error" role="alert">
        {props.message}
      </p>
      <p>
        <a href={props.back ?? '/community'}>Back</a>
      </p>
    </ForumLayout>
  );
}
