/** JSON shapes X API v2 serves for posts, users and DM events, honouring the *.fields parameters. */
import type { SimReply } from '../shared/http.ts';
import type { Bucket, XDm, XState, XTweet, XUser } from './state.ts';

const list = (v: string | null) => new Set((v ?? '').split(',').filter(Boolean));

export function renderTweet(t: XTweet, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: t.id, text: t.text, edit_history_tweet_ids: [t.id] };
  if (fields.has('author_id')) out.author_id = t.authorId;
  if (fields.has('created_at')) out.created_at = t.createdAt;
  if (fields.has('conversation_id')) out.conversation_id = t.conversationId;
  if (fields.has('lang')) out.lang = t.lang;
  if (fields.has('in_reply_to_user_id') && t.inReplyToUserId) out.in_reply_to_user_id = t.inReplyToUserId;
  if (fields.has('referenced_tweets') && t.inReplyToTweetId)
    out.referenced_tweets = [{ type: 'replied_to', id: t.inReplyToTweetId }];
  if (fields.has('public_metrics'))
    out.public_metrics = {
      retweet_count: 0,
      repost_count: 0,
      reply_count: 0,
      like_count: 0,
      quote_count: 0,
      bookmark_count: 0,
      impression_count: 0,
    };
  return out;
}

export function renderUser(u: XUser, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
  if (fields.has('public_metrics'))
    out.public_metrics = {
      followers_count: u.followers,
      following_count: 0,
      tweet_count: 0,
      post_count: 0,
      listed_count: 0,
    };
  if (fields.has('created_at')) out.created_at = '2015-01-01T00:00:00.000Z';
  return out;
}

export function renderDm(d: XDm, fields: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = { id: d.id, event_type: 'MessageCreate', text: d.text };
  if (fields.has('sender_id')) out.sender_id = d.senderId;
  if (fields.has('created_at')) out.created_at = d.createdAt;
  if (fields.has('dm_conversation_id')) out.dm_conversation_id = d.conversationId;
  if (fields.has('participant_ids')) out.participant_ids = d.participantIds;
  return out;
}

/** data + includes.users for a list of posts, per the request's query parameters. */
export function renderTweets(state: XState, tweets: XTweet[], q: URLSearchParams) {
  const tf = list(q.get('tweet.fields'));
  const uf = list(q.get('user.fields'));
  const exp = list(q.get('expansions'));
  const data = tweets.map((t) => renderTweet(t, tf));
  const includes: Record<string, unknown> = {};
  if (exp.has('author_id')) {
    const ids = [...new Set(tweets.map((t) => t.authorId))];
    includes.users = ids.flatMap((id) => {
      const u = state.users.get(id);
      return u ? [renderUser(u, uf)] : [];
    });
  }
  return { data, includes };
}

export function renderDms(state: XState, dms: XDm[], q: URLSearchParams) {
  const df = list(q.get('dm_event.fields'));
  const uf = list(q.get('user.fields'));
  const exp = list(q.get('expansions'));
  const data = dms.map((d) => renderDm(d, df));
  const includes: Record<string, unknown> = {};
  if (exp.has('sender_id')) {
    const ids = [...new Set(dms.map((d) => d.senderId))];
    includes.users = ids.flatMap((id) => {
      const u = state.users.get(id);
      return u ? [renderUser(u, uf)] : [];
    });
  }
  return { data, includes };
}

export function rateHeaders(b: Bucket): Record<string, string> {
  return {
    'x-rate-limit-limit': String(b.limit),
    'x-rate-limit-remaining': String(Math.max(0, b.remaining)),
    'x-rate-limit-reset': String(b.reset),
  };
}

export function tooMany(b: Bucket): SimReply {
  return {
    status: 429,
    headers: rateHeaders(b),
    body: {
      code: 88,
      message: 'Rate limit exceeded',
      title: 'Too Many Requests',
      detail: 'Too Many Requests',
      type: 'about:blank',
      status: 429,
    },
  };
}

export function unauthorized(): SimReply {
  return {
    status: 401,
    body: {
      code: 32,
      message: 'Unauthorized',
      title: 'Unauthorized',
      type: 'about:blank',
      status: 401,
      detail: 'Unauthorized',
    },
  };
}

export function invalidRequest(detail: string, parameter?: string): SimReply {
  return {
    status: 400,
    contentType: 'application/problem+json',
    body: {
      type: 'https://api.x.com/2/problems/invalid-request',
      title: 'Invalid Request',
      detail,
      status: 400,
      ...(parameter ? { parameter } : {}),
    },
  };
}

export function notFoundProblem(id: string, resourceType = 'tweet', parameter = 'id') {
  return {
    type: 'https://api.x.com/2/problems/resource-not-found',
    title: 'Not Found Error',
    detail: `Could not find ${resourceType} with ${parameter}: [${id}].`,
    resource_type: resourceType,
    resource_id: id,
    parameter,
    value: id,
  };
}

/** Opaque page tokens: the exclusive upper id of the next page. */
export const pageToken = {
  encode: (untilId: string) => Buffer.from(`until:${untilId}`).toString('base64url'),
  decode: (token: string): string | undefined => {
    const m = /^until:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
    return m?.[1];
  },
};

export function intParam(
  q: URLSearchParams,
  name: string,
  def: number,
  min: number,
  max: number,
): number | SimReply {
  const raw = q.get(name);
  if (raw === null) return def;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    return invalidRequest(
      `The \`${name}\` query parameter value [${raw}] is not between ${min} and ${max}`,
      name,
    );
  return n;
}
