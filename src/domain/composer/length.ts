/**
 * Reply length as each platform counts it.
 * - X: weighted length from twitter-text's parseTweet (URLs 23, CJK and emoji weigh 2).
 * - Mastodon: grapheme clusters, every http(s) URL counts 23, `@user@domain` counts as `@user`.
 * - Others: Unicode code points against the platform's limit; email has no limit.
 */
import twitterText from 'twitter-text';
import type { ChannelKind } from '../types.ts';

export type CountingMethod = 'x_weighted' | 'mastodon' | 'code_points' | 'none';

export interface ChannelTextRules {
  limit: number | null;
  counting: CountingMethod;
}

export const CHANNEL_TEXT_RULES: Readonly<Record<ChannelKind, ChannelTextRules>> = {
  x: { limit: 280, counting: 'x_weighted' },
  mastodon: { limit: 500, counting: 'mastodon' },
  facebook: { limit: 8000, counting: 'code_points' },
  reddit: { limit: 10000, counting: 'code_points' },
  discourse: { limit: 32000, counting: 'code_points' },
  forum: { limit: 32000, counting: 'code_points' },
  email: { limit: null, counting: 'none' },
  webform: { limit: null, counting: 'none' },
  /** Feeds are read-only; replies go out on another channel. */
  rss: { limit: null, counting: 'none' },
};

export interface LengthOptions {
  /** Override the platform limit (a Mastodon instance with 1,000 characters, a Discourse setting). */
  limit?: number | null;
}

export interface LengthResult {
  length: number;
  limit: number | null;
  /** null when there is no limit; negative when over. */
  remaining: number | null;
  valid: boolean;
  counting: CountingMethod;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeLength(text: string): number {
  let n = 0;
  for (const _ of graphemes.segment(text)) n++;
  return n;
}

export function codePointLength(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

const MASTODON_URL_LENGTH = 23;
const MASTODON_MENTION =
  /(?<![\p{L}\p{N}_/])@([a-z0-9_]+(?:[a-z0-9_.-]+[a-z0-9_]+)?)@[a-z0-9.-]+\.[a-z0-9-]+/giu;

/** Mastodon's StatusLengthValidator: URLs as 23 characters, remote mentions as the local part. */
export function mastodonLength(text: string): number {
  const urls = twitterText.extractUrlsWithIndices(text, { extractUrlsWithoutProtocol: false });
  let out = '';
  let pos = 0;
  for (const u of urls) {
    const [s, e] = u.indices;
    out += text.slice(pos, s) + 'x'.repeat(MASTODON_URL_LENGTH);
    pos = e;
  }
  out += text.slice(pos);
  return graphemeLength(out.replace(MASTODON_MENTION, (_m, user: string) => `@${user}`));
}

export function countLength(
  text: string,
  channelKind: ChannelKind,
  options: LengthOptions = {},
): LengthResult {
  const rules = CHANNEL_TEXT_RULES[channelKind];
  const limit = options.limit === undefined ? rules.limit : options.limit;
  let length: number;
  let platformValid = true;
  switch (rules.counting) {
    case 'x_weighted': {
      const parsed = twitterText.parseTweet(text);
      length = parsed.weightedLength;
      // parseTweet judges against 280; only trust its verdict on invalid characters.
      platformValid = parsed.valid || parsed.weightedLength > 280 || text.trim() === '';
      break;
    }
    case 'mastodon':
      length = mastodonLength(text);
      break;
    default:
      length = codePointLength(text);
  }
  const remaining = limit === null ? null : limit - length;
  return {
    length,
    limit,
    remaining,
    valid: text.trim() !== '' && platformValid && (remaining === null || remaining >= 0),
    counting: rules.counting,
  };
}
