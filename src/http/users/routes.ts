/** Accounts API for administrators. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { toPublicUser, usersRepository } from '../../db/repositories/users.ts';
import { ROLES, type Role } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

const publicUser = {
  type: 'object',
  properties: {
    id: { type: 'string', format: 'uuid' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: [...ROLES] },
    team: { type: ['string', 'null'] },
    capacity: { type: 'integer' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

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
}
