/**
 * Session cookies and CSRF protection.
 * - `es_session`: HTTP-only, SameSite=Lax cookie holding a random token (only its hash is stored).
 * - CSRF: a state-changing request from a signed-in browser must carry the session's token in the
 *   `x-csrf-token` header or a `_csrf` form field. Public forms (login, setup, sign-up) use a token
 *   derived from an anonymous `es_csrf` cookie (double submit, HMAC-bound). Routes that do not use
 *   cookies at all (platform webhooks) opt out with `config: { csrf: false }`.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { PublicUser } from '../../db/repositories/users.ts';
import type { Role } from '../../db/schema/index.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from './errors.ts';

export const SESSION_COOKIE = 'es_session';
const ANON_COOKIE = 'es_csrf';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

declare module 'fastify' {
  interface FastifyRequest {
    user?: PublicUser;
    csrfToken: string;
  }
  interface FastifyContextConfig {
    csrf?: boolean;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function registerSessions(app: FastifyInstance, ctx: AppContext): void {
  const secure = ctx.config.baseUrl.startsWith('https:');
  app.decorateRequest('user', undefined);
  app.decorateRequest('csrfToken', '');

  app.addHook('preHandler', async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token) {
      const session = await ctx.accounts.sessionFor(token);
      if (session) {
        req.user = session.user;
        req.csrfToken = session.csrfToken;
      } else {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
      }
    }
    if (!req.user) {
      let anon = req.cookies[ANON_COOKIE];
      if (!anon || anon.length < 16) {
        anon = randomBytes(18).toString('base64url');
        reply.setCookie(ANON_COOKIE, anon, { path: '/', httpOnly: true, sameSite: 'lax', secure });
      }
      req.csrfToken = createHmac('sha256', ctx.config.sessionSecret).update(anon).digest('base64url');
    }
    if (UNSAFE.has(req.method) && req.routeOptions.config?.csrf !== false) {
      const body = req.body as Record<string, unknown> | undefined;
      const sent =
        (req.headers['x-csrf-token'] as string | undefined) ??
        (typeof body?._csrf === 'string' ? body._csrf : '');
      if (!sent || !safeEqual(sent, req.csrfToken)) {
        throw new HttpError(
          403,
          'csrf_failed',
          'Security token missing or expired. Reload the page and try again.',
        );
      }
    }
  });
}

export function setSessionCookie(reply: FastifyReply, ctx: AppContext, token: string, expiresAt: Date): void {
  reply.setCookie(SESSION_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: ctx.config.baseUrl.startsWith('https:'),
    expires: expiresAt,
  });
}

/** Guard: the request must come from a signed-in user with one of the roles. */
export function requireRole(...roles: Role[]) {
  return async (req: FastifyRequest): Promise<void> => {
    if (!req.user) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
    if (roles.length > 0 && !roles.includes(req.user.role)) {
      throw new HttpError(403, 'forbidden', 'Your role does not allow this.');
    }
  };
}

export const STAFF_ROLES: Role[] = ['admin', 'supervisor', 'agent', 'trainee', 'marketing', 'moderator'];
