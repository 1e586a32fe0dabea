/**
 * Facebook Pages adapter. Webhooks are the main inbound path (feed comments, Messenger);
 * fetchInbound is the fallback poll: the page's recent posts (GET /{page-id}/feed), and for each
 * post updated since the cursor, its comments (filter=stream, order=chronological, since=<cursor>)
 * paged with `after` cursors; a post with more comments than one poll's page budget caps the
 * cursor at its last comment read, so the rest comes next poll. Public replies are comments on the comment or
 * post; private replies go through the Send API, refused client side outside the 24-hour window
 * when the last customer message time is known. Retract deletes a comment.
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
import { graphRequest } from './graph.ts';
import { commentPost, isoTime, receiveWebhook } from './webhook.ts';

export const MESSAGING_WINDOW_MS = 24 * 60 * 60 * 1000;
export const MAX_COMMENT_PAGES_PER_POST = 20;
export const COMMENT_FIELDS = 'id,message,created_time,from,parent,permalink_url';
export const POST_FIELDS = 'id,message,created_time,updated_time,from,permalink_url';

/** Send options beyond OutboundMessage: when the customer last wrote to us in Messenger. */
export interface FacebookOutboundMessage extends OutboundMessage {
  lastCustomerMessageAt?: string;
}

type Obj = Record<string, unknown>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function pageIdOf(config: ChannelConfig): string {
  const id = config.accountId ?? config.credentials.pageId;
  if (!id) throw new ChannelError('missing_credentials', 'facebook channel needs the page id (accountId)');
  return id;
}

