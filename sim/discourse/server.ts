/**
 * Discourse simulator on 127.0.0.1 (someone else's forum): GET /latest.json, /posts.json
 * (newest first, `before` paging), /search.json, /t/{id}.json, /posts/{id}.json; POST /posts.json
 * (reply into a topic, new private message); DELETE /posts/{id}.json. Api-Key/Api-Username auth
 * (anonymous reads allowed like a public forum); 429 with Retry-After and wait_seconds on demand;
 * webhooks to a target URL signed with X-Discourse-Event-Signature: sha256=<hex HMAC>.
 */
import {
  jsonBody,
  Router,
  type SimHandler,
  type SimReply,
  type SimRequest,
  startServer,
} from '../shared/http.ts';
import { searchResponse } from './search.ts';
import {
  createdPost,
  latestPost,
  latestTopic,
  type SimPost,
  type SimTopic,
  singlePost,
  topicView,
  userRef,
  webhookPost,
} from './serialize.ts';
import { DiscourseStore } from './store.ts';
import { DiscourseWebhooks, type WebhookDelivery } from './webhooks.ts';

export type { WebhookDelivery };

export interface DiscourseSimOptions {
  apiKey?: string;
  apiUsername?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  pageSize?: number;
}

export interface DiscourseSim {
  url: string;
  close(): Promise<void>;
  state: DiscourseStore;
  router: Router;
  options: Required<Omit<DiscourseSimOptions, 'webhookUrl'>> & { webhookUrl?: string };
  requests: { method: string; path: string }[];
  /** What the adapter posted through the API. */
  posted: SimPost[];
  deliveries: WebhookDelivery[];
  createTopic: DiscourseStore['createTopic'];
  /** A post by someone on the forum (fires post_created). */
  injectPost(input: { topicId: number; author: string; raw: string; at?: Date }): SimPost;
  /** A private message to `to` (fires post_created with topic_archetype private_message). */
  injectPrivateMessage(input: { from: string; to: string; title: string; raw: string }): {
    topic: SimTopic;
    post: SimPost;
  };
  deletePost(id: number): boolean;
  force429(count?: number, waitSeconds?: number): void;
  setWebhookUrl(url: string | undefined): void;
  /** Deliver a webhook now; `secret` overrides the configured one (to test bad signatures). */
  deliver(event: string, post: SimPost, secret?: string): Promise<number>;
  /** Wait until every queued webhook delivery has finished. */
  flushWebhooks(): Promise<void>;
}

