/**
 * Filtered stream consumer with X's documented reconnection policy
 * (specs/x/docs/fundamentals__handling-disconnections.mdx):
 * reconnect immediately after an established connection drops; then back off
 * linearly by 250 ms up to 16 s for network errors, exponentially from 5 s up to 320 s
 * for HTTP errors, and exponentially from 1 minute for 429s. No data or keep-alive for
 * 20 s counts as a dropped connection. Uses node:https directly (not twitter-api-v2's
 * TweetStream) so the policy, the stall timer and the line-size limit are ours.
 */
import { request } from 'node:https';
import type { InboundPost } from '../../domain/inbound-post.ts';
import { type ChannelConfig, ChannelError } from '../types.ts';
import { bearerToken, xGet, xPost } from './client.ts';
import {
  buildSearchQuery,
  TWEET_FIELDS,
  tweetToPost,
  USER_FIELDS,
  type XIncludes,
  type XTweetPayload,
} from './map.ts';

export const STREAM_MAX_LINE_BYTES = 1024 * 1024;

export type StreamEvent =
  | { type: 'connected' }
  | { type: 'disconnected'; reason: string }
  | {
      type: 'backoff';
      kind: 'network' | 'http' | 'rate_limit' | 'reconnect';
      delayMs: number;
      status?: number;
    }
  | { type: 'error'; error: Error };

export interface StreamOptions {
  onEvent?: (e: StreamEvent) => void;
  /** Seconds of silence (no data, no keep-alive) before the connection counts as stalled. */
  stallMs?: number;
  /** Multiply every back-off delay (tests use a small factor; events report the unscaled delay). */
  delayScale?: number;
}

export function backoffDelay(kind: 'network' | 'http' | 'rate_limit', attempt: number): number {
  if (kind === 'network') return Math.min(250 * attempt, 16_000);
  if (kind === 'http') return Math.min(5_000 * 2 ** (attempt - 1), 320_000);
  return 60_000 * 2 ** (attempt - 1);
}

/** Make the platform's stream rules match the channel's listening rules (tagged with the channel id). */
export async function syncStreamRules(config: ChannelConfig): Promise<void> {
  const tag = `earshot:${config.id}`;
  const value = buildSearchQuery(config.rules, config.accountHandle);
  const current = await xGet<{ data?: { id: string; value: string; tag?: string }[] }>(
    config,
    'tweets/search/stream/rules',
    {},
  );
  const ours = (current.data.data ?? []).filter((r) => r.tag === tag);
  const stale = ours.filter((r) => r.value !== value).map((r) => r.id);
  if (stale.length) await xPost(config, 'tweets/search/stream/rules', { delete: { ids: stale } });
  if (value && !ours.some((r) => r.value === value))
    await xPost(config, 'tweets/search/stream/rules', { add: [{ value, tag }] });
}

type Outcome =
  | { kind: 'dropped'; reason: string }
  | { kind: 'network'; reason: string }
  | { kind: 'http'; status: number; reset?: number };