function listOf(body: unknown): { data: Obj[]; after?: string; hasNext: boolean } {
  if (!isObject(body) || !Array.isArray(body.data))
    throw new ChannelError('malformed_response', 'graph edge has no data array');
  const paging = isObject(body.paging) ? body.paging : {};
  const cursors = isObject(paging.cursors) ? paging.cursors : {};
  const after = str(cursors.after);
  return {
    data: body.data.filter(isObject),
    ...(after ? { after } : {}),
    hasNext: typeof paging.next === 'string',
  };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

async function fetchInbound(config: ChannelConfig, cursor: SyncCursor): Promise<FetchResult> {
  const pageId = pageIdOf(config);
  const backfillHours = Number(config.credentials.backfillHours ?? 24);
  const since =
    typeof cursor.since === 'number' ? cursor.since : Math.floor(Date.now() / 1000 - backfillHours * 3600);
  const seenAtSince = new Set(
    String(cursor.seenAtSince ?? '')
      .split(',')
      .filter(Boolean),
  );
  const maxPosts = Math.min(100, Number(config.credentials.pollPosts ?? 25));
  const feed = listOf(
    await graphRequest(config, 'GET', `/${pageId}/feed`, {
      query: { fields: POST_FIELDS, limit: String(maxPosts) },
    }),
  );
  const posts: InboundPost[] = [];
  let newest = since;
  let atNewest = new Set(seenAtSince);
  let cap = Number.POSITIVE_INFINITY;
  const keep = (id: string, created: number): boolean => {
    if (created < since || (created === since && seenAtSince.has(id))) return false;
    if (created > newest) {
      newest = created;
      atNewest = new Set();
    }
    if (created === newest) atNewest.add(id);
    return true;
  };
  for (const p of feed.data) {
    const postId = str(p.id);
    if (!postId) continue;
    const from = isObject(p.from) ? p.from : {};
    // A visitor's own post on the page is inbound too.
    if (from.id && from.id !== pageId && keep(postId, seconds(isoTime(p.created_time)))) {
      const permalink = str(p.permalink_url);
      posts.push(
        commentPost(
          config,
          {
            id: postId,
            postId,
            from,
            message: str(p.message) ?? '',
            created: p.created_time,
            ...(permalink ? { permalink } : {}),
          },
          'feed',
          p,
        ),
      );
    }
    const updated = seconds(isoTime(p.updated_time ?? p.created_time));
    if (updated < since) continue;
    let after: string | undefined;
    let lastRead = since;
    let finished = false;
    for (let page = 0; page < MAX_COMMENT_PAGES_PER_POST && !finished; page++) {
      const query: Record<string, string> = {
        filter: 'stream',
        order: 'chronological',
        since: String(since),
        fields: COMMENT_FIELDS,
        limit: '100',
      };
      if (after) query.after = after;
      const edge = listOf(await graphRequest(config, 'GET', `/${postId}/comments`, { query }));
      for (const c of edge.data) {
        const id = str(c.id);
        const cFrom = isObject(c.from) ? c.from : {};
        const created = seconds(isoTime(c.created_time));
        lastRead = Math.max(lastRead, created);
        if (!id || cFrom.id === pageId) continue;
        if (!keep(id, created)) continue;
        const parent = isObject(c.parent) ? str(c.parent.id) : undefined;
        const permalink = str(c.permalink_url);
        posts.push(
          commentPost(
            config,
            {
              id,
              postId,
              ...(parent ? { parentId: parent } : {}),
              from: cFrom,
              message: str(c.message) ?? '',
              created: c.created_time,
              ...(permalink ? { permalink } : {}),
            },
            'feed',
            c,
          ),
        );
      }
      if (!edge.hasNext || !edge.after) finished = true;
      after = edge.after;
    }
    if (!finished) cap = Math.min(cap, lastRead);
  }
  if (newest > cap) {
    // Some post has more to read: resume from its last comment (repeats there are de-duplicated).
    return { posts, cursor: { ...cursor, since: cap, seenAtSince: '' } };
  }
  return { posts, cursor: { ...cursor, since: newest, seenAtSince: [...atNewest].join(',') } };
}

/** Throws outside_messaging_window when the customer's last message is older than 24 hours. */
export function assertMessagingWindow(lastCustomerMessageAt: string | undefined, now = Date.now()): void {
  if (!lastCustomerMessageAt) return;
  const last = Date.parse(lastCustomerMessageAt);
  if (Number.isFinite(last) && now - last > MESSAGING_WINDOW_MS) {
    throw new ChannelError(
      'outside_messaging_window',
      `the customer last wrote ${Math.round((now - last) / 3_600_000)} h ago; Messenger allows replies for 24 h`,
    );
  }
}

async function send(config: ChannelConfig, message: FacebookOutboundMessage): Promise<SendResult> {
  if (message.isPrivate) {
    const pageId = pageIdOf(config);
    let recipient: Obj;
    if (message.recipientExternalId) {
      assertMessagingWindow(message.lastCustomerMessageAt);
      recipient = { id: message.recipientExternalId };
    } else if (message.inReplyToExternalId) recipient = { comment_id: message.inReplyToExternalId };
    else
      throw new ChannelError(
        'missing_recipient',
        'a Messenger reply needs recipientExternalId (PSID) or a comment to reply to privately',
      );
    const body = await graphRequest(config, 'POST', `/${pageId}/messages`, {
      json: { recipient, messaging_type: 'RESPONSE', message: { text: message.text } },
    });
    const id = isObject(body) ? str(body.message_id) : undefined;
    if (!id) throw new ChannelError('malformed_response', 'send API answer has no message_id');
    return { externalId: id };
  }
  const target = message.inReplyToExternalId ?? message.threadExternalId;
  if (!target)
    throw new ChannelError('missing_parent', 'a public Facebook reply needs the comment or post replied to');
  const body = await graphRequest(config, 'POST', `/${target}/comments`, { json: { message: message.text } });
  const id = isObject(body) ? str(body.id) : undefined;
  if (!id) throw new ChannelError('malformed_response', 'graph did not return the new comment id');
  return { externalId: id, url: `https://www.facebook.com/${id}` };
}

async function retract(config: ChannelConfig, externalId: string): Promise<void> {
  if (externalId.startsWith('m_'))
    throw new ChannelError('not_supported', 'Messenger messages cannot be deleted');
  await graphRequest(config, 'DELETE', `/${externalId}`);
}

export const adapter: ChannelAdapter = {
  kind: 'facebook',
  capabilities: {
    maxLength: 8000,
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
