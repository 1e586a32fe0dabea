/**
 * X API v2 access through `twitter-api-v2`, pointed at config.baseUrl by a request plugin that
 * rewrites the computed URL's protocol/host/port (the library hard-codes api.x.com). A custom CA
 * (the simulator's self-signed certificate) comes in as credentials.caCert.
 */
import { Agent } from 'node:https';
import {
  ApiRequestError,
  ApiResponseError,
  type ITwitterApiClientPlugin,
  TwitterApi,
  type TwitterRateLimit,
} from 'twitter-api-v2';
import { type ChannelConfig, ChannelError, RateLimitedError, type RateLimitState } from '../types.ts';

/** Responses larger than this are refused (a misbehaving proxy or platform must not exhaust memory). */
export const X_MAX_BODY_BYTES = 5 * 1024 * 1024;

export interface XCallResult<T> {
  data: T;
  rateLimit?: RateLimitState;
}

export function baseUrlPlugin(baseUrl: string): ITwitterApiClientPlugin {
  const target = new URL(baseUrl);
  return {
    onBeforeRequest({ computedParams }) {
      const url = computedParams.url;
      url.protocol = target.protocol;
      url.hostname = target.hostname;
      url.port = target.port;
      const prefix = target.pathname.replace(/\/$/, '');
      if (prefix && !url.pathname.startsWith(prefix)) url.pathname = prefix + url.pathname;
    },
  };
}

export function bearerToken(config: ChannelConfig): string {
  const token = config.credentials.bearerToken;
  if (!token) throw new ChannelError('missing_credentials', 'X channel needs credentials.bearerToken');
  return token;
}

export function httpsAgent(config: ChannelConfig): Agent {
  const ca = config.credentials.caCert;
  return new Agent({ keepAlive: true, ...(ca ? { ca } : {}) });
}

const agents = new Map<string, Agent>();
function agentFor(config: ChannelConfig): Agent {
  const key = `${config.baseUrl}|${config.credentials.caCert ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = httpsAgent(config);
    agents.set(key, agent);
  }
  return agent;
}

export function xClient(config: ChannelConfig): TwitterApi {
  return new TwitterApi(bearerToken(config), {
    plugins: [baseUrlPlugin(config.baseUrl)],
    httpAgent: agentFor(config),
  });
}

export function toRateLimitState(rl: TwitterRateLimit | undefined): RateLimitState | undefined {
  if (!rl) return undefined;
  const resetAt = new Date(rl.reset * 1000).toISOString();
  return {
    limit: rl.limit,
    remaining: rl.remaining,
    resetAt,
    ...(rl.remaining <= 0 ? { blockedUntil: resetAt } : {}),
  };
}

/** Translate library errors to the channel contract (RateLimitedError on 429, ChannelError otherwise). */
export function mapXError(err: unknown): Error {
  if (err instanceof ApiResponseError) {
    if (err.code === 429) {
      const reset = err.rateLimit?.reset ?? Number(err.headers['x-rate-limit-reset']);
      const retryAt =
        Number.isFinite(reset) && reset > 0 ? new Date(reset * 1000) : new Date(Date.now() + 60_000);
      return new RateLimitedError(retryAt, `X rate limit reached; retry after ${retryAt.toISOString()}`);
    }
    const detail = describe(err.data);
    if (err.code === 401)
      return new ChannelError('unauthorized', `X rejected the credentials: ${detail}`, 401);
    if (err.code === 403) return new ChannelError('forbidden', `X refused: ${detail}`, 403);
    if (err.code === 400)
      return new ChannelError('invalid_request', `X said the request was invalid: ${detail}`, 400);
    return new ChannelError('platform_error', `X answered ${err.code}: ${detail}`, err.code);
  }
  if (err instanceof ApiRequestError)
    return new ChannelError('network', `X request failed: ${err.requestError.message}`);
  if (err instanceof ChannelError || err instanceof RateLimitedError) return err;
  return new ChannelError('platform_error', `X call failed: ${(err as Error).message}`);
}

function describe(data: unknown): string {
  const d = data as { detail?: string; title?: string; message?: string } | undefined;
  return d?.detail ?? d?.message ?? d?.title ?? 'no detail';
}

function checkSize(headers: Record<string, string | string[] | undefined>): void {
  const len = Number(headers['content-length']);
  if (Number.isFinite(len) && len > X_MAX_BODY_BYTES)
    throw new ChannelError(
      'body_too_large',
      `X response of ${len} bytes is over the ${X_MAX_BODY_BYTES} byte limit`,
    );
}

export async function xGet<T>(
  config: ChannelConfig,
  path: string,
  query: Record<string, string | undefined>,
): Promise<XCallResult<T>> {
  const clean = Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
  try {
    const res = await xClient(config).v2.get<T>(path, clean, { fullResponse: true });
    checkSize(res.headers);
    return { data: res.data, ...rl(res.rateLimit) };
  } catch (err) {
    throw mapXError(err);
  }
}

export async function xPost<T>(
  config: ChannelConfig,
  path: string,
  body: Record<string, unknown>,
): Promise<XCallResult<T>> {
  try {
    const res = await xClient(config).v2.post<T>(path, body, { fullResponse: true });
    checkSize(res.headers);
    return { data: res.data, ...rl(res.rateLimit) };
  } catch (err) {
    throw mapXError(err);
  }
}

export async function xDelete<T>(config: ChannelConfig, path: string): Promise<XCallResult<T>> {
  try {
    const res = await xClient(config).v2.delete<T>(path, undefined, { fullResponse: true });
    return { data: res.data, ...rl(res.rateLimit) };
  } catch (err) {
    throw mapXError(err);
  }
}

function rl(r: TwitterRateLimit | undefined): { rateLimit?: RateLimitState } {
  const s = toRateLimitState(r);
  return s ? { rateLimit: s } : {};
}
