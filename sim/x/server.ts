/**
 * X API v2 simulator over HTTPS (self-signed, see sim/shared/tls.ts): recent search, mentions,
 * post lookup, filtered stream + rules, create/delete post, DM events and DM send, with
 * x-rate-limit-* headers, 429s and bearer auth. Control API: methods on the returned object,
 * and the same over HTTP under /_sim/ for demos.
 */
import twitterText from 'twitter-text';
import {
  checkBearer,
  jsonBody,
  Router,
  type SimReply,
  type SimRequest,
  startServer,
} from '../shared/http.ts';
import { simTls } from '../shared/tls.ts';
import type { QueryError } from './query.ts';
import { registerControl, registerRuleAndDmRoutes } from './routes-dm.ts';
import { XState, type XTweet, type XUser } from './state.ts';
import { StreamHub } from './stream.ts';
import {
  intParam,
  invalidRequest,
  notFoundProblem,
  pageToken,
  rateHeaders,
  renderTweet,
  renderTweets,
  tooMany,
  unauthorized,
} from './views.ts';

export interface XSimOptions {
  bearerToken?: string;
  account?: { id: string; username: string };
  heartbeatMs?: number;
}

export interface XSim {
  url: string;
  /** PEM certificate of the simulator; clients pass it as their CA. */
  ca: string;
  bearerToken: string;
  state: XState;
  router: Router;
  stream: StreamHub;
  injectTweet(input: {
    text: string;
    author: string | Partial<XUser>;
    inReplyTo?: string;
    lang?: string;
  }): XTweet;
  injectDm(input: { text: string; from: string | Partial<XUser> }): ReturnType<XState['addDm']>;
  deleteTweet(id: string): boolean;
  force429(seconds: number, endpoint?: string): void;
  dropStreams(): void;
  close(): Promise<void>;
}

