/**
 * Public contact form at /contact (GET form, POST submit → 303 to /contact/thanks). No account and no
 * JavaScript needed; CSRF uses the anonymous double-submit token like the login form.
 */
import type { FastifyInstance } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { type ContactOutcome, submitContact } from '../../services/email-contact.ts';
import { loadEmailSettings } from '../../services/email-settings.ts';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { ContactLimitedPage, ContactPage, ContactThanksPage } from './page.tsx';
import { HONEYPOT_FIELD, signFormStamp } from './spam.ts';

interface ContactBody {
  name?: string;
  email?: string;
  subject?: string;
  message?: string;
  started?: string;
  website?: string;
  _csrf?: string;
}

const str = (max: number) => ({ type: 'string', maxLength: max }) as const;

export interface ContactRouteOptions {
  /** Tests: a shorter minimum fill time. */
  minFillMs?: number;
}

export function contactRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  options: ContactRouteOptions = {},
): void {
  const secret = ctx.config.sessionSecret;

  app.get('/contact', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, ContactPage({ csrfToken: req.csrfToken, stamp: signFormStamp(secret) })),
  );

  app.get('/contact/thanks', { schema: { hide: true } }, async (_req, reply) =>
    sendPage(reply, ContactThanksPage()),
  );

  app.post<{ Body: ContactBody }>(
    '/contact',
    {
      schema: {
        tags: ['contact'],
        summary: 'Submit the public contact form (form-encoded); opens a private conversation',
        security: [],
        consumes: ['application/x-www-form-urlencoded'],
        body: {
          type: 'object',
          properties: {
            name: str(1000),
            email: str(1000),
            subject: str(1000),
            message: str(20_000),
            started: str(100),
            [HONEYPOT_FIELD]: str(1000),
            _csrf: str(200),
          },
        },
        response: {
          303: { type: 'null', description: 'Sent: redirect to /contact/thanks' },
          400: { type: 'string', description: 'The form again, with the problem explained (HTML)' },
          429: { type: 'string', description: 'Rate limited (HTML)' },
        },
      },
    },
    async (req, reply) => {
      const b = req.body ?? {};
      const values = {
        name: b.name ?? '',
        email: b.email ?? '',
        subject: b.subject ?? '',
        message: b.message ?? '',
      };
      let outcome: ContactOutcome;
      try {
        const settings = await loadEmailSettings(ctx.database.db, ctx.config);
        outcome = await submitContact(
          {
            db: ctx.database.db,
            pool: ctx.database.pool,
            settings,
            secret,
            ...(options.minFillMs !== undefined ? { minFillMs: options.minFillMs } : {}),
          },
          { ...values, honeypot: b[HONEYPOT_FIELD] ?? '', stamp: b.started ?? '', ip: req.ip },
        );
      } catch (err) {
        if (isDomainError(err) && err.kind === 'rate_limited') {
          return sendPage(reply, ContactLimitedPage({ message: err.message }), 429);
        }
        if (isDomainError(err) && err.kind === 'invalid') {
          return sendPage(
            reply,
            ContactPage({
              csrfToken: req.csrfToken,
              stamp: signFormStamp(secret),
              values,
              error: err.message,
            }),
            400,
          );
        }
        throw err;
      }
      req.log.info({ contact: outcome.kind }, 'contact form');
      return reply.redirect('/contact/thanks', 303);
    },
  );
}
