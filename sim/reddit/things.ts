/**
 * Reddit "things" as the API serialises them, field for field after the recorded praw cassettes
 * in ../shared/specs/reddit: t3 (submission, as in TestSubreddit.test_search), t1 (comment, as in
 * TestSubredditStreams.test_comments__with_pause) and inbox items (mention / private message, as
 * in TestInbox.test_mentions). Listings are {kind:'Listing', data:{after, before, children, ...}}.
 */

export interface SimSubmission {
  id: string;
  subreddit: string;
  author: string;
  title: string;
  selftext: string;
  createdUtc: number;
  numComments: number;
  deleted: boolean;
}

export interface SimComment {
  id: string;
  subreddit: string;
  author: string;
  body: string;
  linkId: string;
  parentId: string;
  createdUtc: number;
  deleted: boolean;
}

export interface SimMessage {
  id: string;
  author: string;
  dest: string;
  subject: string;
  body: string;
  createdUtc: number;
  firstMessageName: string | null;
}

export const subredditId = (sub: string): string => {
  let h = 7;
  for (const c of sub.toLowerCase()) h = (h * 31 + c.charCodeAt(0)) % 2_000_000_000;
  return `t5_${h.toString(36)}`;
};

const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
const md = (s: string): string => `<div class="md"><p>${escapeHtml(s)}</p>\n</div>`;
const slug = (title: string): string =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 50);
/** Reddit's `created` is local-time flavoured; the cassettes show created = created_utc + 28800. */
const created = (utc: number): number => utc + 28_800;

export function permalink(s: SimSubmission): string {
  return `/r/${s.subreddit}/comments/${s.id}/${slug(s.title)}/`;
}

export function submissionThing(s: SimSubmission): { kind: 't3'; data: Record<string, unknown> } {
  return {
    kind: 't3',
    data: {
      domain: `self.${s.subreddit}`,
      banned_by: null,
      media_embed: {},
      subreddit: s.subreddit,
      selftext_html: s.deleted ? null : `<!-- SC_OFF -->${md(s.selftext)}<!-- SC_ON -->`,
      selftext: s.deleted ? '[deleted]' : s.selftext,
      likes: null,
      suggested_sort: null,
      user_reports: [],
      secure_media: null,
      link_flair_text: null,
      id: s.id,
      from_kind: null,
      gilded: 0,
      archived: false,
      clicked: false,
      report_reasons: null,
      author: s.deleted ? '[deleted]' : s.author,
      media: null,
      score: 1,
      approved_by: null,
      over_18: false,
      hidden: false,
      num_comments: s.numComments,
      thumbnail: 'self',
      subreddit_id: subredditId(s.subreddit),
      hide_score: false,
      edited: false,
      link_flair_css_class: null,
      author_flair_css_class: null,
      downs: 0,
      secure_media_embed: {},
      saved: false,
      removal_reason: null,
      stickied: false,
      from: null,
      is_self: true,
      from_id: null,
      permalink: permalink(s),
      locked: false,
      name: `t3_${s.id}`,
      created: created(s.createdUtc),
      url: `https://www.reddit.com${permalink(s)}`,
      author_flair_text: null,
      quarantine: false,
      title: s.title,
      created_utc: s.createdUtc,
      distinguished: null,
      mod_reports: [],
      visited: false,
      num_reports: null,
      ups: 1,
    },
  };
}

export function commentThing(
  c: SimComment,
  link: SimSubmission | undefined,
): { kind: 't1'; data: Record<string, unknown> } {
  const linkPermalink = link ? `https://www.reddit.com${permalink(link)}` : '';
  return {
    kind: 't1',
    data: {
      subreddit_id: subredditId(c.subreddit),
      edited: false,
      banned_by: null,
      removal_reason: null,
      link_id: c.linkId,
      link_author: link?.author ?? '[deleted]',
      likes: null,
      replies: '',
      user_reports: [],
      saved: false,
      id: c.id,
      gilded: 0,
      archived: false,
      score: 1,
      report_reasons: null,
      author: c.deleted ? '[deleted]' : c.author,
      num_comments: link?.numComments ?? 0,
      parent_id: c.parentId,
      subreddit_name_prefixed: `r/${c.subreddit}`,
      approved_by: null,
      over_18: false,
      controversiality: 0,
      body: c.deleted ? '[deleted]' : c.body,
      link_title: link?.title ?? '',
      author_flair_css_class: null,
      downs: 0,
      body_html: md(c.deleted ? '[deleted]' : c.body),
      quarantine: false,
      subreddit: c.subreddit,
      name: `t1_${c.id}`,
      score_hidden: false,
      num_reports: null,
      link_permalink: linkPermalink,
      stickied: false,
      created: created(c.createdUtc),
      author_flair_text: null,
      link_url: linkPermalink,
      created_utc: c.createdUtc,
      distinguished: null,
      mod_reports: [],
      subreddit_type: 'public',
      ups: 1,
    },
  };
}

