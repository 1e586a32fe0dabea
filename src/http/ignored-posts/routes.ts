/**
 * Ignored posts API: the posts triage routed to `ignore`, for admins, supervisors and moderators
 * (newest first, keyset pages, filters, counts per reason for 7 days), and restoring them into a queue
 * (admins and supervisors any queue, moderators moderation only). Thin routes over
 * services/ignored-posts.ts and services/ignored-posts-restore.ts; an unknown post is 404
 * `ignored_post_not_found`, one restored already 409 `already_restored`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { COUNT_CAP, EXCERPT_CHARS } from '../../db/repositories/ignored-posts.ts';
import { RESTORE_INTENTS, RESTORE_MAX_POSTS } from '../../domain/ignored-posts.ts';
import { IGNORED_POST_REVIEWERS } from '../../domain/roles.ts';
import { CHANNEL_KINDS, QUEUES } from '../../domain/types.ts';
import { IGNORED_PAGE, type IgnoredQuery, ignoredPostsService } from '../../services/ignored-posts.ts';
import { restoreIgnoredPosts } from '../../services/ignored-posts-restore.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const REVIEWERS = IGNORED_POST_REVIEWERS;
export const RESTORERS = REVIEWERS;

export const ignoredPostSchema = {
  type: 'object',
  properties: {
    postId: { type: 'string', format: 'uuid' },
    channelKind: { type: 'string' },
    channelName: nullable('string'),
    authorHandle: { type: 'string' },
    authorName: nullable('string'),
    deletedAt: {
      type: ['string', 'null'],
      format: 'date-time',
      description: 'Deleted on the platform by its author: it cannot be restored.',
    },
    text: { type: 'string', description: `The first ${EXCERPT_CHARS} characters (… ends a cut text).` },
    url: { ...nullable('string'), description: 'The original on its platform, where it has one.' },
    postedAt: { ...dateTime, description: "The platform's time." },
    receivedAt: { ...dateTime, description: 'When Earshot received it.' },
    ignoredAt: dateTime,
    reason: { type: 'string' },
    ruleId: {
      ...nullable('string'),
      description: 'The routing rule that ignored it; null: the default policy.',
    },
    ruleName: { ...nullable('string'), description: "The rule's current name; null when deleted since." },
    ignoredBy: {
      type: 'string',
      description: 'The rule\'s name, "default policy" or "a rule since deleted".',
    },
    intent: nullable('string'),
    sentiment: nullable('string'),
    complaintScore: nullable('number'),
    language: nullable('string'),
    cursor: { type: 'string', description: "This post's position, for `before`." },
  },
} as const;

export const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    before: { type: 'string', maxLength: 60, description: 'nextBefore of the previous page' },
    limit: { type: 'integer', minimum: 1, maximum: IGNORED_PAGE.max, default: IGNORED_PAGE.default },
    reason: { type: 'string', minLength: 1, maxLength: 200 },
    channel: { type: 'string', enum: [...CHANNEL_KINDS], description: 'Channel kind' },
  },
} as const;

export const restoreBodyProperties = {
  queue: { type: 'string', enum: [...QUEUES], default: 'support' },
  intent: {
    type: 'string',
    enum: RESTORE_INTENTS,
    description:
      'The corrected intent (recorded as a training label when it differs from the classifier). Default: ' +
      'the classified one when the default policy sends it to the queue, else complaint (support), lead ' +
      '(marketing), other (moderation).',
  },
} as const;

export const restoredSchema = {
  type: 'object',
  properties: {
    postId: { type: 'string' },
    conversationId: { type: 'string' },
    conversation: { type: 'string', enum: ['opened', 'joined'] },
    queue: { type: 'string' },
    intent: { type: 'string' },
    assigneeId: nullable('string'),
  },
} as const;

export function ignoredPostRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = ignoredPostsService(ctx.database);
  const tags = ['ignored posts'];
  app.get(
    '/api/ignored-posts',
    {
      preHandler: requireRole(...REVIEWERS),
      schema: {
        tags,
        summary: 'Posts triage ignored, newest first (keyset pages), and counts per reason for 7 days',
        querystring: listQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              ignoredPosts: { type: 'array', items: ignoredPostSchema },
              nextBefore: nullable('string'),
              reasons: {
                type: 'object',
                description: `Posts ignored per reason in the last 7 days (of at most the newest ${COUNT_CAP + 1}).`,
                properties: {
                  days: { type: 'integer' },
                  counts: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { reason: { type: 'string' }, count: { type: 'integer' } },
                    },
                  },
                  capped: { type: 'boolean', description: 'The counts are lower bounds.' },
                },
              },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: IgnoredQuery }>) => {
      const [page, reasons] = await Promise.all([service.list(req.query), service.counts()]);
      return { ...page, reasons };
    },
  );
  app.post(
    '/api/ignored-posts/restore',
    {
      preHandler: requireRole(...RESTORERS),
      schema: {
        tags,
        summary:
          'Restore ignored posts: each opens a conversation in the queue (or joins its thread or contact’s), all or none',
        body: {
          type: 'object',
          required: ['postIds'],
          additionalProperties: false,
          properties: {
            postIds: {
              type: 'array',
              minItems: 1,
              maxItems: RESTORE_MAX_POSTS,
              items: { type: 'string', format: 'uuid' },
            },
            ...restoreBodyProperties,
          },
        },
        response: {
          200: { type: 'object', properties: { restored: { type: 'array', items: restoredSchema } } },
        },
      },
    },
    async (req: FastifyRequest<{ Body: { postIds: string[]; queue?: string; intent?: string } }>) => ({
      restored: await restoreIgnoredPosts(
        ctx.database,
        { id: req.user!.id, role: req.user!.role, via: 'api' },
        req.body,
      ),
    }),
  );
}
