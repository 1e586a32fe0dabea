/**
 * Conversation API and page: detail, state commands (assign, resolve, waive, no response needed,
 * hand off...), notes, label corrections, tags, take it private, contact merge, presence, drafts.
 */

import type { FastifyInstance } from 'fastify';
import { notesRepository } from '../../db/repositories/notes.ts';
import { repliesRepository } from '../../db/repositories/replies.ts';
import type { ConversationCommand } from '../../domain/conversation.ts';
import { InvalidError } from '../../domain/errors.ts';
import { visibleQueues } from '../../domain/roles.ts';
import { assignWholeBacklog } from '../../services/assignment-backlog.ts';
import { applyCommand, correctLabel, loadVisible, setTags } from '../../services/conversations.ts';
import { presenceFor } from '../../services/presence.ts';
import { ConversationPage } from '../../web/app/conversation-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { requireRole, STAFF_ROLES } from '../plugins/session.ts';
import { mergeContacts } from './contacts.ts';
import { conversationDetail } from './detail.ts';
import { actorOf, done, idParams, ok } from './respond.ts';
import { takePrivate } from './take-private.ts';

const staff = { preHandler: requireRole(...STAFF_ROLES) };
const tags = ['workspace'];

interface CommandBody {
  type: string;
  assigneeId?: string;
  reason?: string;
  text?: string;
  toQueue?: string;
  team?: string;
  note?: string;
  expectedVersion?: number;
}

/** Commands after which an agent may have room, or the conversation waits for an owner again. */
const FREES_CAPACITY = new Set(['resolve', 'close', 'hand_off', 'assign']);

function toCommand(b: CommandBody, me: string): ConversationCommand {
  switch (b.type) {
    case 'assign':
      return { type: 'assign', assigneeId: b.assigneeId === 'me' ? me : b.assigneeId || null };
    case 'resolve':
    case 'close':
    case 'reopen':
    case 'set_open':
    case 'set_waiting_on_customer':
      return { type: b.type };
    case 'waive_resolution_notice':
      return { type: b.type, reason: (b.reason ?? '') as never, ...(b.text ? { text: b.text } : {}) };
    case 'mark_no_response_needed':
      return { type: b.type, reason: (b.reason ?? '') as never, ...(b.text ? { text: b.text } : {}) };
    case 'hand_off':
      return {
        type: 'hand_off',
        toQueue: (b.toQueue ?? '') as never,
        // A team within the new queue (as routing rules name them); none: the queue's whole team.
        team: b.team?.trim() || null,
        ...(b.note ? { note: b.note } : {}),
      };
    default:
      throw new InvalidError('unknown_command', `unknown command ${b.type}`);
  }
}

