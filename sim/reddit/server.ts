/**
 * Reddit simulator on 127.0.0.1: OAuth token endpoint (password, refresh_token and
 * client_credentials grants), subreddit search/comments/new listings, inbox (mentions, messages,
 * sent), POST /api/comment, /api/compose, /api/del. Responses are shaped like the recorded praw
 * cassettes; every API response carries x-ratelimit-used/remaining/reset like Reddit's
 * (remaining as a float string, reset in seconds). Tests drive it through the returned controls.
 */
import {
  jsonBody,
  Router,
  type SimHandler,
  type SimReply,
  type SimRequest,
  startServer,
} from '../shared/http.ts';
import { RedditOAuth } from './oauth.ts';
import { matchesQuery, RedditStore } from './store.ts';
import { commentThing, inboxCommentThing, listing, messageThing, submissionThing } from './things.ts';

export interface RedditSimOptions {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  /** Requests allowed per window (Reddit: 1000 per 600 s for OAuth clients). */
  limit?: number;
  windowSeconds?: number;
  tokenTtlSeconds?: number;
}

export interface RedditSim {
  url: string;
  close(): Promise<void>;
  state: RedditStore;
  router: Router;
  options: Required<RedditSimOptions>;
  /** Every request the simulator saw (method and path), to check adapters never hammer. */
  requests: { method: string; path: string; at: number }[];
  injectSubmission: RedditStore['addSubmission'];
  injectComment: RedditStore['addComment'];
  injectMessage: RedditStore['addMessage'];
  deleteThing(fullname: string): boolean;
  /** The next `count` API requests answer 429 with reset headers of `resetSeconds`. */
  force429(count?: number, resetSeconds?: number): void;
  /** Set the rate-limit window as if `remaining` calls were left, resetting in `resetSeconds`. */
  setRateLimit(remaining: number, resetSeconds: number): void;
  /** Invalidate every issued access token (as if they expired). */
  expireTokens(): void;
  /** A refresh token for `username`, as the code flow would give an installed app. */
  issueRefreshToken(username?: string): string;
}

