/** Pieces shared by the knowledge base, blog and search pages. */
import type { ComponentChildren } from 'preact';
import type { ArticleWithAuthor, SearchHit } from '../../db/repositories/articles.ts';
import { HL_START, HL_STOP } from '../../db/repositories/articles.ts';
import { articlePath } from '../../services/articles.ts';

const DATE = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' });

export function DateLine({ at }: { at: Date | null }) {
  if (!at) return null;
  return <time datetime={at.toISOString()}>{DATE.format(at)}</time>;
}

export type SearchType = 'all' | 'kb' | 'blog' | 'forum';

export function SearchBox(props: { q?: string; type?: SearchType; forum: boolean; id?: string }) {
  const id = props.id ?? 'search';
  return (
    <search aria-label="Help and community">
      <form method="get" action="/search" class="kb-search">
        <label for={`${id}-q`}>Search help articles, blog{props.forum ? ' and community' : ''}</label>
        <input id={`${id}-q`} name="q" type="search" value={props.q ?? ''} maxLength={300} />
        <label for={`${id}-type`}>In</label>
        <select id={`${id}-type`} name="type">
          <option value="all" selected={!props.type || props.type === 'all'}>
            Everything
          </option>
          <option value="kb" selected={props.type === 'kb'}>
            Help articles
          </option>
          <option value="blog" selected={props.type === 'blog'}>
            Blog
          </option>
          {props.forum && (
            <option value="forum" selected={props.type === 'forum'}>
              Community
            </option>
          )}
        </select>
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

/** Highlighted search excerpt: text between the sentinels becomes <mark>, everything else is text. */
export function Headline({ text }: { text: string }) {
  const parts: ComponentChildren[] = [];
  let rest = text;
  let i = 0;
  while (rest.length) {
    const start = rest.indexOf(HL_START);
    if (start < 0) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, start));
    const stop = rest.indexOf(HL_STOP, start);
    const end = stop < 0 ? rest.length : stop;
    parts.push(<mark key={i++}>{rest.slice(start + 1, end)}</mark>);
    rest = stop < 0 ? '' : rest.slice(stop + 1);
  }
  return <>{parts}</>;
}

export function ArticleTeaser({ a, headingLevel = 2 }: { a: ArticleWithAuthor; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <article class="kb-teaser">
      <H>
        <a href={articlePath(a)}>{a.title}</a>
      </H>
      <p class="kb-meta">
        <DateLine at={a.publishAt} />
        {a.authorName && <> · {a.authorName}</>}
        {a.categoryName && <> · {a.categoryName}</>}
      </p>
      {a.summary && <p>{a.summary}</p>}
    </article>
  );
}

export function HitList({ hits }: { hits: SearchHit[] }) {
  return (
    <ol class="kb-hits">
      {hits.map((h) => (
        <li key={h.id}>
          <a href={articlePath(h)}>{h.title}</a>{' '}
          <span class="kb-type">{h.kind === 'kb' ? 'Help article' : 'Blog'}</span>
          <p>
            <Headline text={h.headline} />
          </p>
        </li>
      ))}
    </ol>
  );
}

export function Pager(props: {
  base: string;
  page: number;
  hasNext: boolean;
  params?: Record<string, string>;
}) {
  const href = (p: number) => {
    const q = new URLSearchParams({ ...props.params, page: String(p) });
    return `${props.base}?${q.toString()}`;
  };
  if (props.page <= 1 && !props.hasNext) return null;
  return (
    <nav aria-label="Pages" class="kb-pager">
      {props.page > 1 && (
        <a href={href(props.page - 1)} rel="prev">
          Newer
        </a>
      )}{' '}
      {props.hasNext && (
        <a href={href(props.page + 1)} rel="next">
          Older
        </a>
      )}
    </nav>
  );
}
