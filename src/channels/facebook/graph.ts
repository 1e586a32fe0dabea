/**
 * Graph API HTTP for the Facebook adapter: versioned base URL, page access token with
 * appsecret_proof, size-limited JSON, and Graph's error envelope mapped to typed errors
 * (throttling codes → RateLimitedError using X-Business-Use-Case-Usage / X-App-Usage; 190 →
 * auth_failed; 10 / 2018278 → outside_messaging_window).
 */

import { createHmac } from 'node:crypto';
import { MAX_RESPONSE_BYTES, readJsonLimited as readJson } from '../http.ts';
import { type ChannelConfig, ChannelError, RateLimitedError } from '../types.ts';

export const GRAPH_VERSION = 'v25.0';
const TIMEOUT_MS = 20_000;
const THROTTLE_CODES = new Set([4, 17, 32, 613]);

export interface GraphError {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
}

export const readJsonLimited = (res: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<unknown> =>
  readJson(res, 'graph', maxBytes);

/** Minutes until access returns, from the BUC header (per business id) or X-App-Usage. */
export function regainAccessMinutes(headers: Headers): number | undefined {
  for (const name of ['x-business-use-case-usage', 'x-ad-account-usage']) {
    const raw = headers.get(name);
    if (!raw) continue;
    try {
      const parsed = JSON.parse(raw) as Record<string, { estimated_time_to_regain_access?: number }[]>;
      const minutes = Object.values(parsed)
        .flat()
        .map((u) => Number(u?.estimated_time_to_regain_access))
        .filter((n) => Number.isFinite(n));
      if (minutes.length > 0) return Math.max(...minutes);
    } catch {
      // an unreadable usage header is not a reason to fail the call
    }
  }
  return undefined;
}

function throwGraphError(status: number, headers: Headers, body: unknown, what: string): never {
  const err = ((body as { error?: GraphError } | undefined)?.error ?? {}) as GraphError;
  const code = Number(err.code);
  const text = `${what}: ${err.message ?? `HTTP ${status}`}`;
  if (status === 429 || THROTTLE_CODES.has(code) || (code >= 80001 && code <= 80014)) {
    const minutes = regainAccessMinutes(headers);
    const retryAfter = Number.parseFloat(headers.get('retry-after') ?? '');
    const ms =
      minutes !== undefined
        ? Math.max(1, minutes) * 60_000
        : Number.isFinite(retryAfter)
          ? retryAfter * 1000
          : 5 * 60_000;
    throw new RateLimitedError(new Date(Date.now() + ms), text);
  }
  if (code === 10 && err.error_subcode === 2018278)
    throw new ChannelError('outside_messaging_window', text, status);
  if (code === 190) throw new ChannelError('auth_failed', text, status);
  if (code === 100 && err.error_subcode === 33) throw new ChannelError('not_found', text, status);
  if (code === 100 && err.error_subcode === 2018001)
    throw new ChannelError('unknown_recipient', text, status);
  throw new ChannelError(Number.isFinite(code) ? `graph_${code}` : 'platform_error', text, status);
}

export function graphBase(config: ChannelConfig): string {
  const base = config.baseUrl.replace(/\/$/, '');
  const version = config.credentials.graphVersion ?? GRAPH_VERSION;
  return /\/v\d+\.\d+$/.test(base) ? base : `${base}/${version}`;
}

export async function graphRequest(
  config: ChannelConfig,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  opts: { query?: Record<string, string>; json?: unknown } = {},
): Promise<unknown> {
  const token = config.credentials.pageAccessToken;
  if (!token) throw new ChannelError('missing_credentials', 'facebook channel needs pageAccessToken');
  const url = path.startsWith('http') ? new URL(path) : new URL(`${graphBase(config)}${path}`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  url.searchParams.set('access_token', token);
  const secret = config.credentials.appSecret;
  if (secret)
    url.searchParams.set('appsecret_proof', createHmac('sha256', secret).update(token).digest('hex'));
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: opts.json === undefined ? {} : { 'content-type': 'application/json' },
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ChannelError('network', `graph ${method} ${url.pathname} failed: ${(err as Error).message}`);
  }
  const body = await readJsonLimited(res);
  if (res.status >= 400 || (body as { error?: unknown } | undefined)?.error) {
    throwGraphError(res.status, res.headers, body, `graph ${method} ${url.pathname}`);
  }
  return body;
}
