/** Shared vocabulary of the domain: labels the triage pipeline produces and the queues it routes to. */
export type { ChannelKind } from './inbound-post.ts';

export const CHANNEL_KINDS = [
  'x',
  'facebook',
  'reddit',
  'mastodon',
  'discourse',
  'rss',
  'forum',
  'email',
  'webform',
] as const;

export const INTENTS = ['complaint', 'question', 'praise', 'feedback', 'lead', 'spam', 'other'] as const;
export type Intent = (typeof INTENTS)[number];

export const SENTIMENTS = ['negative', 'neutral', 'positive'] as const;
export type Sentiment = (typeof SENTIMENTS)[number];

export const PRIORITY_LEVELS = ['low', 'normal', 'high', 'urgent'] as const;
export type PriorityLevel = (typeof PRIORITY_LEVELS)[number];

/** Queues that own conversations. Routing can also say 'ignore' (see routing.ts). */
export const QUEUES = ['support', 'marketing', 'moderation'] as const;
export type QueueName = (typeof QUEUES)[number];

export function priorityRank(level: PriorityLevel): number {
  return PRIORITY_LEVELS.indexOf(level);
}

/** Compare BCP-47 tags: a tag without region ('en') matches any region ('en-GB'); case-insensitive. */
export function languageMatches(wanted: string, actual: string | undefined | null): boolean {
  if (!actual) return false;
  const w = wanted.toLowerCase();
  const a = actual.toLowerCase();
  if (w === a) return true;
  if (!w.includes('-')) return a.split('-')[0] === w;
  return false;
}