/** A comment as it appears in the inbox (mentions, comment replies): the message serialiser. */
export function inboxCommentThing(
  c: SimComment,
  link: SimSubmission | undefined,
  dest: string,
  type: 'username_mention' | 'comment_reply' | 'post_reply',
): { kind: 't1'; data: Record<string, unknown> } {
  return {
    kind: 't1',
    data: {
      first_message: null,
      first_message_name: null,
      subreddit: c.subreddit,
      likes: null,
      replies: '',
      author_fullname: `t2_${c.author.length.toString(36)}${subredditId(c.author).slice(3)}`,
      id: c.id,
      subject: type === 'username_mention' ? 'username mention' : 'comment reply',
      associated_awarding_id: null,
      score: 1,
      author: c.deleted ? '[deleted]' : c.author,
      num_comments: link?.numComments ?? 0,
      parent_id: c.parentId,
      subreddit_name_prefixed: `r/${c.subreddit}`,
      new: true,
      type,
      body: c.deleted ? '[deleted]' : c.body,
      link_title: link?.title ?? '',
      dest,
      was_comment: true,
      body_html: `<!-- SC_OFF -->${md(c.body)}<!-- SC_ON -->`,
      name: `t1_${c.id}`,
      created: created(c.createdUtc),
      created_utc: c.createdUtc,
      context: link ? `${permalink(link)}${c.id}/?context=3` : '',
      distinguished: null,
    },
  };
}

export function messageThing(m: SimMessage): { kind: 't4'; data: Record<string, unknown> } {
  return {
    kind: 't4',
    data: {
      first_message: null,
      first_message_name: m.firstMessageName,
      subreddit: null,
      likes: null,
      replies: '',
      author_fullname: `t2_${subredditId(m.author).slice(3)}`,
      id: m.id,
      subject: m.subject,
      associated_awarding_id: null,
      score: 0,
      author: m.author,
      num_comments: null,
      parent_id: m.firstMessageName,
      subreddit_name_prefixed: null,
      new: true,
      type: 'unknown',
      body: m.body,
      link_title: null,
      dest: m.dest,
      was_comment: false,
      body_html: `<!-- SC_OFF -->${md(m.body)}<!-- SC_ON -->`,
      name: `t4_${m.id}`,
      created: created(m.createdUtc),
      created_utc: m.createdUtc,
      context: '',
      distinguished: null,
    },
  };
}

export interface ListingPage<T> {
  kind: 'Listing';
  data: {
    after: string | null;
    dist: number;
    modhash: string | null;
    geo_filter: string;
    children: T[];
    before: string | null;
  };
}

/**
 * Page a newest-first list the way Reddit does: `after` = fullname of the last item of this page
 * when more remain; `before` pages back towards newer items. Only the page is serialised.
 */
export function listing<R, T>(
  items: R[],
  query: URLSearchParams,
  nameOf: (item: R) => string,
  toThing: (item: R) => T,
): ListingPage<T> {
  const limit = Math.min(100, Math.max(1, Number(query.get('limit') ?? 25) || 25));
  const after = query.get('after');
  const before = query.get('before');
  let start = 0;
  let end = Math.min(items.length, limit);
  if (after) {
    const i = items.findIndex((t) => nameOf(t) === after);
    start = i < 0 ? items.length : i + 1;
    end = Math.min(items.length, start + limit);
  } else if (before) {
    const i = items.findIndex((t) => nameOf(t) === before);
    end = Math.max(i, 0);
    start = Math.max(0, end - limit);
  }
  const page = items.slice(start, end);
  const last = page[page.length - 1];
  const first = page[0];
  return {
    kind: 'Listing',
    data: {
      after: end < items.length && last !== undefined ? nameOf(last) : null,
      dist: page.length,
      modhash: null,
      geo_filter: '',
      children: page.map(toThing),
      before: before && start > 0 && first !== undefined ? nameOf(first) : null,
    },
  };
}
