/** Shared by the workspace routes: the acting user, and answering a JSON call or a plain HTML form. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../domain/roles.ts';
import { HttpError } from '../plugins/errors.ts';

export function actorOf(req: FastifyRequest): Actor & { name: string; team: string | null } {
  if (!req.user) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
  return { id: req.user.id, role: req.user.role, name: req.user.displayName, team: req.user.team };
}

/** A form post from a page without JavaScript (vs. a fetch from the app). */
export function isForm(req: FastifyRequest): boolean {
  return String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** JSON for the app; for a plain form, back to the page it came from (POST → redirect → GET). */
export function done(req: FastifyRequest, reply: FastifyReply, payload: unknown, back: string) {
  if (isForm(req)) return reply.redirect(back, 303);
  return reply.send(payload);
}

export const ok = { type: 'object', additionalProperties: true } as const;
export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;
