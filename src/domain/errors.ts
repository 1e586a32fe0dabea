/**
 * Domain errors: every rule violation in src/domain throws a DomainError with a stable
 * string `code` (for clients, logs and tests) and an HTTP-agnostic `kind` that the HTTP
 * layer maps to a status code (not_found → 404, forbidden → 403, conflict → 409,
 * invalid → 400/422, rate_limited → 429).
 */
export type DomainErrorKind = 'not_found' | 'forbidden' | 'conflict' | 'invalid' | 'rate_limited';

export class DomainError extends Error {
  readonly code: string;
  readonly kind: DomainErrorKind;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, kind: DomainErrorKind, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.kind = kind;
    this.details = details;
  }
}

export class NotFoundError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'not_found', message, details);
    this.name = 'NotFoundError';
  }
}

export class ForbiddenError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'forbidden', message, details);
    this.name = 'ForbiddenError';
  }
}

export class ConflictError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'conflict', message, details);
    this.name = 'ConflictError';
  }
}

export class InvalidError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'invalid', message, details);
    this.name = 'InvalidError';
  }
}

export class RateLimitedError extends DomainError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, 'rate_limited', message, details);
    this.name = 'RateLimitedError';
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
