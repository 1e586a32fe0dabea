/**
 * Replies: send (into the outbox, undo window), undo, approval queue (approve / edit / reject with a
 * comment), retraction with a reason. Composer helpers live in composer-routes.ts.
 */
import type { FastifyInstance } from 'fastify';
import { repliesRepository } from '../../db/repositories/replies.ts';
import { NotFoundError } from '../../domain/errors.ts';
import { canApprove, visibleQueues } from '../../domain/roles.ts';
import { ApprovalsPage } from '../../web/app/approvals-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { actorOf, done, idParams, ok } from '../conversations/respond.ts';
import { HttpError } from '../plugins/errors.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';
import { outboxFor, repliesFor } from './service.ts';

const staff = { preHandler: requireRole(...STAFF_ROLES) };
const tags = ['workspace'];
const bool = { type: 'boolean' } as const;

interface SendBody {
  text: string;
  kind?: 'public_reply' | 'private_message' | 'resolution_notice';
  idempotencyKey: string;
  basedOnVersion: number;
  acknowledgeStale?: boolean;
  acknowledgeRisk?: boolean;
  splitThread?: boolean;
  afterSending?: 'wait_on_customer' | 'keep_open';
}

export function replyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const back = async (replyId: string) => {
    const r = await repliesRepository(db).find(replyId);
    if (!r) throw new NotFoundError('reply_not_found', 'No such reply.');
    return `/app/conversations/${r.conversationId}`;
  };

  app.post<{ Params: { id: string }; Body: SendBody }>(
    '/api/conversations/:id/replies',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['text', 'idempotencyKey', 'basedOnVersion'],
          properties: {
            text: { type: 'string', maxLength: 40000 },
            kind: { type: 'string', enum: ['public_reply', 'private_message', 'resolution_notice'] },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
            basedOnVersion: { type: 'integer' },
            acknowledgeStale: bool,
            acknowledgeRisk: bool,
            splitThread: bool,
            afterSending: {
              type: 'string',
              enum: ['wait_on_customer', 'keep_open'],
              description:
                'After the reply is sent: wait on the customer (default; next-response and resolution clocks pause) or keep the conversation open.',
            },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const b = req.body;
      const res = await repliesFor(ctx).send(actor, {
        conversationId: req.params.id,
        text: b.text,
        kind: b.kind ?? 'public_reply',
        idempotencyKey: `${actor.id}:${b.idempotencyKey}`,
        basedOnVersion: b.basedOnVersion,
        acknowledgeStale: b.acknowledgeStale ?? false,
        acknowledgeRisk: b.acknowledgeRisk ?? false,
        splitThread: b.splitThread ?? false,
        awaitCustomer: b.afterSending !== 'keep_open',
      });
      const payload = {
        created: res.created,
        replies: res.replies.map((r) => ({
          id: r.id,
          status: r.status,
          text: r.text,
          sendAfter: r.sendAfter?.toISOString() ?? null,
        })),
      };
      return done(req, reply, payload, `/app/conversations/${req.params.id}`);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/api/replies/:id/undo',
    { ...staff, schema: { tags, params: idParams, response: { 200: ok } } },
    async (req, reply) => {
      const r = await repliesFor(ctx).undo(actorOf(req), req.params.id);
      return done(req, reply, { id: r.id, status: r.status, text: r.text }, await back(r.id));
    },
  );

  app.post<{ Params: { id: string }; Body: { text?: string; comment?: string } }>(
    '/api/replies/:id/approve',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          properties: {
            text: { type: 'string', maxLength: 40000 },
            comment: { type: 'string', maxLength: 2000 },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const r = await repliesFor(ctx).approve(actorOf(req), req.params.id, req.body?.text, req.body?.comment);
      return done(req, reply, { id: r.id, status: r.status }, '/app/approvals');
    },
  );

  app.post<{ Params: { id: string }; Body: { comment: string } }>(
    '/api/replies/:id/reject',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['comment'],
          properties: { comment: { type: 'string', maxLength: 2000 }, _csrf: { type: 'string' } },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const r = await repliesFor(ctx).reject(actorOf(req), req.params.id, req.body.comment);
      return done(req, reply, { id: r.id, status: r.status }, '/app/approvals');
    },
  );

  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/api/replies/:id/retract',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['reason'],
          properties: { reason: { type: 'string', maxLength: 2000 }, _csrf: { type: 'string' } },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const box = outboxFor(ctx);
      const r = await repliesFor(ctx).retract(actorOf(req), req.params.id, req.body.reason, (x) =>
        box.retractOnPlatform(x),
      );
      return done(req, reply, { id: r.id, status: r.status }, await back(r.id));
    },
  );

  const pending = async (role: Parameters<typeof visibleQueues>[0]) => {
    const rows = await repliesRepository(db).pendingApproval(visibleQueues(role));
    return rows.map((r) => ({
      id: r.id,
      conversationId: r.conversationId,
      kind: r.kind,
      text: r.text,
      authorId: r.authorId,
      createdAt: r.createdAt.toISOString(),
    }));
  };

  app.get('/api/approvals', { ...staff, schema: { tags, response: { 200: ok } } }, async (req) => {
    const actor = actorOf(req);
    if (!canApprove(actor.role)) throw new HttpError(403, 'forbidden', 'Only supervisors approve replies.');
    return { items: await pending(actor.role) };
  });

  app.get('/app/approvals', { ...staff, schema: { hide: true } }, async (req, reply) => {
    const actor = actorOf(req);
    if (!canApprove(actor.role)) throw new HttpError(403, 'forbidden', 'Only supervisors approve replies.');
    return sendPage(
      reply,
      ApprovalsPage({ items: await pending(actor.role), user: req.user!, csrfToken: req.csrfToken }),
    );
  });
}