export async function startRedditSim(opts: RedditSimOptions = {}): Promise<RedditSim> {
  const options: Required<RedditSimOptions> = {
    clientId: opts.clientId ?? 'sim-client',
    clientSecret: opts.clientSecret ?? 'sim-secret',
    username: opts.username ?? 'earshot_support',
    password: opts.password ?? 'sim-password',
    limit: opts.limit ?? 1000,
    windowSeconds: opts.windowSeconds ?? 600,
    tokenTtlSeconds: opts.tokenTtlSeconds ?? 3600,
  };
  const store = new RedditStore();
  const router = new Router();
  const requests: RedditSim['requests'] = [];
  const oauth = new RedditOAuth(options);
  let used = 0;
  let windowEndsAt = Date.now() + options.windowSeconds * 1000;
  let forced = 0;
  let forcedReset = 60;

  const rateHeaders = (): Record<string, string> => {
    if (Date.now() >= windowEndsAt) {
      used = 0;
      windowEndsAt = Date.now() + options.windowSeconds * 1000;
    }
    const remaining = Math.max(0, options.limit - used);
    return {
      'x-ratelimit-used': String(used),
      'x-ratelimit-remaining': remaining.toFixed(1),
      'x-ratelimit-reset': String(Math.max(0, Math.ceil((windowEndsAt - Date.now()) / 1000))),
    };
  };
  const unauthorized = (): SimReply => ({
    status: 401,
    headers: { 'www-authenticate': 'Bearer realm="reddit", error="invalid_token"' },
    body: { message: 'Unauthorized', error: 401 },
  });

  /** Wraps API handlers with bearer auth, request counting and x-ratelimit-* headers. */
  const api =
    (handler: (req: SimRequest, user: string | null) => SimReply): SimHandler =>
    (req) => {
      requests.push({ method: req.method, path: req.path, at: Date.now() });
      const info = oauth.lookup(req.headers.authorization);
      if (!info) return unauthorized();
      if (forced > 0) {
        forced -= 1;
        return {
          status: 429,
          headers: {
            'x-ratelimit-used': String(options.limit),
            'x-ratelimit-remaining': '0.0',
            'x-ratelimit-reset': String(forcedReset),
          },
          body: { message: 'Too Many Requests', error: 429 },
        };
      }
      const before = rateHeaders();
      if (Number(before['x-ratelimit-remaining']) < 1)
        return { status: 429, headers: before, body: { message: 'Too Many Requests', error: 429 } };
      used += 1;
      const reply = handler(req, info.username);
      return { ...reply, headers: { ...rateHeaders(), ...(reply.headers ?? {}) } };
    };
  const form = (req: SimRequest): Record<string, string> => {
    try {
      const parsed = jsonBody(req);
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch {
      return {};
    }
  };
  /** Reddit accepts paths with or without the trailing slash (praw sends them with it). */
  const on = (method: string, template: string, handler: SimHandler) => {
    router.on(method, template, handler);
    router.on(method, `${template}/`, handler);
    router.on(method, `${template}.json`, handler);
  };

  on('POST', '/api/v1/access_token', (req) => {
    requests.push({ method: req.method, path: req.path, at: Date.now() });
    return oauth.handle(req, form(req));
  });

  const subsOf = (param: string): ((s: string) => boolean) => {
    const wanted = new Set(param.toLowerCase().split('+'));
    return (s) => wanted.has('all') || wanted.has(s.toLowerCase());
  };
  const linkOf = (linkId: string) => store.submissionById.get(linkId.slice(3));

  on(
    'GET',
    '/r/:sub/search',
    api((req) => {
      const q = req.url.searchParams.get('q') ?? '';
      const restrict = ['on', 'true', '1'].includes(
        (req.url.searchParams.get('restrict_sr') ?? '').toLowerCase(),
      );
      const inSub = restrict ? subsOf(req.params.sub ?? '') : () => true;
      const items = store.newestFirst(
        store.submissions,
        (s) => !s.deleted && inSub(s.subreddit) && matchesQuery(q, `${s.title}\n${s.selftext}`),
      );
      const page = listing(items, req.url.searchParams, (s) => `t3_${s.id}`, submissionThing);
      return { status: 200, body: { kind: 'Listing', data: { facets: {}, ...page.data } } };
    }),
  );
  on(
    'GET',
    '/r/:sub/new',
    api((req) => {
      const inSub = subsOf(req.params.sub ?? '');
      const items = store.newestFirst(store.submissions, (s) => inSub(s.subreddit));
      return {
        status: 200,
        body: listing(items, req.url.searchParams, (s) => `t3_${s.id}`, submissionThing),
      };
    }),
  );
  on(
    'GET',
    '/r/:sub/comments',
    api((req) => {
      const inSub = subsOf(req.params.sub ?? '');
      const items = store.newestFirst(store.comments, (c) => inSub(c.subreddit));
      return {
        status: 200,
        body: listing(
          items,
          req.url.searchParams,
          (c) => `t1_${c.id}`,
          (c) => commentThing(c, linkOf(c.linkId)),
        ),
      };
    }),
  );
  on(
    'GET',
    '/message/mentions',
    api((req, user) => {
      const needle = `u/${user ?? ''}`.toLowerCase();
      const items = store.newestFirst(
        store.comments,
        (c) => !!user && c.author !== user && c.body.toLowerCase().includes(needle),
      );
      const toThing = (c: (typeof items)[number]) =>
        inboxCommentThing(c, linkOf(c.linkId), user ?? '', 'username_mention');
      return { status: 200, body: listing(items, req.url.searchParams, (c) => `t1_${c.id}`, toThing) };
    }),
  );
  const messages = (req: SimRequest, keep: (m: (typeof store.messages)[number]) => boolean): SimReply => ({
    status: 200,
    body: listing(
      store.newestFirst(store.messages, keep),
      req.url.searchParams,
      (m) => `t4_${m.id}`,
      messageThing,
    ),
  });
  on(
    'GET',
    '/message/messages',
    api((req, user) => messages(req, (m) => m.dest === user)),
  );
  on(
    'GET',
    '/message/inbox',
    api((req, user) => messages(req, (m) => m.dest === user)),
  );
  on(
    'GET',
    '/message/sent',
    api((req, user) => messages(req, (m) => m.author === user)),
  );

  const jsonErrors = (errors: [string, string, string][]): SimReply => ({
    status: 200,
    body: { json: { errors } },
  });
  on(
    'POST',
    '/api/comment',
    api((req, user) => {
      const f = form(req);
      if (!user) return { status: 403, body: { message: 'Forbidden', error: 403 } };
      if (!f.text?.trim()) return jsonErrors([['NO_TEXT', 'we need something here', 'text']]);
      const [kind, id = ''] = (f.thing_id ?? '').split('_');
      const parent =
        kind === 't1' ? store.commentById.get(id) : kind === 't3' ? store.submissionById.get(id) : undefined;
      if (!parent) return jsonErrors([['INVALID_THING_ID', 'that thing does not exist', 'thing_id']]);
      if (parent.deleted) return jsonErrors([['DELETED_COMMENT', 'that comment has been deleted', 'parent']]);
      const c = store.addComment({ parent: f.thing_id ?? '', author: user, body: f.text });
      store.posted.push({ kind: 'comment', fullname: `t1_${c.id}`, text: f.text, parent: f.thing_id });
      return {
        status: 200,
        body: { json: { errors: [], data: { things: [commentThing(c, linkOf(c.linkId))] } } },
      };
    }),
  );
  on(
    'POST',
    '/api/compose',
    api((req, user) => {
      const f = form(req);
      if (!user) return { status: 403, body: { message: 'Forbidden', error: 403 } };
      if (!f.to) return jsonErrors([['NO_USER', 'please enter a username', 'to']]);
      if (!f.subject) return jsonErrors([['NO_SUBJECT', 'please enter a subject', 'subject']]);
      if (!f.text?.trim()) return jsonErrors([['NO_TEXT', 'we need something here', 'text']]);
      const m = store.addMessage({
        from: user,
        to: f.to.replace(/^\/?u\//, ''),
        subject: f.subject,
        body: f.text,
      });
      store.posted.push({
        kind: 'message',
        fullname: `t4_${m.id}`,
        text: f.text,
        to: m.dest,
        subject: f.subject,
      });
      return { status: 200, body: { json: { errors: [] } } };
    }),
  );
  on(
    'POST',
    '/api/del',
    api((req) => {
      const id = form(req).id ?? '';
      if (store.delete(id)) store.deletedViaApi.push(id);
      return { status: 200, body: {} };
    }),
  );

  const server = await startServer({
    router,
    notFound: () => ({ status: 404, body: { message: 'Not Found', error: 404 } }),
  });
  return {
    url: server.url,
    close: server.close,
    state: store,
    router,
    options,
    requests,
    injectSubmission: (input) => store.addSubmission(input),
    injectComment: (input) => store.addComment(input),
    injectMessage: (input) => store.addMessage(input),
    deleteThing: (fullname) => store.delete(fullname),
    force429(count = 1, resetSeconds = 60) {
      forced = count;
      forcedReset = resetSeconds;
    },
    setRateLimit(remaining, resetSeconds) {
      used = Math.max(0, options.limit - remaining);
      windowEndsAt = Date.now() + resetSeconds * 1000;
    },
    expireTokens() {
      oauth.expireAll();
    },
    issueRefreshToken: (username) => oauth.issueRefreshToken(username),
  };
}
