/**
 * The ignored posts page, /app/ignored (admins, supervisors, moderators): the list with its filters and
 * counts, and a plain form per post restoring it through the same service as the API (audited as
 * `via: app`), then back (303) with a notice linking the conversation. A post someone restored
 * meanwhile says so instead of failing; a refused form (CSRF, role) gets an HTML page.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { canRestoreIgnoredPost } from '../../domain/roles.ts';
import { QUEUES, type QueueName } from '../../domain/types.ts';
import { ignoredPostsService } from '../../services/ignored-posts.ts';
import { restoreIgnoredPosts } from '../../services/ignored-posts-restore.ts';
import {
  IGNORED_PAGE_PATH,
  IgnoredPostsPage,
  ignoredHref,
  type RestoreNotice,
} from '../../web/app/ignored-posts-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { formErrorHandler } from '../inbox/form-errors.ts';
import { requireRole } from '../plugins/session.ts';
import { listQuery, RESTORERS, REVIEWERS, restoreBodyProperties } from './routes.ts';

type PageQuery = {
  reason?: string;
  channel?: string;
  before?: string;
  done?: string;
  conversation?: string;
  queue?: string;
};

const NOTICES: Record<string, string> = {
  already: 'That post was restored already: it is in a conversation now.',
  gone: 'That post is no longer among the ignored posts.',
  deleted: 'That post was deleted on the platform by its author: there is nothing to answer.',
  otherQueue:
    "Not restored: that post would join the customer's conversation in a queue you cannot restore to.",
};

const uuid = { type: 'string', format: 'uuid' } as const;
const pageQuery = {
  type: 'object',
  properties: {
    ...listQuery.properties,
    done: { type: 'string', maxLength: 20 },
    conversation: uuid,
    queue: { type: 'string', enum: [...QUEUES] },
  },
} as const;
const restoreForm = {
  type: 'object',
  required: ['postId'],
  properties: {
    _csrf: { type: 'string', maxLength: 200 },
    postId: uuid,
    ...restoreBodyProperties,
    intent: { type: 'string', enum: ['', ...restoreBodyProperties.intent.enum] },
    reason: listQuery.properties.reason,
    channel: listQuery.properties.channel,
  },
} as const;

function noticeOf(q: PageQuery): RestoreNotice | undefined {
  if ((q.done === 'restored' || q.done === 'joined') && q.conversation && q.queue) {
    return {
      kind: 'restored',
      conversationId: q.conversation,
      queue: q.queue as QueueName,
      joined: q.done === 'joined',
    };
  }
  const text = NOTICES[q.done ?? ''];
  return text ? { kind: 'text', text } : undefined;
}

export function ignoredPostsPageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = ignoredPostsService(ctx.database);
  void app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler);
    scope.get<{ Querystring: PageQuery }>(
      IGNORED_PAGE_PATH,
      { preHandler: requireRole(...REVIEWERS), schema: { hide: true, querystring: pageQuery } },
      async (req, reply) => {
        const { reason, channel, before } = req.query;
        const filter = { reason, channel, before };
        const [page, reasons] = await Promise.all([service.list(filter), service.counts()]);
        const role = req.user!.role;
        return sendPage(
          reply,
          IgnoredPostsPage({
            user: req.user!,
            csrfToken: req.csrfToken,
            posts: page.ignoredPosts,
            nextBefore: page.nextBefore,
            filter,
            reasons,
            queues: QUEUES.filter((q) => canRestoreIgnoredPost(role, q)),
            notice: noticeOf(req.query),
          }),
        );
      },
    );
    scope.post<{
      Body: { postId: string; queue?: string; intent?: string; reason?: string; channel?: string };
    }>(
      `${IGNORED_PAGE_PATH}/restore`,
      { preHandler: requireRole(...RESTORERS), schema: { hide: true, body: restoreForm } },
      async (
        req: FastifyRequest<{
          Body: { postId: string; queue?: string; intent?: string; reason?: string; channel?: string };
        }>,
        reply: FastifyReply,
      ) => {
        const { postId, queue, intent, reason, channel } = req.body;
        const back = (done: Record<string, string>) => {
          const href = ignoredHref({ reason, channel });
          return reply.redirect(`${href}${href.includes('?') ? '&' : '?'}${new URLSearchParams(done)}`, 303);
        };
        try {
          const [r] = await restoreIgnoredPosts(
            ctx.database,
            { id: req.user!.id, role: req.user!.role, via: 'app' },
            { postIds: [postId], ...(queue ? { queue } : {}), ...(intent ? { intent } : {}) },
          );
          return back({
            done: r!.conversation === 'joined' ? 'joined' : 'restored',
            conversation: r!.conversationId,
            queue: r!.queue,
          });
        } catch (err) {
          if (isDomainError(err) && err.code === 'already_restored') return back({ done: 'already' });
          if (isDomainError(err) && err.kind === 'not_found') return back({ done: 'gone' });
          if (isDomainError(err) && err.code === 'post_deleted') return back({ done: 'deleted' });
          if (isDomainError(err) && err.code === 'joins_other_queue') return back({ done: 'otherQueue' });
          throw err;
        }
      },
    );
  });
}
