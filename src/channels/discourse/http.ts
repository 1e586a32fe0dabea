/**
 * Discourse HTTP: Api-Key/Api-Username headers (omitted for anonymous reads of a public forum),
 * size-limited JSON bodies, 429 → RateLimitedError from Retry-After / extras.wait_seconds, other
 * failures → ChannelError with Discourse's own error text.
 */
import { type ChannelConfig, ChannelError, RateLimitedError } from '../types.ts';

export const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;
const TIMEOUT_MS = 20_000;

export async function readJsonLimited(res: Response, maxBytes = MAX_RESPONSE_BYTES): Promise<unknown> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new ChannelError(
      'response_too_large',
      `discourse response of ${declared} bytes is over ${maxBytes}`,
      res.status,
    );
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      size += chunk.byteLength;
      if (size > maxBytes)
        throw new ChannelError('response_too_large', `discourse response over ${maxBytes} bytes`, res.status);
      chunks.push(chunk);
    }
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ChannelError(
      'malformed_response',
      `discourse sent a body that is not JSON (HTTP ${res.status})`,
      res.status,
    );
  }
}

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
