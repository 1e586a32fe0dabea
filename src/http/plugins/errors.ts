/**
 * Central error handling: domain errors map to status codes with their stable code; validation
 * errors to 400 `invalid_request`; anything else to 500 `internal_error` with no details leaked.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type DomainErrorKind, isDomainError } from '../../domain/errors.ts';

const STATUS: Record<DomainErrorKind, number> = {
  not_found: 404,
  forbidden: 403,
  conflict: 409,
  invalid: 400,
  rate_limited: 429,
};

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    let status = 500;
    let body: ErrorBody = { error: { code: 'internal_error', message: 'Something went wrong on our side.' } };
    if (isDomainError(err)) {
      status = STATUS[err.kind];
      body = { error: { code: err.code, message: err.message, details: err.details } };
    } else if (err instanceof HttpError) {
      status = err.statusCode;
      body = { error: { code: err.code, message: err.message } };
    } else if ('validation' in err && err.validation) {
      status = 400;
      body = { error: { code: 'invalid_request', message: err.message } };
    } else if ('statusCode' in err && typeof err.statusCode === 'number' && err.statusCode < 500) {
      status = err.statusCode;
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : status === 429
              ? 'rate_limited'
              : 'bad_request';
      body = { error: { code, message: err.message } };
    }
    // a browser opening a staff page while signed out goes to the sign-in page
    if (status === 401 && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html')) {
      return reply.redirect(`/login?next=${encodeURIComponent(req.url)}`, 303);
    }
    if (status >= 500) req.log.error({ err }, 'request failed');
    else req.log.info({ code: body.error.code }, 'request rejected');
    return reply.status(status).send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    reply
      .status(404)
      .send({ error: { code: 'not_found', message: `No route for ${req.method} ${req.url.split('?')[0]}` } });
  });
}
