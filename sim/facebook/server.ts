/**
 * Facebook Pages + Messenger simulator on 127.0.0.1 (Graph API, versioned paths /v25.0/…):
 * GET /{page-id}/feed, GET /{object-id}/comments (filter, order, since, fields, cursor paging),
 * POST /{post-id|comment-id}/comments, DELETE /{comment-id}, POST /{page-id}/messages (Send API,
 * refusing messages outside the 24-hour window with Meta's error 10 / 2018278). Auth by page
 * access token (+ optional appsecret_proof). Webhooks signed with X-Hub-Signature-256.
 */
import { createHmac } from 'node:crypto';
import {
  jsonBody,
  Router,
  type SimHandler,
  type SimReply,
  type SimRequest,
  startServer,
} from '../shared/http.ts';
import { checkSend, graphError } from './send-api.ts';
import {
  COMMENT_DEFAULT_FIELDS,
  COMMENT_FIELDS,
  FacebookStore,
  type FbComment,
  type FbMessage,
  type FbPost,
  type FbUser,
  POST_DEFAULT_FIELDS,
  POST_FIELDS,
} from './store.ts';
import { feedChangeEntry, messagingEntry, WebhookSender } from './webhooks.ts';

export interface FacebookSimOptions {
  pageId?: string;
  pageName?: string;
  pageToken?: string;
  appSecret?: string;
  verifyToken?: string;
  webhookUrl?: string;
}

export interface FacebookSim {
  url: string;
  close(): Promise<void>;
  state: FacebookStore;
  router: Router;
  options: Required<Omit<FacebookSimOptions, 'webhookUrl'>>;
  webhooks: WebhookSender;
  requests: { method: string; path: string }[];
  /** What the adapter sent: public comments and Messenger messages. */
  sent: { kind: 'comment' | 'message'; id: string; text: string; target: string }[];
  injectPost(input: { message: string; from?: FbUser; at?: number }): FbPost;
  /** A customer's comment (fires a feed webhook). */
  injectComment(input: { parentId: string; from: FbUser; message: string; at?: number }): FbComment;
  /** A customer's Messenger message (opens the 24-hour window; fires a messaging webhook). */
  injectMessage(input: { psid: string; text: string; at?: number }): FbMessage;
  /** Delete a comment as its author would (fires verb=remove). */
  deleteComment(id: string): boolean;
  /** The next `count` Graph calls fail with error 32 and the BUC usage header. */
  forceRateLimit(count?: number, minutes?: number, status?: number): void;
}

const encodeCursor = (i: number) => Buffer.from(String(i)).toString('base64url');
const decodeCursor = (c: string | null) =>
  c ? Number(Buffer.from(c, 'base64url').toString('utf8')) : Number.NaN;

