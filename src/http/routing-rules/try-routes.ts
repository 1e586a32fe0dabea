/**
 * Trying routing without saving (admins, as the rest of the routing rules; nothing is written):
 * POST /api/routing-rules/try — what the pipeline would decide for a sample post, under the saved rules
 * or a candidate list; POST /api/routing-rules/impact — the most recent routed posts replayed under a
 * candidate list (or one candidate rule), counted per queue and team against where they went.
 * Invalid candidates: 400 `invalid_routing_rules` with the problems /validate lists.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { IMPACT_POSTS } from '../../domain/routing-impact.ts';
import { CHANNEL_KINDS, PRIORITY_LEVELS, SENTIMENTS } from '../../domain/types.ts';
import { routingTryService, SAMPLE_TEXT_MAX } from '../../services/routing-try.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

/** Candidate rules per request: replaying them over up to 2,000 posts is CPU on the event loop. */
export const CANDIDATE_RULES_MAX = 200;

const candidateList = {
  type: 'array',
  maxItems: CANDIDATE_RULES_MAX,
  description: 'A candidate rule list, as /api/routing-rules/validate takes it; checked by the same rules.',
} as const;

/** The sample post (also the Try routing form's schema on the settings page). */
export const tryBody = {
  type: 'object',
  required: ['text'],
  additionalProperties: false,
  properties: {
    text: { type: 'string', minLength: 1, maxLength: SAMPLE_TEXT_MAX },
    channel: { type: 'string', enum: CHANNEL_KINDS, description: 'Channel kind the post comes from.' },
    followers: {
      type: 'integer',
      minimum: 0,
      maximum: 1_000_000_000,
      description: "The author's followers.",
    },
    public: { type: 'boolean', default: true, description: 'false: a private message.' },
    rules: { ...candidateList, description: 'Candidate rules to try instead of the saved ones.' },
  },
} as const;

const nullableString = { type: ['string', 'null'] } as const;
const ruleRefSchema = {
  type: ['object', 'null'],
  description: 'The rule that decided (position 0-based, in the order tried); null: the default policy.',
  properties: { id: { type: 'string' }, name: { type: 'string' }, position: { type: 'integer' } },
} as const;
const scores = {
  type: 'object',
  properties: Object.fromEntries(SENTIMENTS.map((s) => [s, { type: 'number' }])),
} as const;

const triedSchema = {
  type: 'object',
  properties: {
    rules: { type: 'string', enum: ['saved', 'candidate'] },
    language: nullableString,
    classification: {
      type: 'object',
      properties: {
        complaint: { type: 'boolean' },
        complaintScore: { type: 'number' },
        sentiment: { type: 'string', enum: SENTIMENTS },
        sentimentScores: scores,
        intent: { type: 'string' },
        intentReason: { type: 'string' },
      },
    },
    priority: {
      type: 'object',
      properties: {
        level: { type: 'string', enum: PRIORITY_LEVELS },
        score: { type: 'number' },
        factors: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              factor: { type: 'string' },
              points: { type: 'number' },
              detail: { type: 'string' },
            },
          },
        },
      },
    },
    decision: {
      type: 'object',
      properties: {
        queue: { type: 'string' },
        team: nullableString,
        ignoreReason: nullableString,
        rule: ruleRefSchema,
      },
    },
    sla: {
      type: ['object', 'null'],
      description: 'The SLA policy a new conversation would get; null when ignored.',
      properties: {
        policyId: { type: 'string' },
        name: { type: 'string' },
        firstResponseMinutes: { type: ['number', 'null'] },
        businessHours: { type: 'boolean' },
      },
    },
  },
} as const;

const impactBody = {
  type: 'object',
  additionalProperties: false,
  not: { required: ['rules', 'rule'] },
  properties: {
    rules: candidateList,
    rule: {
      type: 'object',
      description: 'One candidate rule: replaces the saved rule with its id, else is added last.',
    },
    limit: {
      type: 'integer',
      minimum: 1,
      maximum: IMPACT_POSTS.max,
      default: IMPACT_POSTS.default,
      description: 'How many of the most recent routed posts to replay.',
    },
  },
} as const;

const destination = {
  type: 'object',
  properties: { queue: { type: 'string' }, team: nullableString },
} as const;
const impactSchema = {
  type: 'object',
  properties: {
    limit: { type: 'integer' },
    posts: { type: 'integer', description: 'Posts replayed (new conversations and ignored posts).' },
    changed: { type: 'integer', description: 'Of those, how many would go to another queue or team.' },
    destinations: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          ...destination.properties,
          actual: { type: 'integer', description: 'Routed here when stored.' },
          candidate: { type: 'integer', description: 'Would be routed here by the candidate rules.' },
        },
      },
    },
    examples: {
      type: 'array',
      maxItems: 10,
      items: {
        type: 'object',
        properties: {
          postId: { type: 'string' },
          excerpt: { type: 'string' },
          from: destination,
          to: destination,
          rule: ruleRefSchema,
        },
      },
    },
  },
} as const;

export type TryBody = {
  text: string;
  channel?: (typeof CHANNEL_KINDS)[number];
  followers?: number;
  public?: boolean;
  rules?: unknown[];
};
type ImpactBody = { rules?: unknown[]; rule?: object; limit?: number };

/** The API's sample post → the service's. */
export const sampleOf = (b: TryBody) => ({
  text: b.text,
  channelKind: b.channel,
  followers: b.followers,
  public: b.public,
});

export function routingTryRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = routingTryService(ctx.database.db);
  // Admins only, like every other routing-rules route: the answers name the saved rules.
  const preHandler = requireRole('admin');
  const tags = ['routing'];
  app.post(
    '/api/routing-rules/try',
    {
      preHandler,
      schema: {
        tags,
        summary: 'What the pipeline would decide for a sample post (nothing is stored)',
        body: tryBody,
        response: { 200: triedSchema },
      },
    },
    async (req: FastifyRequest<{ Body: TryBody }>) => service.tryPost(sampleOf(req.body), req.body.rules),
  );
  app.post(
    '/api/routing-rules/impact',
    {
      preHandler,
      schema: {
        tags,
        summary: 'Candidate rules replayed on the most recent routed posts: counts per queue and team',
        body: impactBody,
        response: { 200: impactSchema },
      },
    },
    async (req: FastifyRequest<{ Body: ImpactBody }>) => service.impact(req.body),
  );
}
