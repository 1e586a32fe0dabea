/**
 * Intent of a post: complaint / question / praise / feedback / lead / spam / other.
 * Decided by rules over the two trained models (complaint, sentiment) and surface cues; the first rule
 * that fires wins, in this order:
 *   1. spam      — strong evidence: ≥ 2 spam phrases (follow me, crypto, giveaway…) with a link, ≥ 3 links
 *                  with a spam phrase, or ≥ 6 hashtags with a link.
 *   2. complaint — the complaint model says complaint (score ≥ its threshold). A complaint that merely
 *                  names a spam word ("my bitcoin withdrawal is stuck", "the giveaway prize never came")
 *                  and links a screenshot stays a complaint: ignoring it would be digital silence.
 *   3. spam      — weaker evidence, for posts that are not complaints: ≥ 3 links, ≥ 2 spam phrases,
 *                  or one spam phrase with a link or ≥ 4 hashtags.
 *   4. lead      — buying signals (pricing, "looking for", "where can I buy", "thinking of switching",
 *                  "do you ship to"…).
 *                  Whole words only ("quoted", "priceless" and "democracy" are not leads).
 *   5. question  — a question mark, or the post opens with a wh-word / auxiliary ("how", "can you"…).
 *   6. praise    — sentiment positive with probability ≥ 0.5.
 *   7. feedback  — suggestion phrasing ("you should", "would be nice", "please add", "I wish"…),
 *                  or negative sentiment that the complaint model did not call a complaint.
 *   8. other.
 */
import type { PostCues } from './tokenizer.ts';

export type Intent = 'complaint' | 'question' | 'praise' | 'feedback' | 'lead' | 'spam' | 'other';
export const INTENTS: readonly Intent[] = [
  'complaint',
  'question',
  'praise',
  'feedback',
  'lead',
  'spam',
  'other',
];

export interface IntentInput {
  text: string;
  words: readonly string[];
  cues: PostCues;
  complaint: boolean;
  complaintScore: number;
  sentiment: 'negative' | 'neutral' | 'positive';
  positive: number;
}

const SPAM_PHRASES =
  /\b(?:follow (?:me|back|us)|f4f|followback|free followers|crypto|bitcoin|btc|ethereum|nft|airdrop|forex|giveaway|give away|dm (?:me )?for|click (?:here|the link)|link in (?:my )?bio|earn \$?\d+|make money|work from home|onlyfans|promo code|100% free|limited offer|casino|betting tips|check out my|subscribe to my|sugar daddy|investment opportunity)\b/gi;

const LEAD_PHRASES =
  /\b(?:looking (?:for|to buy|to get|to switch)|how much (?:is|are|does|for)|price|pricing|quote|where (?:can|do) i (?:buy|get|order)|want(?:ing)? to (?:buy|order|purchase|upgrade|switch)|interested in|thinking (?:of|about) (?:getting|buying|switching|upgrading)|considering (?:buying|getting|switching)|do you (?:ship|deliver|sell|offer|have) |any (?:deals|discounts|offers)|free trial|book a demo|demo|sign(?:ing)? up for|in the market for|recommend (?:a|an|me)|which (?:plan|model|package) (?:should|is best))\b/i;

const QUESTION_START =
  /^(?:@\w+\s+)*(?:how|what|when|where|why|who|whom|which|whose|is|are|am|was|were|do|does|did|can|could|will|would|should|shall|may|has|have|any(?:one|body)?)\b/i;

const FEEDBACK_PHRASES =
  /\b(?:you should|you guys should|should (?:have|add|make|be able)|would be (?:nice|great|good|better|awesome)|it'd be (?:nice|great)|please (?:add|bring back|make|consider|allow)|i wish|suggestion|suggest|feature request|feedback|idea:|could you (?:add|make)|why not add|needs? (?:a|an|more|better))\b/i;

export function decideIntent(p: IntentInput): { intent: Intent; intentReason: string } {
  const spamHits = p.text.match(SPAM_PHRASES)?.length ?? 0;
  const spam = (why: string) => ({ intent: 'spam' as const, intentReason: `spam: ${why}` });
  const links = `${p.cues.urls} link(s)`;
  if (spamHits >= 2 && p.cues.urls >= 1) return spam(`${spamHits} spam phrases, ${links}`);
  if (p.cues.urls >= 3 && spamHits >= 1) return spam(`${links} with a spam phrase`);
  if (p.cues.hashtags >= 6 && p.cues.urls >= 1) return spam(`${p.cues.hashtags} hashtags with a link`);
  if (p.complaint) {
    return { intent: 'complaint', intentReason: `complaint model score ${p.complaintScore.toFixed(2)}` };
  }
  if (p.cues.urls >= 3) return spam(links);
  if (spamHits >= 2 || (spamHits >= 1 && (p.cues.urls >= 1 || p.cues.hashtags >= 4))) {
    return spam(`${spamHits} spam phrase(s), ${links}`);
  }
  const lead = LEAD_PHRASES.exec(p.text);
  if (lead) return { intent: 'lead', intentReason: `buying signal "${lead[0].trim()}"` };
  if (p.cues.questions > 0) return { intent: 'question', intentReason: 'question mark' };
  const start = QUESTION_START.exec(p.text.trim());
  if (start) return { intent: 'question', intentReason: `opens like a question ("${start[0].trim()}")` };
  if (p.sentiment === 'positive' && p.positive >= 0.5) {
    return { intent: 'praise', intentReason: `positive sentiment ${p.positive.toFixed(2)}, not a complaint` };
  }
  const feedback = FEEDBACK_PHRASES.exec(p.text);
  if (feedback) return { intent: 'feedback', intentReason: `suggestion "${feedback[0].trim()}"` };
  if (p.sentiment === 'negative') {
    return { intent: 'feedback', intentReason: 'negative opinion, not a complaint' };
  }
  return { intent: 'other', intentReason: 'no rule matched' };
}
