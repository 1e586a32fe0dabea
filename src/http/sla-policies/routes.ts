/**
 * SLA policies API (admin only): ordered policies (first match on queue / channel kind / priority
 * applies), targets in business minutes, optional business calendar with holidays, warning and
 * escalation fractions. Validated by src/domain/sla.ts; audited; announced on the bus.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SlaPolicyInput } from '../../db/repositories/sla.ts';
import { CHANNEL_KINDS, PRIORITY_LEVELS, QUEUES } from '../../domain/types.ts';
import { slaPolicyService } from '../../services/routing.ts';
import type { AppContext } from '../context.ts';
import { orderedListRoutes, uuidParams } from '../ordered-list-routes.ts';
import { requireRole } from '../plugins/session.ts';

const list = (values: readonly string[]) =>
  ({ type: 'array', items: { type: 'string', enum: [...values] } }) as const;
const minutes = { type: ['number', 'null'], exclusiveMinimum: 0 } as const;
const interval = {
  type: 'object',
  required: ['start', 'end'],
  additionalProperties: false,
  properties: {
    start: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
    end: { type: 'string', pattern: '^\\d{2}:\\d{2}$' },
  },
} as const;
const day = { type: 'array', items: interval, maxItems: 10 } as const;

const policyFields = {
  name: { type: 'string', minLength: 1, maxLength: 200 },
  match: {
    type: 'object',
    additionalProperties: false,
    properties: {
      queues: list(QUEUES),
      channelKinds: list(CHANNEL_KINDS),
      priorities: list(PRIORITY_LEVELS),
    },
  },
  targets: {
    type: 'object',
    additionalProperties: false,
    properties: { firstResponseMinutes: minutes, nextResponseMinutes: minutes, resolutionMinutes: minutes },
  },
  calendar: {
    type: ['object', 'null'],
    required: ['timeZone', 'weekly'],
    additionalProperties: false,
    properties: {
      timeZone: { type: 'string', minLength: 1, maxLength: 100 },
      weekly: {
        type: 'object',
        additionalProperties: false,
        properties: { sun: day, mon: day, tue: day, wed: day, thu: day, fri: day, sat: day },
      },
      holidays: {
        type: 'array',
        items: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' },
        maxItems: 1000,
      },
    },
  },
  warnAtFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
  escalateAtFraction: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 },
  countAutoAcknowledgement: { type: 'boolean' },
} as const;

export const policyBody = {
  type: 'object',
  required: ['name', 'targets'],
  additionalProperties: false,
  properties: policyFields,
} as const;
export const slaPolicySchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    position: { type: 'integer' },
    updatedAt: { type: 'string', format: 'date-time' },
    ...policyFields,
  },
} as const;
const one = { type: 'object', properties: { policy: slaPolicySchema } } as const;

export function slaPolicyRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = slaPolicyService(ctx.database.db, ctx.bus);
  const admin = requireRole('admin');
  const tags = ['sla'];
  app.get(
    '/api/sla-policies',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: {
        tags,
        summary: 'SLA policies in order (first match applies)',
        response: {
          200: { type: 'object', properties: { policies: { type: 'array', items: slaPolicySchema } } },
        },
      },
    },
    async () => ({ policies: await service.list() }),
  );
  app.post(
    '/api/sla-policies',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Add an SLA policy (last in order)',
        body: policyBody,
        response: { 201: one },
      },
    },
    async (req: FastifyRequest<{ Body: SlaPolicyInput }>, reply) =>
      reply.status(201).send({ policy: await service.create(req.user!.id, req.body) }),
  );
  app.put(
    '/api/sla-policies/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Replace an SLA policy',
        params: uuidParams,
        body: policyBody,
        response: { 200: one },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: SlaPolicyInput }>) => ({
      policy: await service.update(req.user!.id, req.params.id, req.body),
    }),
  );
  orderedListRoutes(app, {
    path: '/api/sla-policies',
    tags,
    preHandler: admin,
    deleteSummary: 'Delete an SLA policy',
    reorderSummary: 'Set the order of all SLA policies',
    listKey: 'policies',
    itemSchema: slaPolicySchema,
    remove: (actorId, id) => service.remove(actorId, id),
    reorder: (actorId, ids) => service.reorder(actorId, ids),
  });
}
