/** Sign in / sign out, the current user, and the one-time setup page for the first administrator. */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { takesConversations } from '../../domain/assignment.ts';
import { isDomainError } from '../../domain/errors.ts';
import { HomePage, LoginPage, SetupPage } from '../../web/pages/auth.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../plugins/errors.ts';
import { SESSION_COOKIE, setSessionCookie } from '../plugins/session.ts';

const loginBody = {
  type: 'object',
  required: ['email', 'password'],
  properties: {
    email: { type: 'string', maxLength: 254 },
    password: { type: 'string', maxLength: 1024 },
    next: { type: 'string', maxLength: 500 },
    _csrf: { type: 'string' },
  },
} as const;

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    online: { type: 'boolean', description: 'Available for automatic assignment' },
    slaEmail: { type: 'boolean', description: 'Supervisors and admins: receives SLA escalation e-mails' },
  },
} as const;

function wantsHtml(req: FastifyRequest): boolean {
  return (req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
}

/** Only same-site relative paths are followed after login (no open redirect). */
function safeNext(next: string | undefined): string {
  return next && /^\/(?!\/)[^\s\\]*$/.test(next) ? next : '/app';
}

export function authRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/', { schema: { hide: true } }, async (req, reply) =>
    sendPage(
      reply,
      HomePage({ user: req.user, csrfToken: req.csrfToken, needsSetup: Boolean(ctx.setupToken) }),
    ),
  );

  app.get('/login', { schema: { hide: true } }, async (req, reply) => {
    const next = (req.query as { next?: string }).next;
    return sendPage(reply, LoginPage({ csrfToken: req.csrfToken, next }));
  });

  app.post(
    '/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Sign in with email and password',
        body: loginBody,
        response: {
          200: { type: 'object', properties: { user: userSchema, csrfToken: { type: 'string' } } },
        },
      },
    },
    async (
      req: FastifyRequest<{ Body: { email: string; password: string; next?: string } }>,
      reply: FastifyReply,
    ) => {
      const { email, password, next } = req.body;
      try {
        const session = await ctx.accounts.login(email, password, req.ip, req.headers['user-agent']);
        setSessionCookie(reply, ctx, session.token, session.expiresAt);
        if (wantsHtml(req)) return reply.redirect(safeNext(next), 303);
        return { user: session.user, csrfToken: session.csrfToken };
      } catch (err) {
        if (wantsHtml(req) && isDomainError(err)) {
          return sendPage(
            reply,
            LoginPage({ csrfToken: req.csrfToken, error: err.message, email, next }),
            err.kind === 'rate_limited' ? 429 : 401,
          );
        }
        if (isDomainError(err) && err.code === 'invalid_credentials')
          throw new HttpError(401, err.code, err.message);
        throw err;
      }
    },
  );

  app.post('/logout', { schema: { tags: ['auth'], summary: 'Sign out' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    // Signing out makes an agent away: nothing more is assigned to someone who left.
    if (req.user && takesConversations(req.user.role)) {
      await ctx.availability.setOnline(req.user, false, 'sign_out');
    }
    if (token) await ctx.accounts.logout(token);
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    if (wantsHtml(req)) return reply.redirect('/', 303);
    return reply.status(204).send();
  });

  app.get(
    '/api/me',
    {
      schema: {
        tags: ['auth'],
        summary: 'The signed-in user',
        response: {
          200: { type: 'object', properties: { user: userSchema, csrfToken: { type: 'string' } } },
        },
      },
    },
    async (req) => {
      if (!req.user) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
      return { user: req.user, csrfToken: req.csrfToken };
    },
  );

  app.get(
    '/api/csrf',
    {
      schema: {
        tags: ['auth'],
        summary: 'CSRF token for this browser (send it as x-csrf-token)',
        response: { 200: { type: 'object', properties: { csrfToken: { type: 'string' } } } },
      },
    },
    async (req) => ({ csrfToken: req.csrfToken }),
  );

  app.get('/setup', { schema: { hide: true } }, async (req, reply) => {
    if (!ctx.setupToken) return reply.redirect('/login', 303);
    return sendPage(reply, SetupPage({ csrfToken: req.csrfToken }));
  });

  app.post(
    '/setup',
    {
      schema: {
        hide: true,
        body: {
          type: 'object',
          required: ['token', 'email', 'password', 'displayName'],
          properties: {
            token: { type: 'string' },
            email: { type: 'string' },
            password: { type: 'string' },
            displayName: { type: 'string' },
            _csrf: { type: 'string' },
          },
        },
      },
    },
    async (
      req: FastifyRequest<{ Body: { token: string; email: string; password: string; displayName: string } }>,
      reply,
    ) => {
      const expected = ctx.setupToken;
      if (!expected || (await ctx.accounts.userCount()) > 0) {
        ctx.setupToken = undefined;
        throw new HttpError(410, 'setup_done', 'Earshot is already set up.');
      }
      if (req.body.token.trim() !== expected) {
        return sendPage(
          reply,
          SetupPage({
            csrfToken: req.csrfToken,
            error: 'The setup token is wrong. It is in the server log.',
          }),
          403,
        );
      }
      try {
        await ctx.accounts.createUser({ ...req.body, role: 'admin' });
      } catch (err) {
        if (isDomainError(err))
          return sendPage(reply, SetupPage({ csrfToken: req.csrfToken, error: err.message }), 400);
        throw err;
      }
      ctx.setupToken = undefined;
      return reply.redirect('/login', 303);
    },
  );
}
