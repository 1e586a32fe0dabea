/** Mastodon Status / Notification JSON → InboundPost. Tolerant of missing and unknown fields. */
import type { InboundPost } from '../../domain/inbound-post.ts';
import type { ChannelConfig } from '../types.ts';

export interface MastodonAccountPayload {
  id: string;
  acct?: string;
  username?: string;
  display_name?: string;
  followers_count?: number;
  url?: string | null;
  [k: string]: unknown;
}

export interface MastodonStatusPayload {
  id: string;
  content?: string;
  text?: string | null;
  created_at?: string;
  visibility?: string;
  in_reply_to_id?: string | null;
  language?: string | null;
  url?: string | null;
  uri?: string;
  account?: MastodonAccountPayload;
  reblog?: MastodonStatusPayload | null;
  [k: string]: unknown;
}

export interface MastodonNotificationPayload {
  id: string;
  type: string;
  status?: MastodonStatusPayload | null;
  [k: string]: unknown;
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

/** Mastodon `content` is HTML: paragraphs and line breaks become newlines, tags go, entities decode. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/p>\s*<p[^>]*>/gi, '\n\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (m, e: string) => {
      if (e[0] === '#') {
        const code = e[1] === 'x' || e[1] === 'X' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) ? String.fromCodePoint(code) : m;
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .trim();
}

/** Mastodon ids are snowflakes: milliseconds since 1970 in the bits above the low 16. */
export function mastodonIdTime(id: string): string | undefined {
  try {
    const ms = Number(BigInt(id) >> 16n);
    return ms > Date.UTC(2016, 0, 1) && ms < Date.now() + 86_400_000 ? new Date(ms).toISOString() : undefined;
  } catch {
    return undefined;
  }
}

export function statusToPost(
  config: ChannelConfig,
  s: MastodonStatusPayload,
  matchedBy: InboundPost['matchedBy'],
): InboundPost {
  const a = s.account;
  const isPrivate = s.visibility === 'direct';
  return {
    channelKind: 'mastodon',
    channelId: config.id,
    externalId: String(s.id),
    // The root needs a /context call; the parent is the stable thread key we have without one.
    threadExternalId: String(s.in_reply_to_id ?? s.id),
    ...(s.in_reply_to_id ? { parentExternalId: String(s.in_reply_to_id) } : {}),
    author: {
      externalId: String(a?.id ?? 'unknown'),
      handle: a?.acct ?? a?.username ?? 'unknown',
      ...(a?.display_name ? { displayName: a.display_name } : {}),
      ...(typeof a?.followers_count === 'number' ? { followers: a.followers_count } : {}),
      ...(a?.url ? { profileUrl: a.url } : {}),
    },
    text: s.text ?? htmlToText(String(s.content ?? '')),
    isPrivate,
    ...(s.url || s.uri ? { url: String(s.url ?? s.uri) } : {}),
    createdAt: s.created_at ?? mastodonIdTime(String(s.id)) ?? new Date(0).toISOString(),
    ...(s.language ? { language: s.language } : {}),
    matchedBy: isPrivate ? 'direct' : matchedBy,
    raw: s,
  };
}
