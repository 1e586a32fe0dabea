/** The inbox: views with counts, filters and sort (API and page), and bulk actions. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  INBOX_SORTS,
  INBOX_VIEWS,
  type InboxQuery,
  type InboxSort,
  type InboxView,
  inboxRepository,
} from '../../db/repositories/inbox.ts';
import type { ConversationCommand } from '../../domain/conversation.ts';
import { isDomainError } from '../../domain/errors.ts';
import { visibleQueues } from '../../domain/roles.ts';
import { staleCache } from '../../lib/stale-cache.ts';
import { applyCommand, setTags } from '../../services/conversations.ts';
import { InboxPage } from '../../web/app/inbox-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { actorOf, done, ok } from '../conversations/respond.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';

const staff = { preHandler: requireRole(...STAFF_ROLES) };
const PAGE = 50;
/** How old a view badge count may be. */
export const COUNTS_TTL_MS = 2000;
/** How old a "N matching the filters" figure may be, and how old it may be served while refreshing. */
export const FILTERED_TTL_MS = 5000;
export const FILTERED_STALE_MS = 60_000;
const FILTER_KEYS = ['channel', 'intent', 'sentiment', 'priority', 'language', 'tag'] as const;
const COUNTED: InboxView[] = ['mine', 'unassigned', 'team', 'breaching', 'waiting', 'resolved'];

export interface InboxQs {
  view?: InboxView;
  sort?: InboxSort;
  channel?: string;
  intent?: string;
  sentiment?: string;
  priority?: string;
  language?: string;
  tag?: string;
  /** Keyset cursor: the previous page's `next`. */
  after?: string;
}

