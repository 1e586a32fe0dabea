/** Mastodon entity JSON (Account, Status, Notification) as the OpenAPI description defines them. */
import type { MAccount, MastodonState, MNotification, MStatus } from './state.ts';

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderAccount(state: MastodonState, a: MAccount): Record<string, unknown> {
  const base = `https://${state.domain}/@${a.acct.includes('@') ? a.acct : a.username}`;
  return {
    id: a.id,
    username: a.username,
    acct: a.acct,
    display_name: a.displayName,
    locked: false,
    bot: false,
    discoverable: true,
    indexable: true,
    group: false,
    created_at: a.createdAt,
    note: '',
    url: base,
    uri: `https://${state.domain}/users/${a.username}`,
    avatar: `https://${state.domain}/avatars/original/missing.png`,
    avatar_static: `https://${state.domain}/avatars/original/missing.png`,
    header: `https://${state.domain}/headers/original/missing.png`,
    header_static: `https://${state.domain}/headers/original/missing.png`,
    followers_count: a.followers,
    following_count: 0,
    statuses_count: state.statuses.filter((s) => s.accountId === a.id).length,
    last_status_at: null,
    emojis: [],
    fields: [],
  };
}

function contentHtml(state: MastodonState, s: MStatus): string {
  const html = esc(s.text)
    .replace(/@([\w.-]+(?:@[\w.-]+)?)/g, (m, acct: string) => {
      const a = state.findAcct(acct);
      if (!a) return m;
      return `<span class="h-card"><a href="https://${state.domain}/@${a.acct}" class="u-url mention">@<span>${esc(a.username)}</span></a></span>`;
    })
    .replace(
      /#(\w+)/g,
      `<a href="https://${state.domain}/tags/$1" class="mention hashtag" rel="tag">#<span>$1</span></a>`,
    );
  return html
    .split(/\n{2,}/)
    .map((p) => `<p>${p.replace(/\n/g, '<br />')}</p>`)
    .join('');
}

export function renderStatus(state: MastodonState, s: MStatus, withSource = false): Record<string, unknown> {
  const author = state.accounts.get(s.accountId)!;
  const url = `https://${state.domain}/@${author.acct}/${s.id}`;
  return {
    id: s.id,
    created_at: s.createdAt,
    in_reply_to_id: s.inReplyToId ?? null,
    in_reply_to_account_id: s.inReplyToAccountId ?? null,
    sensitive: false,
    spoiler_text: '',
    visibility: s.visibility,
    language: s.language,
    uri: `https://${state.domain}/users/${author.username}/statuses/${s.id}`,
    url,
    replies_count: state.statuses.filter((x) => x.inReplyToId === s.id && !x.deleted).length,
    reblogs_count: 0,
    favourites_count: 0,
    edited_at: null,
    content: contentHtml(state, s),
    reblog: null,
    application: null,
    account: renderAccount(state, author),
    media_attachments: [],
    mentions: s.mentions.flatMap((id) => {
      const a = state.accounts.get(id);
      return a
        ? [{ id: a.id, username: a.username, acct: a.acct, url: `https://${state.domain}/@${a.acct}` }]
        : [];
    }),
    tags: [...s.text.matchAll(/#(\w+)/g)].map((m) => ({
      name: m[1]!.toLowerCase(),
      url: `https://${state.domain}/tags/${m[1]!.toLowerCase()}`,
    })),
    emojis: [],
    card: null,
    poll: null,
    ...(withSource ? { text: s.text } : {}),
  };
}

export function renderNotification(state: MastodonState, n: MNotification): Record<string, unknown> {
  const status = n.statusId ? state.byId.get(n.statusId) : undefined;
  return {
    id: n.id,
    type: n.type,
    group_key: `ungrouped-${n.id}`,
    created_at: n.createdAt,
    account: renderAccount(state, state.accounts.get(n.accountId)!),
    ...(status ? { status: renderStatus(state, status) } : {}),
  };
}

/** RFC 8288 Link header: rel="next" pages to older items, rel="prev" to newer ones. */
export function linkHeader(
  base: string,
  query: URLSearchParams,
  page: { id: string }[],
): Record<string, string> {
  if (page.length === 0) return {};
  const make = (key: 'max_id' | 'min_id', id: string) => {
    const q = new URLSearchParams(query);
    for (const k of ['max_id', 'min_id', 'since_id']) q.delete(k);
    q.set(key, id);
    return `<${base}?${q.toString()}>`;
  };
  return {
    Link: `${make('max_id', page[page.length - 1]!.id)}; rel="next", ${make('min_id', page[0]!.id)}; rel="prev"`,
  };
}
