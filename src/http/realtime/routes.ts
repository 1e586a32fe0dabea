/**
 * Realtime push to agent browsers: Server-Sent Events fed by the LISTEN/NOTIFY bus, so a post stored
 * by any process (worker, another web process) reaches every open inbox and conversation view.
 * Payloads carry ids only, and only of conversations in queues the subscriber can see; the browser re-reads what it shows through the normal (permission-checked) API.
 */
import type { FastifyInstance } from 'fastify';
import { visibleQueues } from '../../domain/roles.ts';
import type { BusEvent } from '../../lib/event-bus.ts';
import { loadVisible } from '../../services/conversations.ts';
import { PRESENCE_TOPIC, presenceFor } from '../../services/presence.ts';
import type { AppContext } from '../context.ts';
import { actorOf } from '../conversations/respond.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';
import { SLA_ALERT_EVENT, slaNoticesFor } from './sla-alerts.ts';

export const HEARTBEAT_MS = 15_000;

/**
 * What a subscriber may learn from a `conversations.changed` event: only ids in queues it can see
 * (the triggers put [id, queue] pairs in the payload, migration 0013), so marketing never receives a
 * support conversation's id. `many` (a bulk change, no ids) only when one of its queues was touched.
 * Returns null when nothing is for this subscriber.
 */
export function visibleChanges(
  e: BusEvent,
  visible: ReadonlySet<string>,
): { ids: string[]; many: boolean } | null {
  if (e.many === true) {
    const queues = e.queues;
    const touched = !Array.isArray(queues) || queues.some((q) => visible.has(String(q)));
    return touched ? { ids: [], many: true } : null;
  }
  const items = Array.isArray(e.items) ? (e.items as unknown[]) : [];
  const ids = new Set<string>();
  for (const item of items) {
    if (Array.isArray(item) && visible.has(String(item[1]))) ids.add(String(item[0]));
  }
  return ids.size > 0 ? { ids: [...ids], many: false } : null;
}

/**
 * What a `conversations.assigned` event (migration 0026) tells this user: the conversations newly assigned
 * to them in queues they can see (the event lists the first 30), and how many more there were (per
 * assignee and queue counts). Nothing when they assigned it themselves (`by`), or when none is theirs.
 */
export function assignedTo(
  e: BusEvent,
  userId: string,
  visible: ReadonlySet<string>,
): { ids: string[]; more: number } | null {
  if (e.by === userId) return null;
  const rows = Array.isArray(e.assigned) ? (e.assigned as unknown[]) : [];
  const ids: string[] = [];
  for (const r of rows) {
    if (Array.isArray(r) && r[2] === userId && visible.has(String(r[1])) && typeof r[0] === 'string') {
      ids.push(r[0]);
    }
  }
  let total = 0;
  for (const c of Array.isArray(e.counts) ? (e.counts as unknown[]) : []) {
    if (Array.isArray(c) && c[0] === userId && visible.has(String(c[1])) && Number.isFinite(Number(c[2]))) {
      total += Number(c[2]);
    }
  }
  const more = Math.max(0, total - ids.length);
  return ids.length > 0 || more > 0 ? { ids, more } : null;
}

export function realtimeRoutes(app: FastifyInstance, ctx: AppContext): void {
  const open = new Set<() => void>();
  app.addHook('onClose', async () => {
    for (const end of open) end();
  });
  app.get<{ Querystring: { conversationId?: string } }>(
    '/api/realtime',
    {
      preHandler: requireRole(...STAFF_ROLES),
      schema: {
        tags: ['workspace'],
        description:
          'text/event-stream: conversations.changed, assigned (conversations newly assigned to you), presence, ' +
          'reply.failed, sla.alert',
        querystring: {
          type: 'object',
          properties: { conversationId: { type: 'string', format: 'uuid' } },
        },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const visible = new Set<string>(visibleQueues(actor.role));
      const watched = req.query.conversationId;
      // Presence and send failures of one conversation: only for someone who may open it (404 otherwise).
      if (watched) await loadVisible(ctx.database.db, watched, actor);
      const presence = presenceFor(ctx.bus);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      };
      send('hello', {
        at: Date.now(),
        presence: watched ? presence.in(watched).filter((p) => p.userId !== actor.id) : [],
      });
      const offs = [
        ctx.bus.subscribe('conversations.changed', (e: BusEvent) => {
          const seen = visibleChanges(e, visible);
          if (seen) send('conversations.changed', { ...seen, source: e.source, at: Date.now() });
        }),
        ctx.bus.subscribe('conversations.assigned', (e: BusEvent) => {
          const mine = assignedTo(e, actor.id, visible);
          if (mine) send('assigned', { ...mine, at: Date.now() });
        }),
        ctx.bus.subscribe(PRESENCE_TOPIC, (e: BusEvent) => {
          if (watched && e.conversationId === watched && e.userId !== actor.id) {
            send('presence', { others: presence.in(watched).filter((p) => p.userId !== actor.id) });
          }
        }),
        ctx.bus.subscribe('reply.failed', (e: BusEvent) => {
          if (watched && e.conversationId === watched) send('reply.failed', { replyId: e.replyId });
        }),
        // Escalations/breaches to supervisors, warnings/breaches to the assignee (sla-alerts.ts).
        ctx.bus.subscribe(SLA_ALERT_EVENT, (e: BusEvent) => {
          const alerts = slaNoticesFor(e, { id: actor.id, role: actor.role, visible });
          if (alerts.length > 0) send(SLA_ALERT_EVENT, { alerts, at: Date.now() });
        }),
      ];
      const beat = setInterval(() => res.write(`: ping ${Date.now()}\n\n`), HEARTBEAT_MS);
      const close = () => {
        clearInterval(beat);
        for (const off of offs) off();
        open.delete(end);
      };
      const end = () => {
        close();
        res.end();
      };
      open.add(end);
      req.raw.on('close', close);
    },
  );
}
