/**
 * Channels API (admin): connected accounts and sources with their listening rules and health.
 * Credentials are write-only: accepted on create/update, encrypted at rest, never returned.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CHANNEL_KINDS } from '../../domain/types.ts';
import { type ChannelInput, channelService } from '../../services/channels.ts';
import { ChannelHealthPage } from '../../web/pages/channels.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

const strings = {
  type: 'array',
  items: { type: 'string', minLength: 1, maxLength: 500 },
  maxItems: 500,
} as const;
const rules = {
  type: 'object',
  required: ['keywords', 'handles', 'sources'],
  additionalProperties: false,
  properties: { keywords: strings, handles: strings, sources: strings },
} as const;
const fields = {
  kind: { type: 'string', enum: [...CHANNEL_KINDS] },
  name: { type: 'string', minLength: 1, maxLength: 200 },
  baseUrl: { type: 'string', minLength: 1, maxLength: 2000 },
  credentials: {
    type: 'object',
    description: 'Write-only: encrypted at rest and never returned.',
    additionalProperties: { type: 'string', maxLength: 10000 },
    maxProperties: 50,
  },
  rules,
  accountId: { type: ['string', 'null'], maxLength: 200 },
  accountHandle: { type: ['string', 'null'], maxLength: 200 },
  enabled: { type: 'boolean' },
  pollIntervalSeconds: { type: 'integer', minimum: 5, maximum: 86400 },
} as const;

const { kind: _kind, ...editable } = fields;

export const publicChannelSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    kind: { type: 'string' },
    name: { type: 'string' },
    baseUrl: { type: 'string' },
    rules,
    accountId: { type: ['string', 'null'] },
    accountHandle: { type: ['string', 'null'] },
    enabled: { type: 'boolean' },
    pollIntervalSeconds: { type: 'integer' },
    hasCredentials: { type: 'boolean' },
    health: {
      type: 'object',
      properties: {
        lastPolledAt: { type: ['string', 'null'], format: 'date-time' },
        lastSuccessAt: { type: ['string', 'null'], format: 'date-time' },
        lastErrorAt: { type: ['string', 'null'], format: 'date-time' },
        lastError: { type: ['string', 'null'] },
        lagMs: { type: ['integer', 'null'] },
        blockedUntil: { type: ['string', 'null'] },
        status: { type: 'string', enum: ['ok', 'error', 'rate_limited', 'disabled', 'never_run'] },
      },
    },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;
const one = { type: 'object', properties: { channel: publicChannelSchema } } as const;

export function channelRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = channelService({
    database: ctx.database,
    bus: ctx.bus,
    encryptionKey: ctx.config.encryptionKey,
  });
  const admin = requireRole('admin');
  const tags = ['channels'];
  app.get(
    '/api/channels',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: {
        tags,
        summary: 'Channels with their health',
        response: {
          200: { type: 'object', properties: { channels: { type: 'array', items: publicChannelSchema } } },
        },
      },
    },
    async () => ({ channels: await service.list() }),
  );
  app.get(
    '/app/channels',
    { preHandler: requireRole('admin', 'supervisor'), schema: { hide: true } },
    async (req, reply) =>
      sendPage(
        reply,
        ChannelHealthPage({ user: req.user!, csrfToken: req.csrfToken, channels: await service.list() }),
      ),
  );

  app.get(
    '/api/channels/:id',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: { tags, summary: 'One channel with its health', params: idParams, response: { 200: one } },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>) => ({
      channel: await service.get(req.params.id),
    }),
  );
  app.post(
    '/api/channels',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Connect a channel',
        body: {
          type: 'object',
          required: ['kind', 'name', 'baseUrl'],
          additionalProperties: false,
          properties: fields,
        },
        response: { 201: one },
      },
    },
    async (req: FastifyRequest<{ Body: ChannelInput }>, reply) =>
      reply.status(201).send({ channel: await service.create(req.user!.id, req.body) }),
  );
  app.patch(
    '/api/channels/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Change a channel (credentials replaced only when given)',
        params: idParams,
        body: { type: 'object', additionalProperties: false, properties: editable },
        response: { 200: one },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: Partial<ChannelInput> }>) => ({
      channel: await service.update(req.user!.id, req.params.id, req.body),
    }),
  );
  app.delete(
    '/api/channels/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Delete a channel that never stored a post',
        params: idParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      await service.remove(req.user!.id, req.params.id);
      return reply.status(204).send();
    },
  );
}
