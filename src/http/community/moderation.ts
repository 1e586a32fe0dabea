/** Moderation routes: flags, review queue, approve, hide/unhide, topic tools, merge/split, sanctions. */
import type { FastifyInstance } from 'fastify';
import { communityRepository } from '../../db/repositories/community.ts';
import { markdownExcerpt } from '../../lib/markdown.ts';
import {
  approvePost,
  flagPost,
  hidePost,
  mergeTopics,
  resolveFlag,
  reviewQueue,
  sanctionMember,
  splitTopic,
  updateTopic,
} from '../../services/community-moderation.ts';
import { ReviewQueuePage } from '../../web/community/member.tsx';
import { sendPage } from '../../web/render.ts';
import { actorOf, done, type Forum, idParams, okResponse, viewerOf } from './shared.ts';

const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const form = (props: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', required, properties: { _csrf: str(200), ...props } }) as const;
const bool = { type: 'string', enum: ['true', 'false'] } as const;

export function moderationRoutes(app: FastifyInstance, forum: Forum): void {
  const { db, baseUrl } = forum;
  const repo = communityRepository(db);
  const tags = ['community moderation'];
  const backToPost = async (id: number) => {
    const post = await repo.postById(id);
    return post ? `/community/t/topic/${post.topicId}?post=${post.postNumber}` : '/community/review';
  };

  app.post<{ Params: { id: number }; Body: { reason: string; note?: string } }>(
    '/community/posts/:id/flag',
    {
      schema: {
        tags,
        summary: 'Flag a post for moderators',
        params: idParams,
        body: form({ reason: str(40), note: str(500) }, ['reason']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await flagPost(db, actorOf(req), req.params.id, req.body.reason, req.body.note);
      return done(req, reply, await backToPost(req.params.id));
    },
  );

  app.get('/community/review', { schema: { hide: true } }, async (req, reply) => {
    const { flags, pending } = await reviewQueue(db, actorOf(req));
    return sendPage(
      reply,
      ReviewQueuePage({
        viewer: await viewerOf(forum, req),
        flags: flags.map((f) => ({
          id: f.flag.id,
          postId: f.flag.postId,
          topicId: f.topicId,
          reason: f.flag.reason,
          note: f.flag.note,
          excerpt: markdownExcerpt(f.body, 160),
        })),
        pending: pending.map((p) => ({
          id: p.post.id,
          topicId: p.post.topicId,
          title: p.title,
          author: p.author,
          excerpt: markdownExcerpt(p.post.body, 160),
        })),
      }),
    );
  });

  app.post<{ Params: { id: number }; Body: { decision: 'agree' | 'dismiss' } }>(
    '/community/flags/:id/resolve',
    {
      schema: {
        tags,
        summary: 'Resolve a flag',
        params: idParams,
        body: form({ decision: { type: 'string', enum: ['agree', 'dismiss'] } }, ['decision']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await resolveFlag(db, actorOf(req), req.params.id, req.body.decision);
      return done(req, reply, '/community/review');
    },
  );

  app.post<{ Params: { id: number } }>(
    '/community/posts/:id/approve',
    {
      schema: {
        tags,
        summary: 'Approve a pending post',
        params: idParams,
        body: form({}),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await approvePost(db, actorOf(req), req.params.id, baseUrl);
      return done(req, reply, await backToPost(req.params.id));
    },
  );

  app.post<{ Params: { id: number }; Body: { hidden: string; reason?: string } }>(
    '/community/posts/:id/hide',
    {
      schema: {
        tags,
        summary: 'Hide or unhide a post (a neutral notice shows publicly)',
        params: idParams,
        body: form({ hidden: bool, reason: str(300) }, ['hidden']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await hidePost(db, actorOf(req), req.params.id, req.body.hidden === 'true', req.body.reason ?? '');
      return done(req, reply, await backToPost(req.params.id));
    },
  );

  app.post<{
    Params: { id: number };
    Body: { locked?: string; pinned?: string; slowModeSeconds?: number; categoryId?: number };
  }>(
    '/community/t/:id/moderate',
    {
      schema: {
        tags,
        summary: 'Lock, pin, slow mode or move a topic',
        params: idParams,
        body: form({
          locked: bool,
          pinned: bool,
          slowModeSeconds: { type: 'integer', minimum: 0, maximum: 86_400 },
          categoryId: { type: 'integer', minimum: 1 },
        }),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const b = req.body;
      await updateTopic(db, actorOf(req), req.params.id, {
        locked: b.locked === undefined ? undefined : b.locked === 'true',
        pinned: b.pinned === undefined ? undefined : b.pinned === 'true',
        slowModeSeconds: b.slowModeSeconds,
        categoryId: b.categoryId,
      });
      return done(req, reply, `/community/t/topic/${req.params.id}`);
    },
  );

  app.post<{ Params: { id: number }; Body: { targetId: number } }>(
    '/community/t/:id/merge',
    {
      schema: {
        tags,
        summary: 'Merge this topic into another',
        params: idParams,
        body: form({ targetId: { type: 'integer', minimum: 1 } }, ['targetId']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await mergeTopics(db, actorOf(req), req.params.id, req.body.targetId);
      return done(req, reply, `/community/t/topic/${req.body.targetId}`);
    },
  );

  app.post<{ Params: { id: number }; Body: { postIds: string; title: string } }>(
    '/community/t/:id/split',
    {
      schema: {
        tags,
        summary: 'Split replies into a new topic',
        params: idParams,
        body: form({ postIds: str(2000), title: str(1000) }, ['postIds', 'title']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const ids = req.body.postIds
        .split(/[,\s]+/)
        .map(Number)
        .filter((n) => Number.isSafeInteger(n) && n > 0);
      const topic = await splitTopic(db, actorOf(req), req.params.id, ids, req.body.title);
      return done(req, reply, `/community/t/${topic.slug}/${topic.id}`, { topicId: topic.id });
    },
  );

  app.post<{
    Params: { username: string };
    Body: { kind: 'warning' | 'suspension'; reason: string; days?: number };
  }>(
    '/community/u/:username/sanction',
    {
      schema: {
        tags,
        summary: 'Warn or suspend a member (delivered privately, logged)',
        params: { type: 'object', properties: { username: str(40) } },
        body: form(
          {
            kind: { type: 'string', enum: ['warning', 'suspension'] },
            reason: str(1000),
            days: { type: 'integer', minimum: 1, maximum: 365 },
          },
          ['kind', 'reason'],
        ),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const topic = await sanctionMember(db, baseUrl, actorOf(req), {
        username: req.params.username,
        ...req.body,
      });
      return done(req, reply, `/community/u/${req.params.username}`, { messageTopicId: topic.id });
    },
  );
}
