/**
 * Mastodon simulator (HTTP): notifications with Link paging, v2 search, create status with
 * Idempotency-Key, delete status, status lookup, account lookup; X-RateLimit-* headers with an
 * ISO reset and 429s; bearer auth. Control API: methods on the returned object and /_sim/ routes.
 */
import { jsonBody, Router, type SimReply, type SimRequest, startServer } from '../shared/http.ts';
import { type MAccount, MastodonState, type MStatus, type Visibility } from './state.ts';
import { linkHeader, renderAccount, renderNotification, renderStatus } from './views.ts';

export interface MastodonSimOptions {
  accessToken?: string;
  domain?: string;
  me?: { username: string };
  maxChars?: number;
}

export interface MastodonSim {
  url: string;
  accessToken: string;
  state: MastodonState;
  router: Router;
  injectStatus(input: {
    text: string;
    author: string | { username: string; displayName?: string; followers?: number; remote?: string };
    inReplyTo?: string;
    visibility?: Visibility;
  }): MStatus;
  deleteStatus(id: string): boolean;
  force429(seconds: number): void;
  close(): Promise<void>;
}

const err = (status: number, error: string): SimReply => ({ status, body: { error } });

function params(q: URLSearchParams, name: string): string[] {
  return [...q.getAll(`${name}[]`), ...q.getAll(name)].flatMap((v) => v.split(',')).filter(Boolean);
}

