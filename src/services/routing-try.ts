/**
 * "Try routing": what the pipeline would decide for a sample post, and what candidate rules would
 * change on the most recent posts it routed — without writing anything. Both run the pipeline's own
 * functions: language detection, the shipped classifiers, postPriority and routingInput
 * (src/pipeline/post-triage.ts, as the drain calls them), the domain's router and SLA policy choice.
 * Candidate rules are validated by the domain; invalid ones throw InvalidError with every problem, as
 * /api/routing-rules/validate lists them.
 */
import type { Db } from '../db/client.ts';
import { routingRepository } from '../db/repositories/routing.ts';
import { recentRoutedPosts } from '../db/repositories/routing-impact.ts';
import { slaRepository } from '../db/repositories/sla.ts';
import type { PriorityResult } from '../domain/priority.ts';
import { compileRouter, type RoutingRule, validateRoutingRules } from '../domain/routing.ts';
import {
  IMPACT_POSTS,
  type ReplayedPost,
  type RoutingImpact,
  type RuleRef,
  ruleRef,
  tallyImpact,
  withCandidateRule,
} from '../domain/routing-impact.ts';
import { selectSlaPolicy } from '../domain/sla.ts';
import type { ChannelKind } from '../domain/types.ts';
import {
  type Classifier,
  type PostClassification,
  type ReloadingClassifier,
  reloadingClassifier,
} from '../pipeline/classifier.ts';
import { routableRules, slaPoliciesInForce } from '../pipeline/config.ts';
import { detectLanguage } from '../pipeline/language.ts';
import { ignoreReasonOf, postPriority, routingInput, type TriageSubject } from '../pipeline/post-triage.ts';

export const SAMPLE_TEXT_MAX = 10_000;

export interface SamplePost {
  text: string;
  channelKind?: ChannelKind;
  followers?: number;
  /** Default true. */
  public?: boolean;
}

export interface TriedRouting {
  /** Which rules decided: the saved ones, or the candidate list given. */
  rules: 'saved' | 'candidate';
  language: string | null;
  /** The shipped classifiers' answer (scores rounded to 3 decimals). */
  classification: PostClassification;
  priority: PriorityResult;
  decision: {
    queue: string;
    team: string | null;
    /** Why it would be ignored (queue 'ignore'); null otherwise. */
    ignoreReason: string | null;
    /** The rule that matched; null: the default policy decided. */
    rule: RuleRef | null;
  };
  /** The SLA policy a new conversation would get; null when the post would be ignored. */
  sla: {
    policyId: string;
    name: string;
    /** Target in minutes (business minutes when `businessHours`); null: no first-response clock. */
    firstResponseMinutes: number | null;
    businessHours: boolean;
  } | null;
}

export interface ImpactInput {
  /** A whole candidate list; else `rule`, in place of the saved rule with its id or added last. */
  rules?: unknown;
  rule?: unknown;
  limit?: number;
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

let models: ReloadingClassifier | undefined;

/**
 * The models the pipeline classifies with: loaded on first use (a web-only process that nobody tries
 * routing in never loads them), and again whenever `earshot model train|retrain` has written new ones
 * since (a file check per use), as the workers do within a minute — so a tried post is classified as
 * the drain would classify it.
 */
function currentModels(): Classifier {
  models ??= reloadingClassifier();
  models.reloadIfChanged();
  return models;
}

export function routingTryService(db: Db, classifier?: Classifier) {
  const savedRules = async () => routableRules(await routingRepository(db).list());

  /** The candidate list, validated (InvalidError listing every problem); the saved rules when none. */
  async function candidateRules(input: ImpactInput): Promise<RoutingRule[]> {
    if (input.rules !== undefined) return validateRoutingRules(input.rules);
    if (input.rule === undefined) return savedRules();
    const rule = input.rule as { id?: unknown };
    const [one] = validateRoutingRules([{ ...rule, id: rule.id ?? 'candidate' }]);
    return validateRoutingRules(withCandidateRule(await savedRules(), one!));
  }

  return {
    async tryPost(sample: SamplePost, candidate?: unknown): Promise<TriedRouting> {
      const rules = candidate === undefined ? await savedRules() : validateRoutingRules(candidate);
      const post: TriageSubject = {
        channelKind: sample.channelKind,
        text: sample.text,
        isPrivate: sample.public === false,
        followers: sample.followers ?? null,
      };
      const language = detectLanguage(sample.text);
      const [cls] = (classifier ?? currentModels()).classifyBatch([sample.text]);
      // A sample's author is a new customer: no previous complaints, not a VIP.
      const priority = postPriority(post, cls!, { previousComplaints: 0, vip: false });
      const routed = compileRouter(rules)(routingInput(post, cls!, language, priority.level));
      const ignored = routed.queue === 'ignore';
      const policy = ignored
        ? null
        : selectSlaPolicy(slaPoliciesInForce(await slaRepository(db).list()), {
            queue: routed.queue as Exclude<typeof routed.queue, 'ignore'>,
            channelKind: sample.channelKind,
            priority: priority.level,
          });
      const scores = cls!.sentimentScores;
      return {
        rules: candidate === undefined ? 'saved' : 'candidate',
        language,
        classification: {
          complaint: cls!.complaint,
          complaintScore: round3(cls!.complaintScore),
          sentiment: cls!.sentiment,
          sentimentScores: {
            negative: round3(scores.negative),
            neutral: round3(scores.neutral),
            positive: round3(scores.positive),
          },
          intent: cls!.intent,
          intentReason: cls!.intentReason,
        },
        priority,
        decision: {
          queue: routed.queue,
          team: routed.team ?? null,
          ignoreReason: ignored ? ignoreReasonOf(routed, cls!.intent) : null,
          rule: ruleRef(rules, routed.ruleId),
        },
        sla: policy && {
          policyId: policy.id,
          name: policy.name,
          firstResponseMinutes: policy.targets.firstResponseMinutes ?? null,
          businessHours: Boolean(policy.calendar),
        },
      };
    },

    /** The newest `limit` routed posts replayed under the candidate rules, against where they went. */
    async impact(input: ImpactInput): Promise<RoutingImpact & { limit: number }> {
      const limit = Math.min(IMPACT_POSTS.max, Math.max(1, input.limit ?? IMPACT_POSTS.default));
      const rules = await candidateRules(input);
      const router = compileRouter(rules);
      const replayed: ReplayedPost[] = (await recentRoutedPosts(db, limit)).map((p) => {
        const post = { ...p, channelId: p.channelId ?? undefined };
        // Ignored posts keep no priority: it is worked out again from what was stored (no history).
        const priority = p.priority ?? postPriority(post, p, null).level;
        const routed = router(routingInput(post, p, p.language, priority));
        return {
          postId: p.postId,
          text: p.text,
          actual: p.actual,
          candidate: { queue: routed.queue, team: routed.team ?? null, ruleId: routed.ruleId },
        };
      });
      return { limit, ...tallyImpact(replayed, rules) };
    },
  };
}

export type RoutingTryService = ReturnType<typeof routingTryService>;
