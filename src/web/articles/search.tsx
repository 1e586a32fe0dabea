/** The one search page across help articles, the blog and (when present) the community forum. */
import type { SearchHit } from '../../db/repositories/articles.ts';
import type { PublicUser } from '../../db/repositories/users.ts';
import { Layout } from '../layout.tsx';
import { Headline, HitList, Pager, SearchBox, type SearchType } from './parts.tsx';

export interface ForumHit {
  title: string;
  url: string;
  /** With \u0001…\u0002 around matches. */
  excerpt: string;
  solved: boolean;
}

export function SearchPage(props: {
  user?: PublicUser;
  csrfToken: string;
  forumSearch: boolean;
  q: string;
  type: SearchType;
  page: number;
  articles: SearchHit[];
  forum: ForumHit[];
  hasNext: boolean;
}) {
  const total = props.articles.length + props.forum.length;
  return (
    <Layout title={props.q ? `Search: ${props.q}` : 'Search'} user={props.user} csrfToken={props.csrfToken}>
      <h1>Search</h1>
      <SearchBox q={props.q} type={props.type} forum={props.forumSearch} />
      {props.q && (
        <p role="status">{total === 0 ? `No results for “${props.q}”.` : `Results for “${props.q}”.`}</p>
      )}
      {props.articles.length > 0 && (
        <section aria-labelledby="s-articles">
          <h2 id="s-articles">Help articles and blog</h2>
          <HitList hits={props.articles} />
        </section>
      )}
      {props.forum.length > 0 && (
        <section aria-labelledby="s-forum">
          <h2 id="s-forum">Community</h2>
          <ol class="kb-hits">
            {props.forum.map((f) => (
              <li key={f.url}>
                <a href={f.url}>{f.title}</a>{' '}
                <span class="kb-type">Community{f.solved ? ' · solved' : ''}</span>
                <p>
                  <Headline text={f.excerpt} />
                </p>
              </li>
            ))}
          </ol>
        </section>
      )}
      <Pager
        base="/search"
        page={props.page}
        hasNext={props.hasNext}
        params={{ q: props.q, type: props.type }}
      />
    </Layout>
  );
}