export async function startMastodonSim(opts: MastodonSimOptions = {}): Promise<MastodonSim> {
  const accessToken = opts.accessToken ?? 'sim-mastodon-token';
  const domain = opts.domain ?? 'mastodon.example';
  const maxChars = opts.maxChars ?? 500;
  const me: MAccount = {
    id: '1',
    username: opts.me?.username ?? 'earshot',
    acct: opts.me?.username ?? 'earshot',
    displayName: 'Earshot Support',
    followers: 800,
    createdAt: '2022-11-01T00:00:00.000Z',
  };
  const state = new MastodonState(domain, me);
  const router = new Router();
  let baseUrl = '';

  const guarded =
    (fn: (req: SimRequest) => SimReply) =>
    (req: SimRequest): SimReply => {
      if (req.headers.authorization !== `Bearer ${accessToken}`)
        return err(401, 'The access token is invalid');
      const { limited, headers } = state.take();
      if (limited) return { ...err(429, 'Too many requests'), headers };
      const reply = fn(req);
      return { ...reply, headers: { ...headers, ...(reply.headers ?? {}) } };
    };
  const limitParam = (q: URLSearchParams, def: number, max: number) =>
    Math.min(Math.max(Number(q.get('limit') ?? def) || def, 1), max);
  const visible = (s: MStatus) =>
    !s.deleted && (s.visibility !== 'direct' || s.mentions.includes(me.id) || s.accountId === me.id);

  router.on(
    'GET',
    '/api/v1/notifications',
    guarded((req) => {
      const q = req.url.searchParams;
      const types = params(q, 'types');
      const exclude = params(q, 'exclude_types');
      const items = state.notifications.filter(
        (n) => (types.length === 0 || types.includes(n.type)) && !exclude.includes(n.type),
      );
      const page = state.window(items, {
        maxId: q.get('max_id') ?? undefined,
        sinceId: q.get('since_id') ?? undefined,
        minId: q.get('min_id') ?? undefined,
        limit: limitParam(q, 40, 80),
      });
      return {
        status: 200,
        headers: linkHeader(`${baseUrl}/api/v1/notifications`, q, page),
        body: page.map((n) => renderNotification(state, n)),
      };
    }),
  );
  router.on(
    'GET',
    '/api/v2/search',
    guarded((req) => {
      const q = req.url.searchParams;
      const text = (q.get('q') ?? '').trim().toLowerCase();
      if (!text) return err(400, 'Missing parameter q');
      const type = q.get('type');
      const terms = text.split(/\s+/);
      const statuses =
        !type || type === 'statuses'
          ? state.statuses.filter((s) => visible(s) && terms.every((t) => s.text.toLowerCase().includes(t)))
          : [];
      const page = state.window(statuses, {
        maxId: q.get('max_id') ?? undefined,
        minId: q.get('min_id') ?? undefined,
        limit: limitParam(q, 20, 40),
      });
      const offset = Number(q.get('offset') ?? 0) || 0;
      const shown = page.slice(offset);
      return {
        status: 200,
        headers: linkHeader(`${baseUrl}/api/v2/search`, q, shown),
        body: { accounts: [], hashtags: [], statuses: shown.map((s) => renderStatus(state, s)) },
      };
    }),
  );
  router.on(
    'POST',
    '/api/v1/statuses',
    guarded((req) => {
      const key = req.headers['idempotency-key'];
      const known = typeof key === 'string' ? state.idempotency.get(`${me.id}:${key}`) : undefined;
      if (known) return { status: 200, body: renderStatus(state, state.byId.get(known)!) };
      const body = (jsonBody(req) ?? {}) as {
        status?: string;
        in_reply_to_id?: string;
        visibility?: Visibility;
      };
      const text = body.status ?? '';
      if (!text.trim()) return err(422, "Validation failed: Text can't be blank");
      if ([...text].length > maxChars)
        return err(422, `Validation failed: Text character limit of ${maxChars} exceeded`);
      if (body.in_reply_to_id && !state.byId.get(body.in_reply_to_id)) return err(404, 'Record not found');
      const s = state.addStatus({
        text,
        account: me,
        visibility: body.visibility ?? 'public',
        ...(body.in_reply_to_id ? { inReplyToId: body.in_reply_to_id } : {}),
      });
      state.posted.push(s);
      if (typeof key === 'string') state.idempotency.set(`${me.id}:${key}`, s.id);
      return { status: 200, body: renderStatus(state, s) };
    }),
  );
  router.on(
    'GET',
    '/api/v1/statuses',
    guarded((req) => {
      const ids = params(req.url.searchParams, 'id');
      const found = ids.map((id) => state.byId.get(id)).filter((s): s is MStatus => !!s && visible(s));
      return { status: 200, body: found.map((s) => renderStatus(state, s)) };
    }),
  );
  router.on(
    'GET',
    '/api/v1/statuses/:id',
    guarded((req) => {
      const s = state.byId.get(req.params.id!);
      return s && visible(s) ? { status: 200, body: renderStatus(state, s) } : err(404, 'Record not found');
    }),
  );
  router.on(
    'DELETE',
    '/api/v1/statuses/:id',
    guarded((req) => {
      const s = state.byId.get(req.params.id!);
      if (!s || s.deleted || s.accountId !== me.id) return err(404, 'Record not found');
      const body = renderStatus(state, s, true);
      state.deleteStatus(s.id);
      return { status: 200, body };
    }),
  );
  router.on(
    'GET',
    '/api/v1/accounts/:id',
    guarded((req) => {
      const a = state.accounts.get(req.params.id!);
      return a ? { status: 200, body: renderAccount(state, a) } : err(404, 'Record not found');
    }),
  );

  const sim = {
    accessToken,
    state,
    router,
    injectStatus(input: Parameters<MastodonSim['injectStatus']>[0]) {
      const author =
        typeof input.author === 'string'
          ? state.account({ username: input.author })
          : state.account(input.author);
      return state.addStatus({
        text: input.text,
        account: author,
        ...(input.visibility ? { visibility: input.visibility } : {}),
        ...(input.inReplyTo ? { inReplyToId: input.inReplyTo } : {}),
      });
    },
    deleteStatus: (id: string) => state.deleteStatus(id),
    force429(seconds: number) {
      state.rateLimit.forcedUntilMs = Date.now() + seconds * 1000;
    },
  };
  const ok = (body: unknown): SimReply => ({ status: 200, body });
  router.on('POST', '/_sim/statuses', (req) =>
    ok(sim.injectStatus(jsonBody(req) as Parameters<MastodonSim['injectStatus']>[0])),
  );
  router.on('DELETE', '/_sim/statuses/:id', (req) => ok({ deleted: sim.deleteStatus(req.params.id!) }));
  router.on('POST', '/_sim/429', (req) => {
    sim.force429((jsonBody(req) as { seconds?: number } | undefined)?.seconds ?? 60);
    return ok({ forced: true });
  });
  router.on('GET', '/_sim/posted', () => ok({ statuses: state.posted }));
  const server = await startServer({ router });
  baseUrl = server.url;
  return { ...sim, url: server.url, close: () => server.close() };
}
