/**
 * Reddit HTTP: OAuth tokens (script/password grant, refresh token, client credentials), bearer
 * requests with `raw_json=1`, the `x-ratelimit-*` float headers read into RateLimitState, 429 →
 * RateLimitedError, size-limited JSON bodies (malformed or oversize → ChannelError).
 */
import { MAX_RESPONSE_BYTES, readJsonLimited as readJson } from '../http.ts';
import { type ChannelConfig, ChannelError, RateLimitedError, type RateLimitState } from '../types.ts';

const TIMEOUT_MS = 20_000;

export interface RedditToken {
  accessToken: string;
  /** Epoch ms. */
  expiresAt: number;
}

export interface RedditResponse {
  status: number;
  body: unknown;
  rateLimit?: RateLimitState;
}

export const readJsonLimited = (res: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<unknown> =>
  readJson(res, 'reddit', maxBytes);

/** Reddit sends `x-ratelimit-remaining: 599.0`, `x-ratelimit-used: 1`, `x-ratelimit-reset: 369` (seconds). */
export function parseRateLimit(headers: Headers, now = Date.now()): RateLimitState | undefined {
  const remaining = Number.parseFloat(headers.get('x-ratelimit-remaining') ?? '');
  const used = Number.parseFloat(headers.get('x-ratelimit-used') ?? '');
  const reset = Number.parseFloat(headers.get('x-ratelimit-reset') ?? '');
  if (!Number.isFinite(remaining) && !Number.isFinite(reset)) return undefined;
  const state: RateLimitState = {};
  if (Number.isFinite(remaining)) state.remaining = remaining;
  if (Number.isFinite(remaining) && Number.isFinite(used)) state.limit = remaining + used;
  if (Number.isFinite(reset)) state.resetAt = new Date(now + Math.max(0, reset) * 1000).toISOString();
  if (Number.isFinite(remaining) && remaining < 1)
    state.blockedUntil = state.resetAt ?? new Date(now + 60_000).toISOString();
  return state;
}

function userAgent(config: ChannelConfig): string {
  return (
    config.credentials.userAgent ??
    `earshot:${config.id}:v0.1 (by /u/${config.credentials.username ?? 'earshot'})`
  );
}

/** Where tokens come from: www.reddit.com for the real API, the same base URL for simulators. */
export function authBaseUrl(config: ChannelConfig): string {
  if (config.credentials.authBaseUrl) return config.credentials.authBaseUrl;
  const url = new URL(config.baseUrl);
  return url.hostname === 'oauth.reddit.com' ? 'https://www.reddit.com' : config.baseUrl;
}

export async function fetchToken(config: ChannelConfig, now = Date.now()): Promise<RedditToken> {
  const c = config.credentials;
  if (!c.clientId)
    throw new ChannelError('missing_credentials', 'reddit channel needs clientId (and clientSecret)');
  const form = new URLSearchParams();
  if (c.refreshToken) {
    form.set('grant_type', 'refresh_token');
    form.set('refresh_token', c.refreshToken);
  } else if (c.username && c.password) {
    form.set('grant_type', 'password');
    form.set('username', c.username);
    form.set('password', c.password);
  } else form.set('grant_type', 'client_credentials');
  let res: Response;
  try {
    res = await fetch(new URL('/api/v1/access_token', authBaseUrl(config)), {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${c.clientId}:${c.clientSecret ?? ''}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': userAgent(config),
      },
      body: form.toString(),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ChannelError('network', `reddit token request failed: ${(err as Error).message}`);
  }
  if (res.status === 429) throw new RateLimitedError(retryAtFrom(res.headers, now));
  const body = (await readJsonLimited(res, 64 * 1024)) as Record<string, unknown> | undefined;
  if (res.status === 401) throw new ChannelError('auth_failed', 'reddit rejected the client id/secret', 401);
  if (!body || typeof body.access_token !== 'string') {
    const reason = typeof body?.error === 'string' ? body.error : `HTTP ${res.status}`;
    throw new ChannelError('auth_failed', `reddit token request failed: ${reason}`, res.status);
  }
  const ttl = typeof body.expires_in === 'number' ? body.expires_in : 3600;
  // Renew a minute early so a token never expires mid-poll.
  return { accessToken: body.access_token, expiresAt: now + Math.max(60, ttl - 60) * 1000 };
}

function retryAtFrom(headers: Headers, now: number): Date {
  const reset = Number.parseFloat(headers.get('x-ratelimit-reset') ?? '');
  const retryAfter = Number.parseFloat(headers.get('retry-after') ?? '');
  const seconds = Number.isFinite(reset) ? reset : Number.isFinite(retryAfter) ? retryAfter : 60;
  return new Date(now + Math.max(1, seconds) * 1000);
}

export class RedditClient {
  lastRateLimit: RateLimitState | undefined;
  private refreshed = false;

  constructor(
    readonly config: ChannelConfig,
    public token: RedditToken | undefined,
  ) {}

  async ensureToken(): Promise<RedditToken> {
    if (!this.token || this.token.expiresAt <= Date.now()) this.token = await fetchToken(this.config);
    return this.token;
  }

  async request(
    method: 'GET' | 'POST',
    path: string,
    params: Record<string, string> = {},
  ): Promise<RedditResponse> {
    const token = await this.ensureToken();
    const url = new URL(path, this.config.baseUrl);
    url.searchParams.set('raw_json', '1');
    const init: RequestInit = {
      method,
      headers: {
        authorization: `bearer ${token.accessToken}`,
        'user-agent': userAgent(this.config),
        ...(method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    };
    if (method === 'GET') for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    else init.body = new URLSearchParams({ api_type: 'json', ...params }).toString();
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (err) {
      throw new ChannelError('network', `reddit ${method} ${path} failed: ${(err as Error).message}`);
    }
    const now = Date.now();
    const rateLimit = parseRateLimit(res.headers, now);
    if (rateLimit) this.lastRateLimit = rateLimit;
    if (res.status === 429) {
      await res.body?.cancel();
      throw new RateLimitedError(retryAtFrom(res.headers, now), `reddit answered 429 on ${path}`);
    }
    if (res.status === 401 && !this.refreshed) {
      await res.body?.cancel();
      this.refreshed = true;
      this.token = undefined;
      return this.request(method, path, params);
    }
    const body = await readJsonLimited(res);
    if (res.status >= 400) {
      const code =
        res.status === 401
          ? 'auth_failed'
          : res.status === 403
            ? 'forbidden'
            : res.status === 404
              ? 'not_found'
              : 'platform_error';
      throw new ChannelError(code, `reddit ${method} ${path} answered HTTP ${res.status}`, res.status);
    }
    return { status: res.status, body, rateLimit };
  }
}
