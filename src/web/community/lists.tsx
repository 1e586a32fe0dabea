/** Community home, topic lists (latest, top, unanswered, solved; per category and tag), tags. */
import type { CategoryRow, TopicFilter, TopicListItem } from '../../db/repositories/community.ts';
import { dateText, ForumLayout, type ForumViewer, Pager } from './layout.tsx';

export const FILTERS: { key: TopicFilter; label: string }[] = [
  { key: 'latest', label: 'Latest' },
  { key: 'top', label: 'Top' },
  { key: 'unanswered', label: 'Unanswered' },
  { key: 'solved', label: 'Solved' },
];

export function TopicTable(props: { items: TopicListItem[]; caption: string }) {
  if (!props.items.length) return <p>No topics here yet.</p>;
  return (
    <table class="topics">
      <caption class="visually-hidden">{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">Topic</th>
          <th scope="col">Replies</th>
          <th scope="col">Votes</th>
          <th scope="col">Activity</th>
        </tr>
      </thead>
      <tbody>
        {props.items.map((t) => (
          <tr key={t.id}>
            <td>
              {t.pinned && <span class="badge">Pinned</span>}{' '}
              {t.solved && <span class="badge solved">Solved</span>}{' '}
              {t.locked && <span class="badge">Locked</span>}{' '}
              <a href={`/community/t/${t.slug}/${t.id}`}>{t.title}</a>
              <div class="meta">
                {t.authorUsername ? (
                  <a href={`/community/u/${t.authorUsername}`}>{t.authorName}</a>
                ) : (
                  'Someone'
                )}
                {t.tags.length > 0 && (
                  <>
                    {' · '}
                    {t.tags.map((tag) => (
                      <a key={tag} class="tag" href={`/community/tags/${tag}`}>
                        {tag}
                      </a>
                    ))}
                  </>
                )}
              </div>
            </td>
            <td>{t.replyCount}</td>
            <td>{t.score}</td>
            <td>
              <time dateTime={t.lastPostedAt.toISOString()}>{dateText(t.lastPostedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function FilterTabs(props: { base: string; active: TopicFilter }) {
  return (
    <nav aria-label="Sort topics" class="tabs">
      <ul>
        {FILTERS.map((f) => (
          <li key={f.key}>
            <a
              href={`${props.base}${props.base.includes('?') ? '&' : '?'}sort=${f.key}`}
              aria-current={f.key === props.active ? 'page' : undefined}
            >
              {f.label}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function HomePage(props: {
  viewer: ForumViewer;
  baseUrl: string;
  categories: CategoryRow[];
  latest: TopicListItem[];
}) {
  return (
    <ForumLayout
      viewer={props.viewer}
      meta={{
        title: 'Community',
        description: 'Ask questions, share answers and get help from other customers and our staff.',
        canonical: `${props.baseUrl}/community`,
        feeds: [{ title: 'Latest topics', href: '/community/feed.rss', type: 'rss' }],
      }}
    >
      <h1>Community</h1>
      <p>Ask a question, help others, and get answers from our staff. Reading needs no account.</p>
      <h2>Categories</h2>
      <ul class="categories">
        {props.categories.map((c) => (
          <li key={c.id}>
            <a href={`/community/c/${c.slug}`}>{c.name}</a>
            {c.description && <span class="meta"> — {c.description}</span>}
          </li>
        ))}
      </ul>
      <h2>Latest topics</h2>
      <TopicTable items={props.latest} caption="Latest topics" />
      <p>
        <a href="/community/latest">All topics</a>
      </p>
    </ForumLayout>
  );
}

export function TopicListPage(props: {
  viewer: ForumViewer;
  baseUrl: string;
  title: string;
  description: string;
  path: string;
  filter: TopicFilter;
  items: TopicListItem[];
  page: number;
  pages: number;
  tabs?: boolean;
  feed?: string;
}) {
  const sortQ = props.tabs && props.filter !== 'latest' ? `sort=${props.filter}&` : '';
  const href = (p: number) => (p === 1 && !sortQ ? props.path : `${props.path}?${sortQ}page=${p}`);
  return (
    <ForumLayout
      viewer={props.viewer}
      meta={{
        title: props.page > 1 ? `${props.title} (page ${props.page})` : props.title,
        description: props.description,
        canonical: `${props.baseUrl}${href(props.page)}`,
        feeds: props.feed
          ? [
              { title: `${props.title} (RSS)`, href: `${props.feed}.rss`, type: 'rss' },
              { title: `${props.title} (Atom)`, href: `${props.feed}.atom`, type: 'atom' },
            ]
          : [],
      }}
    >
      <h1>{props.title}</h1>
      <p>{props.description}</p>
      {props.tabs && <FilterTabs base={props.path} active={props.filter} />}
      <TopicTable items={props.items} caption={props.title} />
      <Pager page={props.page} pages={props.pages} href={href} label="Topic pages" />
    </ForumLayout>
  );
}

export function TagsPage(props: {
  viewer: ForumViewer;
  baseUrl: string;
  tags: { tag: string; n: number }[];
}) {
  return (
    <ForumLayout viewer={props.viewer} meta={{ title: 'Tags', canonical: `${props.baseUrl}/community/tags` }}>
      <h1>Tags</h1>
      <ul class="tag-cloud">
        {props.tags.map((t) => (
          <li key={t.tag}>
            <a href={`/community/tags/${t.tag}`}>{t.tag}</a> <span class="meta">({t.n})</span>
          </li>
        ))}
      </ul>
    </ForumLayout>
  );
}