export async function startDiscourseSim(opts: DiscourseSimOptions = {}): Promise<DiscourseSim> {
  const options = {
    apiKey: opts.apiKey ?? 'sim-api-key',
    apiUsername: opts.apiUsername ?? 'earshot_support',
    webhookSecret: opts.webhookSecret ?? 'sim-webhook-secret',
    pageSize: opts.pageSize ?? 50,
    webhookUrl: opts.webhookUrl,
  };
  const store = new DiscourseStore();
  store.user(options.apiUsername);
  const router = new Router();
  const requests: DiscourseSim['requests'] = [];
  const posted: SimPost[] = [];
  let forced = 0;
  let forcedWait = 10;

  const ctx = (p: SimPost, viewer: string) => {
    const topic = store.topics.get(p.topicId)!;
    return { user: store.userById(p.userId), topic, viewer };
  };
  const errors = (status: number, type: string, message: string): SimReply => ({
    status,
    body: { errors: [message], error_type: type },
  });

  const hooks = new DiscourseWebhooks(options, (post) => webhookPost(post, ctx(post, 'system')));
  const fire = (event: string, post: SimPost) => hooks.fire(event, post);

  /** Auth and 429 for every route; anonymous callers may read public content. */
  const route =
    (handler: (req: SimRequest, viewer: string) => SimReply, needsAuth = false): SimHandler =>
    (req) => {
      requests.push({ method: req.method, path: req.path });
      const key = req.headers['api-key'];
      const username = String(req.headers['api-username'] ?? '');
      let viewer = '';
      if (key !== undefined) {
        if (key !== options.apiKey || username.toLowerCase() !== options.apiUsername.toLowerCase()) {
          return errors(
            403,
            'invalid_access',
            'You are not permitted to view the requested resource. The API username or key is invalid.',
          );
        }
        viewer = options.apiUsername;
      } else if (needsAuth)
        return errors(403, 'invalid_access', 'You are not permitted to view the requested resource.');
      if (forced > 0) {
        forced -= 1;
        return {
          status: 429,
          headers: { 'retry-after': String(forcedWait) },
          body: {
            errors: [
              `You’ve performed this action too many times. Please wait ${forcedWait} seconds before trying again.`,
            ],
            error_type: 'rate_limit',
            extras: { wait_seconds: forcedWait, time_left: `${forcedWait} seconds` },
          },
        };
      }
      return handler(req, viewer);
    };
  const idFrom = (file: string | undefined) => Number(String(file ?? '').replace(/\.json$/, ''));
  const publicPost = (p: SimPost) => !p.deletedAt && store.topics.get(p.topicId)?.archetype === 'regular';

  router.on(
    'GET',
    '/posts.json',
    route((req, viewer) => {
      const before = Number(req.url.searchParams.get('before') ?? Number.POSITIVE_INFINITY);
      const out: Record<string, unknown>[] = [];
      for (let i = store.posts.length - 1; i >= 0 && out.length < options.pageSize; i--) {
        const p = store.posts[i]!;
        if (p.id < before && publicPost(p)) out.push(latestPost(p, ctx(p, viewer)));
      }
      return { status: 200, body: { latest_posts: out } };
    }),
  );
  router.on(
    'GET',
    '/latest.json',
    route((req) => {
      const perPage = Math.min(100, Number(req.url.searchParams.get('per_page') ?? 30) || 30);
      const topics = [...store.topics.values()]
        .filter((t) => t.archetype === 'regular')
        .reverse()
        .slice(0, perPage);
      const posts = (t: SimTopic) => store.topicPosts(t).filter((p) => !p.deletedAt);
      const userIds = new Set(topics.flatMap((t) => posts(t).map((p) => p.userId)));
      return {
        status: 200,
        body: {
          users: [...userIds].map((id) => userRef(store.userById(id))),
          primary_groups: [],
          topic_list: {
            can_create_topic: true,
            draft: null,
            draft_key: 'new_topic',
            draft_sequence: 0,
            per_page: perPage,
            topics: topics.map((t) => latestTopic(t, posts(t), store.userById)),
          },
        },
      };
    }),
  );
  router.on(
    'GET',
    '/search.json',
    route((req, viewer) => {
      const page = Math.max(1, Number(req.url.searchParams.get('page') ?? 1) || 1);
      return {
        status: 200,
        body: searchResponse(store, req.url.searchParams.get('q') ?? '', page, options.pageSize, viewer),
      };
    }),
  );
  const notFound = () => errors(404, 'not_found', 'The requested URL or resource could not be found.');
  router.on(
    'GET',
    '/t/:file',
    route((req, viewer) => {
      const topic = store.topics.get(idFrom(req.params.file));
      if (!topic || !store.canSee(topic, viewer)) return notFound();
      return { status: 200, body: topicView(topic, store.topicPosts(topic), store.userById, viewer) };
    }),
  );
  router.on(
    'GET',
    '/posts/:file',
    route((req, viewer) => {
      const p = store.postById.get(idFrom(req.params.file));
      const topic = p && store.topics.get(p.topicId);
      if (!p || !topic || !store.canSee(topic, viewer)) return notFound();
      return { status: 200, body: singlePost(p, ctx(p, viewer)) };
    }),
  );
  router.on(
    'POST',
    '/posts.json',
    route((req, viewer) => {
      let body: Record<string, unknown>;
      try {
        body = (jsonBody(req) ?? {}) as Record<string, unknown>;
      } catch {
        return errors(400, 'invalid_parameters', 'malformed JSON body');
      }
      const raw = typeof body.raw === 'string' ? body.raw : '';
      if (raw.trim().length < 2)
        return { status: 422, body: { action: 'create_post', errors: ['Body is too short'] } };
      let post: SimPost;
      if (body.archetype === 'private_message') {
        const recipients = String(body.target_recipients ?? body.target_usernames ?? '')
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const title = typeof body.title === 'string' ? body.title : '';
        if (recipients.length === 0)
          return { status: 422, body: { action: 'create_post', errors: ['You must choose a valid user.'] } };
        if (title.length < 15)
          return { status: 422, body: { action: 'create_post', errors: ['Title is too short'] } };
        post = store.createTopic({
          title,
          author: viewer,
          raw,
          archetype: 'private_message',
          allowed: recipients,
        }).post;
      } else {
        const topic = store.topics.get(Number(body.topic_id));
        if (!topic || !store.canSee(topic, viewer)) return notFound();
        const replyTo =
          body.reply_to_post_number === undefined ? undefined : Number(body.reply_to_post_number);
        post = store.addPost({ topicId: topic.id, author: viewer, raw, replyToPostNumber: replyTo });
      }
      posted.push(post);
      store.draftSequence += 1;
      fire('post_created', post);
      return { status: 200, body: createdPost(post, ctx(post, viewer), store.draftSequence) };
    }, true),
  );
  router.on(
    'DELETE',
    '/posts/:file',
    route((req, viewer) => {
      const p = store.postById.get(idFrom(req.params.file));
      if (!p || p.deletedAt) return notFound();
      if (store.userById(p.userId).username !== viewer)
        return errors(403, 'invalid_access', 'You are not permitted to delete this post.');
      p.deletedAt = new Date().toISOString();
      fire('post_destroyed', p);
      return { status: 200, body: {} };
    }, true),
  );

  const server = await startServer({ router, notFound: () => notFound() });
  hooks.instance = server.url;
  return {
    url: server.url,
    close: server.close,
    state: store,
    router,
    options,
    requests,
    posted,
    deliveries: hooks.deliveries,
    createTopic(input) {
      const out = store.createTopic(input);
      fire('post_created', out.post);
      return out;
    },
    injectPost(input) {
      const post = store.addPost(input);
      fire('post_created', post);
      return post;
    },
    injectPrivateMessage(input) {
      const out = store.createTopic({
        title: input.title,
        author: input.from,
        raw: input.raw,
        archetype: 'private_message',
        allowed: [input.to],
      });
      fire('post_created', out.post);
      return out;
    },
    deletePost(id) {
      const p = store.postById.get(id);
      if (!p) return false;
      p.deletedAt = new Date().toISOString();
      fire('post_destroyed', p);
      return true;
    },
    force429(count = 1, waitSeconds = 10) {
      forced = count;
      forcedWait = waitSeconds;
    },
    setWebhookUrl(target) {
      options.webhookUrl = target;
    },
    deliver: (event, post, secret) => hooks.deliver(event, post, secret),
    flushWebhooks: () => hooks.flush(),
  };
}