const filterProp = { type: 'string', maxLength: 40 } as const;
export const inboxQuerySchema = {
  type: 'object',
  properties: {
    view: { type: 'string', enum: [...INBOX_VIEWS] },
    sort: { type: 'string', enum: [...INBOX_SORTS] },
    channel: filterProp,
    intent: filterProp,
    sentiment: filterProp,
    priority: filterProp,
    language: filterProp,
    tag: filterProp,
    after: { type: 'string', maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' },
  },
} as const;

function toQuery(req: FastifyRequest<{ Querystring: InboxQs }>): InboxQuery {
  const actor = actorOf(req);
  const q = req.query;
  const filters = Object.fromEntries(FILTER_KEYS.filter((k) => q[k]).map((k) => [k, q[k]]));
  return {
    ...filters,
    view: q.view ?? (actor.role === 'marketing' ? 'all' : 'unassigned'),
    sort: q.sort ?? 'sla',
    queues: visibleQueues(actor.role),
    userId: actor.id,
    team: actor.team,
    limit: PAGE,
    ...(q.after ? { after: q.after } : {}),
  };
}

const BULK = [
  'assign_me',
  'unassign',
  'resolve',
  'set_waiting_on_customer',
  'tag',
  'hand_off',
  'no_response',
] as const;

export function inboxRoutes(app: FastifyInstance, ctx: AppContext): void {
  const repo = inboxRepository(ctx.database.db);
  // View badges (capped, unfiltered) change slowly relative to how often an inbox is read: one count per
  // viewer every COUNTS_TTL_MS at most, shared by concurrent requests (10 agents refreshing on every event).
  // Stale while revalidating: once a viewer has counts, a list never waits for new ones; an expired entry
  // is served while one refresh runs in the background (badges lag by at most one refresh).
  const badges = staleCache<Record<string, number>>({
    freshMs: COUNTS_TTL_MS,
    staleMs: Number.POSITIVE_INFINITY,
    maxEntries: 5000,
  });
  const countsFor = (query: InboxQuery) =>
    badges.get(`${query.userId}|${query.team ?? ''}|${query.queues.join(',')}`, () =>
      repo.counts(query, COUNTED),
    );
  // "N matching the filters": the same for every sort and page of a view, and for everyone who sees the
  // same scope (the user only for "mine", the team only for "team"); an approximate figure (bounded scan),
  // so it may be FILTERED_TTL_MS old, and is served up to FILTERED_STALE_MS old while one refresh runs.
  const filteredCounts = staleCache<Awaited<ReturnType<typeof repo.filteredCount>>>({
    freshMs: FILTERED_TTL_MS,
    staleMs: FILTERED_STALE_MS,
    maxEntries: 5000,
  });
  const filteredFor = (query: InboxQuery) => {
    const filters = FILTER_KEYS.filter((k) => query[k]).map((k) => `${k}=${query[k]}`);
    if (filters.length === 0) return null;
    const scope = query.view === 'mine' ? query.userId : query.view === 'team' ? (query.team ?? '') : '';
    const key = `${query.view}|${scope}|${query.queues.join(',')}|${filters.join('&')}`;
    return filteredCounts.get(key, () => repo.filteredCount(query));
  };
  const load = async (req: FastifyRequest<{ Querystring: InboxQs }>) => {
    const query = toQuery(req);
    const [{ items, next }, counts, filtered] = await Promise.all([
      repo.list(query),
      countsFor(query),
      filteredFor(query),
    ]);
    return { query, items, next, counts, filtered };
  };

  app.get<{ Querystring: InboxQs }>(
    '/api/inbox',
    { ...staff, schema: { tags: ['workspace'], querystring: inboxQuerySchema, response: { 200: ok } } },
    async (req) => {
      const { query, items, next, counts, filtered } = await load(req);
      return { view: query.view, sort: query.sort, items, next, counts, filtered, pageSize: PAGE };
    },
  );

  app.get<{ Querystring: InboxQs }>(
    '/app',
    { ...staff, schema: { hide: true, querystring: inboxQuerySchema } },
    async (req, reply) => {
      const { query, items, next, counts, filtered } = await load(req);
      return sendPage(
        reply,
        InboxPage({
          query: { ...req.query },
          view: query.view,
          sort: query.sort,
          items,
          next,
          counts,
          filtered,
          user: req.user!,
          csrfToken: req.csrfToken,
        }),
      );
    },
  );

  app.post<{
    Body: {
      ids: string | string[];
      action: (typeof BULK)[number];
      tag?: string;
      toQueue?: string;
      reason?: string;
    };
  }>(
    '/api/inbox/bulk',
    {
      ...staff,
      schema: {
        tags: ['workspace'],
        body: {
          type: 'object',
          required: ['ids', 'action'],
          properties: {
            ids: {
              anyOf: [
                { type: 'array', maxItems: 200, items: { type: 'string', format: 'uuid' } },
                { type: 'string', format: 'uuid' },
              ],
            },
            action: { type: 'string', enum: [...BULK] },
            tag: { type: 'string', maxLength: 40 },
            toQueue: { type: 'string', enum: ['support', 'marketing', 'moderation'] },
            reason: { type: 'string', maxLength: 40 },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = req.body;
      const ids = await repo.visibleIds(Array.isArray(b.ids) ? b.ids : [b.ids], visibleQueues(actor.role));
      const failed: { id: string; code: string; message: string }[] = [];
      let doneCount = 0;
      for (const id of ids) {
        try {
          if (b.action === 'tag') await setTags(ctx.database.db, id, actor, b.tag ? [b.tag] : [], []);
          else {
            const command: ConversationCommand =
              b.action === 'assign_me'
                ? { type: 'assign', assigneeId: actor.id }
                : b.action === 'unassign'
                  ? { type: 'assign', assigneeId: null }
                  : b.action === 'hand_off'
                    ? { type: 'hand_off', toQueue: (b.toQueue ?? 'support') as never }
                    : b.action === 'no_response'
                      ? { type: 'mark_no_response_needed', reason: (b.reason ?? 'not_for_us') as never }
                      : { type: b.action };
            await applyCommand(ctx.database.db, id, command, actor);
          }
          doneCount++;
        } catch (e) {
          if (!isDomainError(e)) throw e;
          failed.push({ id, code: e.code, message: e.message });
        }
      }
      return done(req, reply, { done: doneCount, failed }, String(req.headers.referer ?? '/app'));
    },
  );
}
