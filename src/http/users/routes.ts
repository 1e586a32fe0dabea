/**
 * Accounts API: administrators list and create accounts and set agents' assignment settings
 * (capacity, skills, team); agents mark themselves available or away (JSON, or the app header's form).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toPublicUser, usersRepository } from '../../db/repositories/users.ts';
import { ROLES, type Role } from '../../db/schema/index.ts';
import { type AgentSettings, MAX_CAPACITY } from '../../domain/assignment.ts';
import { CHANNEL_KINDS } from '../../domain/types.ts';
import type { AppContext } from '../context.ts';
import { actorOf, done, idParams } from '../conversations/respond.ts';
import { requireRole } from '../plugins/session.ts';

const skills = {
  type: 'object',
  additionalProperties: false,
  properties: {
    languages: { type: 'array', maxItems: 50, items: { type: 'string', minLength: 2, maxLength: 35 } },
    channels: { type: 'array', maxItems: 20, items: { type: 'string', enum: [...CHANNEL_KINDS] } },
  },
} as const;

/** PATCH /api/users/:id's body; the agents settings page checks its form against it too. */
export const agentSettingsBody = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    capacity: { type: 'integer', minimum: 0, maximum: MAX_CAPACITY },
    skills,
    team: { type: ['string', 'null'], maxLength: 100 },
  },
} as const;

const publicUser = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    team: { type: ['string', 'null'] },
    capacity: { type: 'integer' },
    skills,
    online: { type: 'boolean', description: 'Available for automatic assignment' },
    slaEmail: { type: 'boolean', description: 'Supervisors and admins: receives SLA escalation e-mails' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const availabilityResponse = {
  type: 'object',
  properties: {
    user: publicUser,
    assigned: {
      type: 'integer',
      description: 'Waiting conversations assigned because of this change (to anyone)',
    },
  },
} as const;

/** The app page the form was on (same site, under /app), else the inbox. */
function backTo(req: FastifyRequest): string {
  try {
    const ref = new URL(String(req.headers.referer ?? ''));
    // Host as the referer's scheme writes it (a default port dropped).
    const host = new URL(`${ref.protocol}//${req.headers.host}`).host;
    if (ref.host === host && ref.pathname.startsWith('/app')) return ref.pathname + ref.search;
  } catch {}
  return '/app';
}

export function userRoutes(app: FastifyInstance, ctx: AppContext): void {
  const repo = usersRepository(ctx.database.db);
  app.get(
    '/api/users',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: {
        tags: ['users'],
        summary: 'List accounts',
        response: { 200: { type: 'object', properties: { users: { type: 'array', items: publicUser } } } },
      },
    },
    async () => ({ users: (await repo.list()).map(toPublicUser) }),
  );
  app.post(
    '/api/users',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['users'],
        summary: 'Create an account',
        body: {
          type: 'object',
          required: ['email', 'displayName', 'role', 'password'],
          additionalProperties: false,
          properties: {
            email: { type: 'string', maxLength: 254 },
            displayName: { type: 'string', maxLength: 100 },
            role: { type: 'string', enum: [...ROLES] },
            password: { type: 'string', minLength: 10, maxLength: 1024 },
          },
        },
        response: { 201: { type: 'object', properties: { user: publicUser } } },
      },
    },
    async (
      req: FastifyRequest<{ Body: { email: string; displayName: string; role: Role; password: string } }>,
      reply,
    ) => {
      const user = await ctx.accounts.createUser(req.body);
      return reply.status(201).send({ user });
    },
  );

  app.patch(
    '/api/users/:id',
    {
      preHandler: requireRole('admin'),
      schema: {
        tags: ['users'],
        summary: "Set an agent's assignment settings: capacity, skills, team",
        description:
          'Capacity: most open conversations at once (0 = none). Skills: languages (BCP-47 tags) and channel ' +
          'kinds the agent handles; empty = any. Team: served in addition to the queues of the role; null = none.',
        params: idParams,
        body: agentSettingsBody,
        response: { 200: availabilityResponse },
      },
    },
    async (req: FastifyRequest<{ Params: { id: string }; Body: AgentSettings }>) => {
      const r = await ctx.availability.updateAgentSettings(actorOf(req), req.params.id, req.body);
      return { user: r.user, assigned: r.assigned.length };
    },
  );

  const setAvailability = async (req: FastifyRequest, reply: FastifyReply) => {
    const { online } = req.body as { online: boolean };
    const r = await ctx.availability.setOnline(actorOf(req), online);
    return done(req, reply, { user: r.user, assigned: r.assigned.length }, backTo(req));
  };
  const availabilitySchema = (summary: string, form: boolean) => ({
    tags: ['users'],
    summary,
    description:
      'Available agents (roles agent, trainee, supervisor, marketing) receive conversations automatically; ' +
      'becoming available assigns the waiting backlog up to capacity. Signing out makes the agent away.',
    body: {
      type: 'object',
      required: ['online'],
      additionalProperties: false,
      properties: { online: { type: 'boolean' }, ...(form ? { _csrf: { type: 'string' } } : {}) },
    },
    response: { 200: availabilityResponse },
  });
  const setSlaEmail = async (req: FastifyRequest, reply: FastifyReply) => {
    const { slaEmail } = req.body as { slaEmail: boolean };
    const user = await ctx.availability.setSlaEmail(actorOf(req), slaEmail);
    return done(req, reply, { user }, backTo(req));
  };
  const slaEmailSchema = (summary: string, form: boolean) => ({
    tags: ['users'],
    summary,
    description:
      'SLA escalations and breaches are e-mailed to the supervisors of the team (else the admins) who take ' +
      'these e-mails; on by default.',
    body: {
      type: 'object',
      required: ['slaEmail'],
      additionalProperties: false,
      properties: { slaEmail: { type: 'boolean' }, ...(form ? { _csrf: { type: 'string' } } : {}) },
    },
    response: { 200: { type: 'object', properties: { user: publicUser } } },
  });
  app.put(
    '/api/users/me/notifications',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: slaEmailSchema('Switch your SLA escalation e-mails on or off', false),
    },
    setSlaEmail,
  );
  app.post(
    '/api/users/me/notifications',
    {
      preHandler: requireRole('admin', 'supervisor'),
      schema: {
        ...slaEmailSchema('Switch your SLA escalation e-mails on or off (HTML form)', true),
        hide: true,
      },
    },
    setSlaEmail,
  );

  app.put(
    '/api/users/me/availability',
    { preHandler: requireRole(), schema: availabilitySchema('Mark yourself available or away', false) },
    setAvailability,
  );
  // The same for the app header's plain HTML form (no JavaScript): POST, then back to the page.
  app.post(
    '/api/users/me/availability',
    {
      preHandler: requireRole(),
      schema: { ...availabilitySchema('Mark yourself available or away (HTML form)', true), hide: true },
    },
    setAvailability,
  );
}