export async function startFacebookSim(opts: FacebookSimOptions = {}): Promise<FacebookSim> {
  const options = {
    pageId: opts.pageId ?? '1000000000000001',
    pageName: opts.pageName ?? 'Acme Support',
    pageToken: opts.pageToken ?? 'sim-page-token',
    appSecret: opts.appSecret ?? 'sim-app-secret',
    verifyToken: opts.verifyToken ?? 'sim-verify-token',
  };
  const store = new FacebookStore({ id: options.pageId, name: options.pageName });
  const webhooks = new WebhookSender(options.appSecret, opts.webhookUrl);
  const router = new Router();
  const requests: FacebookSim['requests'] = [];
  const sent: FacebookSim['sent'] = [];
  let limited = 0;
  let limitedMinutes = 5;
  let limitedStatus = 400;
  let baseUrl = '';

  const params = (req: SimRequest): Record<string, unknown> => {
    const out: Record<string, unknown> = Object.fromEntries(req.url.searchParams);
    try {
      Object.assign(out, (jsonBody(req) as Record<string, unknown> | undefined) ?? {});
    } catch {
      out.__malformed = true;
    }
    return out;
  };
  const graph =
    (handler: (req: SimRequest, p: Record<string, unknown>) => SimReply): SimHandler =>
    (req) => {
      requests.push({ method: req.method, path: req.path });
      const p = params(req);
      const bearer = /^(?:Bearer|OAuth)\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
      const token = String(p.access_token ?? bearer ?? '');
      if (token !== options.pageToken)
        return graphError(400, 190, 'Invalid OAuth access token - Cannot parse access token');
      if (p.appsecret_proof !== undefined) {
        const proof = createHmac('sha256', options.appSecret).update(token).digest('hex');
        if (p.appsecret_proof !== proof)
          return graphError(400, 100, 'Invalid appsecret_proof provided in the API argument');
      }
      if (limited > 0) {
        limited -= 1;
        const usage = {
          [options.pageId]: [
            {
              type: 'pages',
              call_count: 100,
              total_cputime: 20,
              total_time: 25,
              estimated_time_to_regain_access: limitedMinutes,
            },
          ],
        };
        return {
          ...graphError(limitedStatus, 32, '(#32) Page request limit reached'),
          headers: { 'x-business-use-case-usage': JSON.stringify(usage) },
        };
      }
      if (p.__malformed) return graphError(400, 100, '(#100) Could not parse the request body');
      return handler(req, p);
    };
  const fieldsOf = (
    p: Record<string, unknown>,
    allowed: readonly string[],
    defaults: string[],
    node: string,
  ): string[] | SimReply => {
    if (typeof p.fields !== 'string' || p.fields === '') return defaults;
    const fields = p.fields.split(',').map((f) => f.trim());
    const unknown = fields.find((f) => !allowed.includes(f));
    return unknown
      ? graphError(400, 100, `(#100) Tried accessing nonexisting field (${unknown}) on node type (${node})`)
      : fields;
  };
  /** Graph cursor paging over a list already in the requested order. */
  const page = <T>(
    req: SimRequest,
    p: Record<string, unknown>,
    items: T[],
    toNode: (t: T) => Record<string, unknown>,
  ): SimReply => {
    const limit = Math.min(100, Math.max(1, Number(p.limit ?? 25) || 25));
    const after = decodeCursor(typeof p.after === 'string' ? p.after : null);
    const start = Number.isFinite(after) ? after + 1 : 0;
    const slice = items.slice(start, start + limit);
    const body: Record<string, unknown> = { data: slice.map(toNode) };
    if (slice.length > 0) {
      const paging: Record<string, unknown> = {
        cursors: { before: encodeCursor(start), after: encodeCursor(start + slice.length - 1) },
      };
      if (start + slice.length < items.length) {
        const next = new URL(req.url.pathname, baseUrl);
        for (const [k, v] of req.url.searchParams) next.searchParams.set(k, v);
        next.searchParams.set('after', encodeCursor(start + slice.length - 1));
        paging.next = next.toString();
      }
      body.paging = paging;
    }
    return { status: 200, body };
  };
  const noObject = (id: string) =>
    graphError(
      400,
      100,
      `Unsupported get request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation`,
      { error_subcode: 33 },
    );

  router.on(
    'GET',
    '/:version/:id/feed',
    graph((req, p) => {
      if (req.params.id !== options.pageId) return noObject(req.params.id ?? '');
      const fields = fieldsOf(p, POST_FIELDS, POST_DEFAULT_FIELDS, 'PagePost');
      if (!Array.isArray(fields)) return fields;
      const posts = store.posts.filter((x) => !x.hidden).reverse();
      return page(req, p, posts, (x) => store.postNode(x, fields));
    }),
  );
  router.on(
    'GET',
    '/:version/:id/comments',
    graph((req, p) => {
      const id = req.params.id ?? '';
      const post = store.postById.get(id);
      const parent = store.commentById.get(id);
      if (!post && !parent) return noObject(id);
      const fields = fieldsOf(p, COMMENT_FIELDS, COMMENT_DEFAULT_FIELDS, 'Comment');
      if (!Array.isArray(fields)) return fields;
      const stream = p.filter === 'stream';
      const since = Number(p.since ?? 0) * 1000;
      let list = store.comments.filter(
        (c) =>
          !c.deleted &&
          c.createdAt >= since &&
          (post ? c.postId === post.id && (stream || c.parentId === null) : c.parentId === parent?.id),
      );
      if (p.order === 'reverse_chronological') list = list.reverse();
      return page(req, p, list, (c) => store.commentNode(c, fields));
    }),
  );
  router.on(
    'POST',
    '/:version/:id/comments',
    graph((req, p) => {
      const id = req.params.id ?? '';
      if (!store.postById.has(id) && !store.commentById.has(id)) return noObject(id);
      const target = store.commentById.get(id);
      if (target?.deleted) return noObject(id);
      const message = typeof p.message === 'string' ? p.message : '';
      if (!message.trim()) return graphError(400, 100, '(#100) Missing message or attachment');
      const c = store.addComment({ parentId: id, from: store.page, message });
      sent.push({ kind: 'comment', id: c.id, text: message, target: id });
      return { status: 200, body: { id: c.id } };
    }),
  );
  router.on(
    'DELETE',
    '/:version/:id',
    graph((req) => {
      const c = store.commentById.get(req.params.id ?? '');
      if (!c || c.deleted) return noObject(req.params.id ?? '');
      store.deleteComment(c);
      return { status: 200, body: { success: true } };
    }),
  );
  router.on(
    'POST',
    '/:version/:id/messages',
    graph((req, p) => {
      if (req.params.id !== options.pageId && req.params.id !== 'me') return noObject(req.params.id ?? '');
      const checked = checkSend(store, p);
      if ('status' in checked) return checked;
      const { psid, text } = checked;
      const m = store.addMessage({ psid, text, fromPage: true });
      sent.push({ kind: 'message', id: m.mid, text, target: psid });
      return { status: 200, body: { recipient_id: psid, message_id: m.mid } };
    }),
  );

  const server = await startServer({ router, notFound: (req) => noObject(req.path) });
  baseUrl = server.url;
  return {
    url: server.url,
    close: server.close,
    state: store,
    router,
    options,
    webhooks,
    requests,
    sent,
    injectPost: (input) => store.addPost(input),
    injectComment(input) {
      const c = store.addComment(input);
      webhooks.fire('feed', [feedChangeEntry(store, c, 'add')]);
      return c;
    },
    injectMessage(input) {
      const m = store.addMessage(input);
      webhooks.fire('messaging', [messagingEntry(store, m)]);
      return m;
    },
    deleteComment(id) {
      const c = store.commentById.get(id);
      if (!c) return false;
      store.deleteComment(c);
      webhooks.fire('feed', [feedChangeEntry(store, c, 'remove')]);
      return true;
    },
    forceRateLimit(count = 1, minutes = 5, status = 400) {
      limited = count;
      limitedMinutes = minutes;
      limitedStatus = status;
    },
  };
}
