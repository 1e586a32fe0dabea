/**
 * A post stored earlier (and ignored), as the pipeline's conversation stage takes its input: the inbound
 * post it was, the classification stored with it under the restorer's intent, and a router that sends it
 * to the chosen queue (src/services/ignored-posts-restore.ts).
 */
import type { StoredPost } from '../db/repositories/ignored-posts.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import type { Router } from '../domain/routing.ts';
import {
  type ChannelKind,
  type Intent,
  type QueueName,
  SENTIMENTS,
  type Sentiment,
} from '../domain/types.ts';
import type { PostClassification } from '../pipeline/classifier.ts';

/** Routes to the chosen queue: the rules' decision when it is that queue (with its team), else by hand. */
export const toQueue =
  (router: Router, queue: QueueName): Router =>
  (input) => {
    const d = router(input);
    return d.queue === queue ? d : { queue, ruleId: null };
  };

/** The classification stored with the post, with the restorer's intent (scores not stored are 0 or 1). */
export function storedClassification(p: StoredPost, intent: Intent): PostClassification {
  const sentiment: Sentiment = (SENTIMENTS as readonly string[]).includes(p.sentiment ?? '')
    ? (p.sentiment as Sentiment)
    : 'neutral';
  const complaintScore = p.complaintScore ?? 0;
  return {
    complaint: complaintScore >= 0.5,
    complaintScore,
    sentiment,
    sentimentScores: {
      negative: sentiment === 'negative' ? 1 : 0,
      neutral: sentiment === 'neutral' ? 1 : 0,
      positive: sentiment === 'positive' ? 1 : 0,
    },
    intent,
    intentReason:
      p.intent === intent
        ? 'as classified; restored'
        : `set when restored (classified ${p.intent ?? 'unknown'})`,
  };
}

export function inboundPost(p: StoredPost): InboundPost {
  return {
    channelKind: p.channelKind as ChannelKind,
    channelId: p.channelId,
    externalId: p.externalId,
    threadExternalId: p.threadExternalId,
    ...(p.parentExternalId ? { parentExternalId: p.parentExternalId } : {}),
    author: {
      externalId: p.author.externalId,
      handle: p.author.handle,
      ...(p.author.followers !== null ? { followers: p.author.followers } : {}),
    },
    text: p.text,
    isPrivate: p.isPrivate,
    ...(p.url ? { url: p.url } : {}),
    createdAt: p.postedAt,
    raw: p.raw,
  };
}