function connectOnce(
  config: ChannelConfig,
  onPost: (post: InboundPost) => void,
  signal: AbortSignal,
  opts: StreamOptions,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const url = new URL(
      '2/tweets/search/stream',
      config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`,
    );
    url.searchParams.set('tweet.fields', TWEET_FIELDS);
    url.searchParams.set('expansions', 'author_id');
    url.searchParams.set('user.fields', USER_FIELDS);
    let settled = false;
    let established = false;
    const finish = (o: Outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(stall);
      signal.removeEventListener('abort', onAbort);
      req.destroy();
      resolve(o);
    };
    const onAbort = () => finish({ kind: 'dropped', reason: 'aborted' });
    const stallMs = opts.stallMs ?? 20_000;
    let stall: NodeJS.Timeout = setTimeout(
      () => finish({ kind: 'network', reason: 'connect timeout' }),
      stallMs,
    );
    const arm = () => {
      clearTimeout(stall);
      stall = setTimeout(() => finish({ kind: 'dropped', reason: `no data for ${stallMs} ms` }), stallMs);
    };
    const req = request(url, {
      method: 'GET',
      agent: false,
      ...(config.credentials.caCert ? { ca: config.credentials.caCert } : {}),
      headers: { authorization: `Bearer ${bearerToken(config)}`, 'user-agent': 'earshot' },
    });
    signal.addEventListener('abort', onAbort);
    req.on('error', (err) =>
      finish(
        established ? { kind: 'dropped', reason: err.message } : { kind: 'network', reason: err.message },
      ),
    );
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        // The reset time only matters when the window is exhausted (not for e.g. TooManyConnections).
        const reset = Number(res.headers['x-rate-limit-reset']);
        const exhausted = res.headers['x-rate-limit-remaining'] === '0';
        res.resume();
        finish({
          kind: 'http',
          status: res.statusCode ?? 0,
          ...(exhausted && Number.isFinite(reset) ? { reset } : {}),
        });
        return;
      }
      established = true;
      opts.onEvent?.({ type: 'connected' });
      arm();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        arm();
        buf += chunk;
        let nl = buf.indexOf('\n');
        while (nl >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (line) handleLine(config, line, onPost, opts);
          nl = buf.indexOf('\n');
        }
        if (Buffer.byteLength(buf) > STREAM_MAX_LINE_BYTES) {
          opts.onEvent?.({
            type: 'error',
            error: new ChannelError(
              'body_too_large',
              `stream line over ${STREAM_MAX_LINE_BYTES} bytes; reconnecting`,
            ),
          });
          finish({ kind: 'dropped', reason: 'line too large' });
        }
      });
      res.on('end', () => finish({ kind: 'dropped', reason: 'stream ended' }));
      res.on('error', (err) => finish({ kind: 'dropped', reason: err.message }));
      res.on('close', () => finish({ kind: 'dropped', reason: 'connection closed' }));
    });
    req.end();
  });
}

function handleLine(
  config: ChannelConfig,
  line: string,
  onPost: (p: InboundPost) => void,
  opts: StreamOptions,
) {
  let msg: { data?: XTweetPayload; includes?: XIncludes; errors?: unknown[] };
  try {
    msg = JSON.parse(line);
  } catch {
    opts.onEvent?.({
      type: 'error',
      error: new ChannelError('malformed_payload', 'unparseable stream line skipped'),
    });
    return;
  }
  if (!msg?.data?.id) return;
  if (config.accountId && msg.data.author_id === config.accountId) return;
  onPost(tweetToPost(config, msg.data, msg.includes, 'search'));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/**
 * Consume the filtered stream until `signal` aborts, reconnecting per X's policy.
 * Rejects only for errors retrying cannot fix (401/403: bad credentials or no access).
 */
export async function streamTweets(
  config: ChannelConfig,
  onPost: (post: InboundPost) => void,
  signal: AbortSignal,
  opts: StreamOptions = {},
): Promise<void> {
  const scale = opts.delayScale ?? 1;
  const attempts = { network: 0, http: 0, rate_limit: 0 };
  while (!signal.aborted) {
    const outcome = await connectOnce(config, onPost, signal, opts);
    if (signal.aborted) return;
    let delay: number;
    if (outcome.kind === 'dropped') {
      attempts.network = attempts.http = attempts.rate_limit = 0;
      opts.onEvent?.({ type: 'disconnected', reason: outcome.reason });
      delay = 0;
      opts.onEvent?.({ type: 'backoff', kind: 'reconnect', delayMs: 0 });
    } else if (outcome.kind === 'network') {
      attempts.network += 1;
      delay = backoffDelay('network', attempts.network);
      opts.onEvent?.({ type: 'backoff', kind: 'network', delayMs: delay });
    } else if (outcome.status === 401 || outcome.status === 403) {
      throw new ChannelError(
        outcome.status === 401 ? 'unauthorized' : 'forbidden',
        `X filtered stream refused the connection (${outcome.status})`,
        outcome.status,
      );
    } else if (outcome.status === 429) {
      attempts.rate_limit += 1;
      delay = backoffDelay('rate_limit', attempts.rate_limit);
      if (outcome.reset) delay = Math.max(delay, outcome.reset * 1000 - Date.now());
      opts.onEvent?.({ type: 'backoff', kind: 'rate_limit', delayMs: delay, status: 429 });
    } else {
      attempts.http += 1;
      delay = backoffDelay('http', attempts.http);
      opts.onEvent?.({ type: 'backoff', kind: 'http', delayMs: delay, status: outcome.status });
    }
    if (delay > 0) await sleep(delay * scale, signal);
  }
}