export async function startXSim(opts: XSimOptions = {}): Promise<XSim> {
  const bearerToken = opts.bearerToken ?? 'sim-x-bearer';
  const account: XUser = { id: '1000', username: 'earshot_help', name: 'Earshot Help', followers: 1200 };
  if (opts.account) Object.assign(account, opts.account);
  const state = new XState(account);
  const hub = new StreamHub(state, opts.heartbeatMs ?? 20_000);
  const router = new Router();
  const tls = simTls();

  const guarded =
    (
      template: string,
      fn: (req: SimRequest, headers: Record<string, string>) => SimReply | undefined,
      method = 'GET',
    ) =>
    (req: SimRequest, res: import('node:http').ServerResponse): SimReply | undefined => {
      const denied = checkBearer(req, bearerToken, unauthorized);
      if (denied) return denied;
      const { bucket, limited } = state.take(template);
      if (limited) return tooMany(bucket);
      const headers = rateHeaders(bucket);
      if (template === '/2/tweets/search/stream' && method === 'GET') {
        const refused = hub.open(req, res, headers);
        if (refused === 429)
          return {
            ...tooMany(bucket),
            body: { ...(tooMany(bucket).body as object), detail: 'TooManyConnections' },
          };
        if (refused)
          return { status: refused, headers, body: { code: refused, message: 'Service Unavailable' } };
        return undefined;
      }
      const reply = fn(req, headers);
      return reply ? { ...reply, headers: { ...headers, ...(reply.headers ?? {}) } } : undefined;
    };

  const timeline = (req: SimRequest, filter: (t: XTweet) => boolean, minMax: number, tokenName: string) => {
    const q = req.url.searchParams;
    const max = intParam(q, 'max_results', 10, minMax, 100);
    if (typeof max !== 'number') return max;
    const token = q.get(tokenName) ?? q.get('pagination_token');
    let untilId = q.get('until_id') ?? undefined;
    if (token) {
      untilId = pageToken.decode(token);
      if (!untilId)
        return invalidRequest(`The \`${tokenName}\` query parameter value [${token}] is invalid`, tokenName);
    }
    const found = state.select(filter, q.get('since_id') ?? undefined, untilId);
    const page = found.slice(0, max);
    const { data, includes } = renderTweets(state, page, q);
    const meta: Record<string, unknown> = { result_count: page.length };
    if (page.length) {
      meta.newest_id = page[0]!.id;
      meta.oldest_id = page[page.length - 1]!.id;
    }
    if (found.length > max) meta.next_token = pageToken.encode(page[page.length - 1]!.id);
    return {
      status: 200,
      body: {
        ...(page.length ? { data } : {}),
        ...(Object.keys(includes).length && page.length ? { includes } : {}),
        meta,
      },
    };
  };

  router.on(
    'GET',
    '/2/tweets/search/recent',
    guarded('/2/tweets/search/recent', (req) => {
      const query = req.url.searchParams.get('query');
      if (!query) return invalidRequest('The `query` query parameter can not be empty', 'query');
      let filter: (t: XTweet) => boolean;
      try {
        filter = state.search(query);
      } catch (err) {
        return invalidRequest(
          `There were errors processing your request: ${(err as QueryError).message}`,
          'query',
        );
      }
      return timeline(req, filter, 10, 'next_token');
    }),
  );
  router.on(
    'GET',
    '/2/users/:id/mentions',
    guarded('/2/users/:id/mentions', (req) => {
      const id = req.params.id!;
      if (!state.users.has(id)) return { status: 200, body: { errors: [notFoundProblem(id, 'user', 'id')] } };
      return timeline(req, state.mentionsOf(id), 5, 'pagination_token');
    }),
  );
  router.on(
    'GET',
    '/2/tweets',
    guarded('/2/tweets', (req) => {
      const ids = (req.url.searchParams.get('ids') ?? '').split(',').filter(Boolean);
      if (ids.length === 0 || ids.length > 100) return invalidRequest('`ids` must hold 1 to 100 ids', 'ids');
      const live = ids.map((id) => state.byId.get(id)).filter((t): t is XTweet => !!t && !t.deleted);
      const missing = ids.filter((id) => !live.some((t) => t.id === id));
      const { data, includes } = renderTweets(state, live, req.url.searchParams);
      return {
        status: 200,
        body: {
          ...(live.length ? { data } : {}),
          ...(live.length && Object.keys(includes).length ? { includes } : {}),
          ...(missing.length ? { errors: missing.map((id) => notFoundProblem(id, 'tweet', 'ids')) } : {}),
        },
      };
    }),
  );
  router.on(
    'POST',
    '/2/tweets',
    guarded(
      '/2/tweets',
      (req) => {
        const body = jsonBody(req) as
          | { text?: string; reply?: { in_reply_to_tweet_id?: string } }
          | undefined;
        const text = body?.text ?? '';
        if (!text) return invalidRequest('The `text` field is required', 'text');
        if (!twitterText.parseTweet(text).valid)
          return {
            status: 403,
            body: { code: 186, message: 'Your Tweet text is too long.', detail: 'text too long' },
          };
        const replyTo = body?.reply?.in_reply_to_tweet_id;
        if (replyTo && !state.byId.get(replyTo))
          return invalidRequest(
            `The post to reply to [${replyTo}] does not exist`,
            'reply.in_reply_to_tweet_id',
          );
        const tweet = state.addTweet({
          text,
          author: account,
          ...(replyTo ? { inReplyToTweetId: replyTo } : {}),
        });
        state.posted.push(tweet);
        hub.publish(tweet);
        return { status: 201, body: { data: renderTweet(tweet, new Set()) } };
      },
      'POST',
    ),
  );
  router.on(
    'DELETE',
    '/2/tweets/:id',
    guarded('/2/tweets/:id', (req) => {
      const t = state.byId.get(req.params.id!);
      if (!t || t.deleted) return { status: 200, body: { errors: [notFoundProblem(req.params.id!)] } };
      if (t.authorId !== account.id)
        return { status: 403, body: { code: 403, message: 'You are not allowed to delete this Tweet.' } };
      t.deleted = true;
      return { status: 200, body: { data: { deleted: true } } };
    }),
  );
  registerRuleAndDmRoutes({ router, state, account, guarded });

  const author = (a: string | Partial<XUser>) => state.user(typeof a === 'string' ? { username: a } : a);
  const sim = {
    ca: tls.cert,
    bearerToken,
    state,
    router,
    stream: hub,
    injectTweet(input: { text: string; author: string | Partial<XUser>; inReplyTo?: string; lang?: string }) {
      const t = state.addTweet({
        text: input.text,
        author: author(input.author),
        ...(input.inReplyTo ? { inReplyToTweetId: input.inReplyTo } : {}),
        ...(input.lang ? { lang: input.lang } : {}),
      });
      hub.publish(t);
      return t;
    },
    injectDm(input: { text: string; from: string | Partial<XUser> }) {
      return state.addDm({ text: input.text, sender: author(input.from), recipient: account });
    },
    deleteTweet(id: string) {
      const t = state.byId.get(id);
      if (!t || t.deleted) return false;
      t.deleted = true;
      return true;
    },
    force429: (seconds: number, endpoint?: string) => state.force429(seconds, endpoint),
    dropStreams: () => hub.drop(),
  };
  registerControl(router, sim);
  const server = await startServer({ router, tls });
  return {
    ...sim,
    url: server.url,
    close: async () => {
      hub.closeAll();
      await server.close();
    },
  };
}