export function conversationRoutes(app: FastifyInstance, ctx: AppContext): void {
  const db = ctx.database.db;
  const page = (id: string) => `/app/conversations/${id}`;

  app.get<{ Params: { id: string } }>(
    '/app/conversations/:id',
    { ...staff, schema: { hide: true, params: idParams } },
    async (req, reply) => {
      const actor = actorOf(req);
      const detail = await conversationDetail(db, req.params.id, actor, visibleQueues(actor.role));
      const draft = await repliesRepository(db).draft(req.params.id, actor.id);
      return sendPage(
        reply,
        ConversationPage({
          detail,
          user: req.user!,
          csrfToken: req.csrfToken,
          draft: draft?.text ?? '',
          undoWindowSeconds: ctx.config.undoWindowSeconds,
        }),
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/api/conversations/:id',
    { ...staff, schema: { tags, params: idParams, response: { 200: ok } } },
    async (req) => {
      const actor = actorOf(req);
      return conversationDetail(db, req.params.id, actor, visibleQueues(actor.role));
    },
  );

  app.post<{ Params: { id: string }; Body: CommandBody }>(
    '/api/conversations/:id/commands',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['type'],
          properties: {
            type: { type: 'string', maxLength: 40 },
            assigneeId: { type: 'string', maxLength: 40 },
            reason: { type: 'string', maxLength: 40 },
            text: { type: 'string', maxLength: 2000 },
            toQueue: { type: 'string', enum: ['support', 'marketing', 'moderation'] },
            team: { type: 'string', maxLength: 100 },
            note: { type: 'string', maxLength: 2000 },
            expectedVersion: { type: 'integer' },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      const { row, events } = await applyCommand(db, req.params.id, toCommand(req.body, actor.id), actor, {
        ...(req.body.expectedVersion !== undefined ? { expectedVersion: req.body.expectedVersion } : {}),
      });
      if (FREES_CAPACITY.has(req.body.type)) {
        // A slot came free (or the conversation went back to waiting): the next waiting conversation
        // goes to whoever has room now, not at the next minute's backlog run. After the answer.
        void assignWholeBacklog(ctx.database, { maxRounds: 1, batch: 50 }).catch((err: unknown) =>
          req.log.warn({ err }, 'backlog assignment after a command failed'),
        );
      }
      const back = req.body.type === 'hand_off' ? '/app' : page(row.id);
      return done(
        req,
        reply,
        {
          status: row.status,
          publicState: row.publicState,
          version: row.version,
          events: events.map((e) => e.type),
        },
        back,
      );
    },
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/api/conversations/:id/notes',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['text'],
          properties: { text: { type: 'string', minLength: 1, maxLength: 10000 }, _csrf: { type: 'string' } },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      await loadVisible(db, req.params.id, actor);
      const id = await notesRepository(db).add(req.params.id, actor.id, req.body.text.trim());
      return done(req, reply, { id }, `${page(req.params.id)}#notes`);
    },
  );

  app.post<{ Params: { id: string }; Body: { task: 'intent' | 'sentiment'; label: string } }>(
    '/api/conversations/:id/labels',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['task', 'label'],
          properties: {
            task: { type: 'string', enum: ['intent', 'sentiment'] },
            label: { type: 'string', maxLength: 40 },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      await correctLabel(db, req.params.id, actorOf(req), req.body.task, req.body.label);
      return done(req, reply, { ok: true }, page(req.params.id));
    },
  );

  app.post<{ Params: { id: string }; Body: { add?: string; remove?: string } }>(
    '/api/conversations/:id/tags',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          properties: {
            add: { type: 'string', maxLength: 200 },
            remove: { type: 'string', maxLength: 200 },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const list = (s?: string) =>
        (s ?? '')
          .split(',')
          .map((t) => t.trim().toLowerCase())
          .filter(Boolean);
      await setTags(db, req.params.id, actorOf(req), list(req.body.add), list(req.body.remove));
      return done(req, reply, { ok: true }, page(req.params.id));
    },
  );

  app.post<{
    Params: { id: string };
    Body: { via: 'platform' | 'email'; message: string; acknowledgement?: string; idempotencyKey: string };
  }>(
    '/api/conversations/:id/take-private',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['via', 'message', 'idempotencyKey'],
          properties: {
            via: { type: 'string', enum: ['platform', 'email'] },
            message: { type: 'string', minLength: 1, maxLength: 10000 },
            acknowledgement: { type: 'string', maxLength: 2000 },
            idempotencyKey: { type: 'string', minLength: 8, maxLength: 100 },
            _csrf: { type: 'string' },
          },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const result = await takePrivate(ctx, actorOf(req), req.params.id, req.body);
      return done(req, reply, result, page(req.params.id));
    },
  );

  app.post<{ Params: { id: string }; Body: { intoContactId: string } }>(
    '/api/contacts/:id/merge',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['intoContactId'],
          properties: { intoContactId: { type: 'string', format: 'uuid' }, _csrf: { type: 'string' } },
        },
        response: { 200: ok },
      },
    },
    async (req, reply) => {
      const res = await mergeContacts(db, actorOf(req), req.params.id, req.body.intoContactId);
      return done(req, reply, res, String(req.headers.referer ?? '/app'));
    },
  );

  app.post<{ Params: { id: string }; Body: { state: 'viewing' | 'typing' | 'left' } }>(
    '/api/conversations/:id/presence',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['state'],
          properties: { state: { type: 'string', enum: ['viewing', 'typing', 'left'] } },
        },
        response: { 200: ok },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      const presence = presenceFor(ctx.bus);
      await presence.beat(req.params.id, actor.id, actor.name, req.body.state);
      return { others: presence.in(req.params.id).filter((p) => p.userId !== actor.id) };
    },
  );

  app.put<{ Params: { id: string }; Body: { text: string; basedOnVersion: number } }>(
    '/api/conversations/:id/draft',
    {
      ...staff,
      schema: {
        tags,
        params: idParams,
        body: {
          type: 'object',
          required: ['text', 'basedOnVersion'],
          properties: { text: { type: 'string', maxLength: 40000 }, basedOnVersion: { type: 'integer' } },
        },
        response: { 200: ok },
      },
    },
    async (req) => {
      const actor = actorOf(req);
      await loadVisible(db, req.params.id, actor);
      const repo = repliesRepository(db);
      if (req.body.text.trim())
        await repo.saveDraft(req.params.id, actor.id, req.body.text, req.body.basedOnVersion);
      else await repo.deleteDraft(req.params.id, actor.id);
      return { saved: true };
    },
  );
}
