/**
 * Discourse HTTP: Api-Key/Api-Username headers (omitted for anonymous reads of a public forum),
 * size-limited JSON bodies, 429 → RateLimitedError from Retry-After / extras.wait_seconds, other
 * failures → ChannelError with Discourse's own error text.
 */
import { MAX_RESPONSE_BYTES, readJsonLimited as readJson } from '../http.ts';
import { type ChannelConfig, ChannelError, RateLimitedError } from '../types.ts';

const TIMEOUT_MS = 20_000;

export const readJsonLimited = (res: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<unknown> =>
  readJson(res, 'discourse', maxBytes);

function errorText(body: unknown): string {
  const errors = (body as { errors?: unknown } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map(String).join('; ') : '';
}

export async function discourseRequest(
  config: ChannelConfig,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  opts: { query?: Record<string, string>; json?: unknown } = {},
): Promise<unknown> {
  const url = new URL(path, config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  for (const [k, v] of Object.entries(opts.query ?? {})) url.searchParams.set(k, v);
  const headers: Record<string, string> = { accept: 'application/json' };
  const { apiKey, apiUsername } = config.credentials;
  if (apiKey) {
    headers['api-key'] = apiKey;
    headers['api-username'] = apiUsername ?? config.accountHandle ?? 'system';
  }
  if (opts.json !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: opts.json === undefined ? undefined : JSON.stringify(opts.json),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    throw new ChannelError('network', `discourse ${method} ${path} failed: ${(err as Error).message}`);
  }
  if (res.status === 429) {
    let wait = Number.parseFloat(res.headers.get('retry-after') ?? '');
    if (!Number.isFinite(wait)) {
      const body = (await readJsonLimited(res, 64 * 1024).catch(() => undefined)) as
        | { extras?: { wait_seconds?: unknown } }
        | undefined;
      wait = Number(body?.extras?.wait_seconds);
    } else await res.body?.cancel();
    const seconds = Number.isFinite(wait) && wait > 0 ? wait : 60;
    throw new RateLimitedError(new Date(Date.now() + seconds * 1000), `discourse answered 429 on ${path}`);
  }
  const body = await readJsonLimited(res);
  if (res.status >= 400) {
    const code =
      res.status === 403
        ? 'forbidden'
        : res.status === 404
          ? 'not_found'
          : res.status === 422
            ? 'rejected'
            : 'platform_error';
    const detail = errorText(body);
    throw new ChannelError(
      code,
      `discourse ${method} ${path} answered HTTP ${res.status}${detail ? `: ${detail}` : ''}`,
      res.status,
    );
  }
  return body;
}
