/**
 * Restoring a post triage ignored: into which queue, with which intent. Pure rules; the service
 * (src/services/ignored-posts-restore.ts) runs the pipeline's own threading, routing, priority,
 * assignment and SLA for it.
 */
import { InvalidError } from './errors.ts';
import { DEFAULT_POLICY } from './routing.ts';
import { INTENTS, type Intent, QUEUES, type QueueName } from './types.ts';

/** Most posts one restore takes (one transaction). */
export const RESTORE_MAX_POSTS = 100;

/** Intents a restored post may be given: anything but spam (that is what it was taken for). */
export const RESTORE_INTENTS = INTENTS.filter((i) => i !== 'spam') as Exclude<Intent, 'spam'>[];

/** When no intent is given: the usual one of each queue. */
const QUEUE_INTENT: Record<QueueName, Intent> = {
  support: 'complaint',
  marketing: 'lead',
  moderation: 'other',
};

/**
 * The intent a restored post gets: the one given; else its classified intent when that is not spam and
 * the default policy would send it to this queue (a praise ignored by a rule, restored to marketing);
 * else the queue's usual one (support → complaint, marketing → lead, moderation → other).
 */
export function restoredIntent(queue: QueueName, classified: string | null, given?: string): Intent {
  if (given !== undefined) {
    if (!(RESTORE_INTENTS as readonly string[]).includes(given)) {
      throw new InvalidError(
        'invalid_intent',
        `A restored post's intent is one of ${RESTORE_INTENTS.join(', ')}.`,
        {
          intent: given,
        },
      );
    }
    return given as Intent;
  }
  const stored = (INTENTS as readonly string[]).includes(classified ?? '') ? (classified as Intent) : null;
  if (stored && stored !== 'spam' && DEFAULT_POLICY[stored].queue === queue) return stored;
  return QUEUE_INTENT[queue];
}

export function restoreQueue(queue: string | undefined): QueueName {
  if (queue === undefined) return 'support';
  if (!(QUEUES as readonly string[]).includes(queue)) {
    throw new InvalidError('invalid_queue', `A post is restored to ${QUEUES.join(', ')}.`, { queue });
  }
  return queue as QueueName;
}

/** "default policy", the rule's name, or "a rule since deleted": who ignored a post. */
export function ignoredBy(ruleId: string | null, ruleName: string | null): string {
  if (ruleId === null) return 'default policy';
  return ruleName ?? 'a rule since deleted';
}
