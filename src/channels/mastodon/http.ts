/**
 * Mastodon REST over fetch (not `masto`): we need the raw Link and X-RateLimit-* headers, the
 * Idempotency-Key header and a hard cap on response size, which masto's paginators hide.
 */
import { type ChannelConfig, ChannelError, RateLimitedError, type RateLimitState } from '../types.ts';

export const MASTODON_MAX_BODY_BYTES = 5 * 1024 * 1024;

/** Read a response body, refusing more than `limit` bytes (checked on the header and while streaming). */
export async function readLimited(res: Response, limit: number, what: string): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > limit)
    throw new ChannelError('body_too_large', `${what}: ${declared} bytes is over the ${limit} byte limit`);
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw new ChannelError('body_too_large', `${what}: body is over the ${limit} byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function rateLimitFrom(headers: Headers): RateLimitState | undefined {
  const limit = Number(headers.get('x-ratelimit-limit'));
  const remaining = Number(headers.get('x-ratelimit-remaining'));
  const reset = headers.get('x-ratelimit-reset');
  if (!reset && !Number.isFinite(limit)) return undefined;
  const resetAt = reset && !Number.isNaN(Date.parse(reset)) ? new Date(reset).toISOString() : undefined;
  return {
    ...(Number.isFinite(limit) ? { limit } : {}),
    ...(Number.isFinite(remaining) ? { remaining } : {}),
    ...(resetAt ? { resetAt } : {}),
    ...(resetAt && remaining === 0 ? { blockedUntil: resetAt } : {}),
  };
}

/** `<url>; rel="next", <url>; rel="prev"` → { next: url, prev: url } */
export function parseLink(header: string | null): Record<string, URL> {
  const out: Record<string, URL> = {};
  for (const part of (header ?? '').split(/,(?=\s*<)/)) {
    const m = /<([^>]+)>\s*;\s*rel="?([^";]+)"?/.exec(part);
    if (m) {
      try {
        out[m[2]!] = new URL(m[1]!);
      } catch {
        // ignore malformed link targets
      }
    }
  }
  return out;
}

export interface MastodonResponse<T> {
  data: T;
  link: Record<string, URL>;
  rateLimit?: RateLimitState;
}

export async function mastodonRequest<T>(
  config: ChannelConfig,
  method: string,
  path: string,
  opts: { query?: URLSearchParams; body?: unknown; headers?: Record<string, string> } = {},
): Promise<MastodonResponse<T>> {
  const token = config.credentials.accessToken;
  if (!token) throw new ChannelError('missing_credentials', 'Mastodon channel needs credentials.accessToken');
  const url = new URL(
    path.replace(/^\//, ''),
    config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`,
  );
  if (opts.query) url.search = opts.query.toString();
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/json',
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.headers ?? {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
  } catch (err) {
    throw new ChannelError('network', `Mastodon request failed: ${(err as Error).message}`);
  }
  const rateLimit = rateLimitFrom(res.headers);
  const text = await readLimited(res, MASTODON_MAX_BODY_BYTES, `Mastodon ${method} ${url.pathname}`);
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    throw new ChannelError(
      'malformed_payload',
      `Mastodon ${method} ${url.pathname} answered ${res.status} with non-JSON`,
    );
  }
  if (res.status === 429) {
    const reset = Date.parse(res.headers.get('x-ratelimit-reset') ?? '');
    const retryAt = Number.isNaN(reset) ? new Date(Date.now() + 60_000) : new Date(reset);
    throw new RateLimitedError(retryAt, `Mastodon rate limit reached; retry after ${retryAt.toISOString()}`);
  }
  if (!res.ok) {
    const message = (json as { error?: string } | undefined)?.error ?? res.statusText;
    const code =
      res.status === 401
        ? 'unauthorized'
        : res.status === 404
          ? 'not_found'
          : res.status === 422
            ? 'invalid_request'
            : 'platform_error';
    throw new ChannelError(
      code,
      `Mastodon ${method} ${url.pathname} answered ${res.status}: ${message}`,
      res.status,
    );
  }
  return { data: json as T, link: parseLink(res.headers.get('link')), ...(rateLimit ? { rateLimit } : {}) };
}
