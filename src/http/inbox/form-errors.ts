/**
 * Errors for plain HTML forms: a page without JavaScript posts application/x-www-form-urlencoded and
 * must get a page back (the reason + its form again with the draft), not a JSON body. JSON callers
 * (the app's fetches, the API) keep the central JSON error handling.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { type DomainErrorKind, isDomainError } from '../../domain/errors.ts';
import { FormErrorPage } from '../../web/app/form-error-page.tsx';
import { sendPage } from '../../web/render.ts';
import { isForm } from '../conversations/respond.ts';
import { HttpError } from '../plugins/errors.ts';

const STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  rate_limited: 429,
};

function describe(err: FastifyError | Error): { status: number; code: string; message: string } {
  if (isDomainError(err)) return { status: STATUS[err.kind], code: err.code, message: err.message };
  if (err instanceof HttpError) return { status: err.statusCode, code: err.code, message: err.message };
  if ('validation' in err && err.validation) {
    return { status: 400, code: 'invalid_request', message: `Please check the form: ${err.message}` };
  }
  if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
    return { status: err.statusCode, code: 'bad_request', message: err.message };
  }
  return {
    status: 500,
    code: 'internal_error',
    message: 'Something went wrong on our side. Your text is below.',
  };
}

/** Same-site path to go back to (the form's page), never another origin. */
function backOf(req: FastifyRequest): string {
  const ref = String(req.headers.referer ?? '');
  try {
    const u = new URL(ref, 'http://local');
    if (ref && (u.host === req.headers.host || ref.startsWith('/')) && u.pathname.startsWith('/app')) {
      return u.pathname + u.search;
    }
  } catch {}
  const m = /^\/api\/conversations\/([0-9a-f-]{36})\//.exec(req.url);
  return m ? `/app/conversations/${m[1]}` : '/app';
}

function fieldsOf(body: unknown): Record<string, string> {
  if (!body || typeof body !== 'object') return {};
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[k] = String(v);
  }
  return out;
}

/**
 * For the workspace's scope: form posts from a signed-in user get the HTML error page; anything else
 * is rethrown to the app's JSON error handler.
 */
export function formErrorHandler(err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) {
  if (req.method !== 'POST' || !isForm(req) || !req.user) throw err;
  const d = describe(err);
  if (d.status >= 500) req.log.error({ err }, 'form action failed');
  else req.log.info({ code: d.code }, 'form action rejected');
  return sendPage(
    reply,
    FormErrorPage({
      user: req.user,
      csrfToken: req.csrfToken,
      ...d,
      action: req.url,
      fields: fieldsOf(req.body),
      back: backOf(req),
    }),
    d.status,
  );
}
