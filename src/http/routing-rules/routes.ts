/**
 * Routing rules API (admin only): list with the default policy, create, update, delete, reorder,
 * validate a candidate list. Bodies are validated with the domain's TypeBox schemas; every change is
 * audited and announced on the bus (pipeline workers reload their router).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RoutingActionSchema, RoutingConditionsSchema } from '../../domain/routing.ts';
import { DEFAULT_POLICY, type RuleInput, routingService } from '../../services/routing.ts';
import type { AppContext } from '../context.ts';
import { orderedListRoutes, uuidParams } from '../ordered-list-routes.ts';
import { requireRole } from '../plugins/session.ts';

const ruleBody = {
  type: 'object',
  required: ['name', 'conditions', 'action'],
  additionalProperties: false,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    enabled: { type: 'boolean', default: true },
    conditions: RoutingConditionsSchema,
    action: RoutingActionSchema,
  },
} as const;

export const routingRuleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string' },
    enabled: { type: 'boolean' },
    position: { type: 'integer' },
    conditions: RoutingConditionsSchema,
    action: RoutingActionSchema,
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const problemsSchema = {
  type: 'array',
  items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } },
} as const;
const listSchema = {
  type: 'object',
  properties: {
    rules: { type: 'array', items: routingRuleSchema },
    defaultPolicy: {
      type: 'object',
      description: 'Used when no enabled rule matches: intent → action.',
      additionalProperties: RoutingActionSchema,
    },
  },
} as const;

type RuleBody = {
  name: string;
  enabled?: boolean;
  conditions: RuleInput['conditions'];
  action: RuleInput['action'];
};
const toInput = (b: RuleBody): RuleInput => ({
  name: b.name,
  enabled: b.enabled ?? true,
  conditions: b.conditions,
  action: b.action,
});

export function routingRuleRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = routingService(ctx.database.db, ctx.bus);
  const admin = requireRole('admin');
  const tags = ['routing'];

  app.get(
    '/api/routing-rules',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Routing rules in order, and the default policy',
        response: { 200: listSchema },
      },
    },
    async () => ({ rules: await service.list(), defaultPolicy: DEFAULT_POLICY }),
  );
  app.post(
    '/api/routing-rules',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Add a routing rule (last in order)',
        body: ruleBody,
        response: { 201: { type: 'object', properties: { rule: routingRuleSchema } } },
      },
    },
    async (req: FastifyRequest<{ Body: RuleBody }>, reply) =>
      reply.status(201).send({ rule: await service.create(req.user!.id, toInput(req.body)) }),
  );
  app.put(
    '/api/routing-rules/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Replace a routing rule',
        params: uuidParams,
        body: ruleBody,
        response: { 200: { type: 'object', properties: { rule: routingRuleSchema } } },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: RuleBody }>) => ({
      rule: await service.update(req.user!.id, req.params.id, toInput(req.body)),
    }),
  );
  orderedListRoutes(app, {
    path: '/api/routing-rules',
    tags,
    preHandler: admin,
    deleteSummary: 'Delete a routing rule',
    reorderSummary: 'Set the order of all routing rules (first match wins)',
    listKey: 'rules',
    itemSchema: routingRuleSchema,
    remove: (actorId, id) => service.remove(actorId, id),
    reorder: (actorId, ids) => service.reorder(actorId, ids),
  });
  app.post(
    '/api/routing-rules/validate',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Check a candidate rule list without saving it',
        body: {
          type: 'object',
          required: ['rules'],
          properties: { rules: { type: 'array', maxItems: 1000 } },
        },
        response: {
          200: { type: 'object', properties: { valid: { type: 'boolean' }, problems: problemsSchema } },
        },
      },
    },
    async (req: FastifyRequest<{ Body: { rules: unknown[] } }>) => {
      const problems = service.problems(req.body.rules);
      return { valid: problems.length === 0, problems };
    },
  );
}
