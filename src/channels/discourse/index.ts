/**
 * Discourse adapter for other people's forums. Polls /posts.json (newest first, paged back with
 * `before=<id>`) with cursor `lastPostId` and keeps posts that mention us or match a keyword
 * (ListeningRules.sources narrow to category ids); with credentials.mode = 'search' it asks
 * /search.json for each keyword instead (for forums whose /posts.json is closed). Replies go into
 * the topic (topic_id, reply_to_post_number), private messages are new private_message topics
 * with target_recipients; retract deletes the post. Webhooks verify X-Discourse-Event-Signature.
 */
import type { InboundPost } from '../../domain/inbound-post.ts';
import {
  type ChannelAdapter,
  type ChannelConfig,
  ChannelError,
  type FetchResult,
  type OutboundMessage,
  type SendResult,
  type SyncCursor,
} from '../types.ts';
import { discourseRequest } from './http.ts';
import { classify, matchRules, postId, postsOf, toInboundPost } from './parse.ts';
import { receiveWebhook } from './webhook.ts';

export const MAX_PAGES_PER_POLL = 20;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * Newest-first scan down to `lastPostId`. A backlog bigger than one poll's page budget resumes
 * from `scanBefore`; `lastPostId` moves to the top of the scan only when the scan is complete.
 * A forum never polled before gives one page (no backfill of its whole history).
 */
async function pollLatest(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const rules = matchRules(config);
  const lastPostId = num(cursor.lastPostId);
  let before = num(cursor.scanBefore);
  let scanTop = num(cursor.scanTop);
  const posts: InboundPost[] = [];
  let complete = false;
  for (let page = 0; page < MAX_PAGES_PER_POLL && !complete; page++) {
    const query: Record<string, string> = before === undefined ? {} : { before: String(before) };
    const batch = postsOf(await discourseRequest(config, 'GET', '/posts.json', { query }), 'latest_posts');
    for (const p of batch) {
      const id = postId(p);
      if (id === undefined) continue;
      if (scanTop === undefined || id > scanTop) scanTop = id;
      if (lastPostId !== undefined && id <= lastPostId) {
        complete = true;
        continue;
      }
      before = before === undefined ? id : Math.min(before, id);
      const matchedBy = classify(p, rules, false);
      const post = matchedBy && toInboundPost(p, config, matchedBy, false);
      if (post) posts.push(post);
    }
    if (batch.length === 0 || lastPostId === undefined) complete = true;
  }
  const next: SyncCursor = { ...cursor };
  delete next.scanBefore;
  delete next.scanTop;
  if (complete) next.lastPostId = scanTop ?? lastPostId ?? 0;
  else {
    next.scanBefore = before ?? null;
    if (scanTop !== undefined) next.scanTop = scanTop;
  }
  return { posts, cursor: next };
}

/** Search mode: `<keyword> order:latest` per keyword; cursor `search.<keyword>` = newest id seen. */
async function pollSearch(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const next: SyncCursor = { ...cursor };
  const rules = matchRules(config);
  const terms = [
    ...config.rules.keywords.filter((k) => k.trim()),
    ...(rules.handle ? [`@${rules.handle}`] : []),
  ];
  const posts: InboundPost[] = [];
  const seen = new Set<string>();
  for (const term of terms) {
    const key = `search.${term}`;
    const since = num(cursor[key]);
    let newest = since ?? 0;
    const q = `${/\s/.test(term) ? `"${term}"` : term} order:latest`;
    const batch = postsOf(await discourseRequest(config, 'GET', '/search.json', { query: { q } }), 'posts');
    for (const p of batch) {
      const id = postId(p);
      if (id === undefined || (since !== undefined && id <= since)) continue;
      newest = Math.max(newest, id);
      if (since === undefined) continue; // first poll only sets the mark
      const matchedBy = classify(p, rules, false) ?? 'search';
      const post = toInboundPost(p, config, matchedBy, false);
      if (post && !seen.has(post.externalId)) {
        seen.add(post.externalId);
        posts.push(post);
      }
    }
    next[key] = newest;
  }
  return { posts, cursor: next };
}

function fetchInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  return config.credentials.mode === 'search' ? pollSearch(config, cursor) : pollLatest(config, cursor);
}

function pmTitle(config: ChannelConfig, text: string): string {
  const configured = config.credentials.messageTitle;
  if (configured && configured.length >= 15) return configured;
  const firstLine = text.split('\n')[0]?.trim() ?? '';
  return firstLine.length >= 15 && firstLine.length <= 80 ? firstLine : 'Following up on your post';
}

async function send(config: ChannelConfig, message: OutboundMessage): Promise<SendResult> {
  if (!config.credentials.apiKey)
    throw new ChannelError('missing_credentials', 'posting to Discourse needs an apiKey');
  let payload: Record<string, unknown>;
  if (message.isPrivate && message.recipientExternalId) {
    payload = {
      raw: message.text,
      title: pmTitle(config, message.text),
      archetype: 'private_message',
      target_recipients: message.recipientExternalId,
    };
  } else {
    payload = { raw: message.text };
    if (message.inReplyToExternalId) {
      // The post id → its topic and post number (reply_to_post_number threads the reply).
      const parent = (await discourseRequest(
        config,
        'GET',
        `/posts/${encodeURIComponent(message.inReplyToExternalId)}.json`,
      )) as Record<string, unknown> | undefined;
      payload.topic_id = Number(parent?.topic_id ?? message.threadExternalId);
      if (typeof parent?.post_number === 'number' && parent.post_number > 1)
        payload.reply_to_post_number = parent.post_number;
    } else if (message.threadExternalId) payload.topic_id = Number(message.threadExternalId);
    if (!Number.isInteger(payload.topic_id)) {
      throw new ChannelError(
        'missing_parent',
        'a Discourse reply needs the topic (threadExternalId) or the post replied to',
      );
    }
  }
  const created = (await discourseRequest(config, 'POST', '/posts.json', { json: payload })) as
    | Record<string, unknown>
    | undefined;
  const id = created?.id;
  if (typeof id !== 'number')
    throw new ChannelError('malformed_response', 'discourse did not return the new post id');
  const base = config.baseUrl.replace(/\/$/, '');
  const path =
    typeof created?.post_url === 'string'
      ? created.post_url
      : `/t/-/${String(created?.topic_id)}/${String(created?.post_number)}`;
  return { externalId: String(id), url: `${base}${path}` };
}

async function retract(config: ChannelConfig, externalId: string): Promise<void> {
  if (!/^\d+$/.test(externalId)) throw new ChannelError('bad_id', `not a Discourse post id: ${externalId}`);
  await discourseRequest(config, 'DELETE', `/posts/${externalId}.json`);
}

export const adapter: ChannelAdapter = {
  kind: 'discourse',
  capabilities: {
    maxLength: 32_000,
    lengthCounting: 'chars',
    threading: true,
    privateMessages: true,
    canEdit: true,
    canDelete: true,
    replyOnSite: false,
    webhooks: true,
    polling: true,
  },
  fetchInbound,
  receiveWebhook,
  send,
  retract,
};
