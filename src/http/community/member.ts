/** Member actions: sign-up, email confirmation, posting, votes, answers, follows, edits, messages. */
import type { FastifyInstance } from 'fastify';
import { communityRepository } from '../../db/repositories/community.ts';
import { isDomainError, NotFoundError } from '../../domain/errors.ts';
import { articlesFor } from '../../services/articles.ts';
import { createTopic, replyToTopic } from '../../services/community.ts';
import {
  acceptAnswer,
  editPost,
  markOfficial,
  postRevisions,
  setFollow,
  startPrivateMessage,
  vote,
} from '../../services/community-actions.ts';
import {
  listNotifications,
  markNotificationsRead,
  signUpMember,
  verifyEmail,
} from '../../services/community-members.ts';
import { isModerator } from '../../services/community-rules.ts';
import { similarTopics } from '../../services/community-search.ts';
import {
  EditPostPage,
  NewMessagePage,
  NewTopicPage,
  RevisionsPage,
  SignupPage,
} from '../../web/community/forms.tsx';
import { MessagesPage, NotificationsPage } from '../../web/community/member.tsx';
import { sendPage } from '../../web/render.ts';
import { actorOf, done, type Forum, idParams, okResponse, viewerOf, wantsHtml } from './shared.ts';

const str = (max: number) => ({ type: 'string', maxLength: max }) as const;
const form = (props: Record<string, unknown>, required: string[] = []) =>
  ({ type: 'object', required, properties: { _csrf: str(200), ...props } }) as const;
// Bodies are validated by the service (a friendly error), the schema only caps the size generously.
const BODY = str(100_000);

export function memberRoutes(app: FastifyInstance, forum: Forum): void {
  const { db, baseUrl } = forum;
  const repo = communityRepository(db);
  const tags = ['community'];
  const loginFirst = (path: string) => `/login?next=${encodeURIComponent(path)}`;

  app.get('/community/signup', { schema: { hide: true } }, async (req, reply) =>
    sendPage(reply, SignupPage({ viewer: { csrfToken: req.csrfToken } })),
  );

  app.post<{ Body: { email: string; password: string; username: string; displayName: string } }>(
    '/community/signup',
    {
      schema: {
        tags,
        summary: 'Join the community (sends a confirmation email)',
        body: form({ email: str(254), password: str(1024), username: str(60), displayName: str(200) }, [
          'email',
          'password',
          'username',
          'displayName',
        ]),
        response: okResponse,
      },
    },
    async (req, reply) => {
      try {
        const user = await signUpMember(
          db,
          { accounts: forum.ctx.accounts, mailer: forum.mailer, baseUrl },
          req.body,
        );
        if (wantsHtml(req))
          return sendPage(reply, SignupPage({ viewer: { csrfToken: req.csrfToken }, done: true }), 201);
        return reply.status(201).send({ ok: true, userId: user.id });
      } catch (err) {
        if (!wantsHtml(req) || !isDomainError(err)) throw err;
        const { password: _p, ...values } = req.body;
        return sendPage(
          reply,
          SignupPage({ viewer: { csrfToken: req.csrfToken }, error: err.message, values }),
          400,
        );
      }
    },
  );

  app.get<{ Querystring: { token: string } }>(
    '/community/verify',
    {
      schema: {
        hide: true,
        querystring: { type: 'object', required: ['token'], properties: { token: str(100) } },
      },
    },
    async (req, reply) => {
      const userId = await verifyEmail(db, req.query.token);
      await forum.ctx.accounts.userChanged(userId);
      return reply.redirect('/login?next=/community', 303);
    },
  );

  app.get<{ Querystring: { title?: string; body?: string; categoryId?: number; tags?: string } }>(
    '/community/new',
    {
      schema: {
        hide: true,
        querystring: {
          type: 'object',
          properties: {
            title: str(150),
            body: str(20_000),
            categoryId: { type: 'integer' },
            tags: str(200),
            _csrf: str(200),
          },
        },
      },
    },
    async (req, reply) => {
      if (!req.user) return reply.redirect(loginFirst('/community/new'), 303);
      const title = req.query.title;
      const [similar, articles] = title
        ? await Promise.all([similarTopics(db, title), articlesFor(forum.ctx).suggestArticles(title, 3)])
        : [undefined, undefined];
      return sendPage(
        reply,
        NewTopicPage({
          viewer: await viewerOf(forum, req),
          categories: await repo.categories(),
          values: req.query,
          similar,
          articles,
        }),
      );
    },
  );

  app.post<{ Body: { title: string; body: string; categoryId?: number; tags?: string } }>(
    '/community/topics',
    {
      schema: {
        tags,
        summary: 'Ask a question (new topic)',
        body: form({ title: str(1000), body: BODY, categoryId: { type: 'integer' }, tags: str(200) }, [
          'title',
          'body',
        ]),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const actor = actorOf(req);
      try {
        const r = await createTopic(db, baseUrl, actor, {
          ...req.body,
          categoryId: req.body.categoryId ?? null,
        });
        return done(req, reply, `/community/t/${r.topic.slug}/${r.topic.id}`, {
          topicId: r.topic.id,
          postId: r.post.id,
          pending: r.pending,
        });
      } catch (err) {
        if (!wantsHtml(req) || !isDomainError(err) || err.kind !== 'invalid') throw err;
        return sendPage(
          reply,
          NewTopicPage({
            viewer: await viewerOf(forum, req),
            categories: await repo.categories(),
            values: req.body,
            error: err.message,
          }),
          400,
        );
      }
    },
  );

  app.post<{ Params: { id: number }; Body: { body: string; replyToPostId?: number } }>(
    '/community/t/:id/replies',
    {
      schema: {
        tags,
        summary: 'Reply in a topic or private message',
        params: idParams,
        body: form({ body: BODY, replyToPostId: { type: 'integer' } }, ['body']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const r = await replyToTopic(db, baseUrl, actorOf(req), req.params.id, req.body);
      return done(req, reply, `/community/t/${r.topic.slug}/${r.topic.id}?post=${r.post.postNumber}`, {
        postId: r.post.id,
        pending: r.pending,
      });
    },
  );

  app.post<{ Params: { id: number }; Body: { value: number } }>(
    '/community/posts/:id/vote',
    {
      schema: {
        tags,
        summary: 'Vote on a post (1, -1, 0 to withdraw)',
        params: idParams,
        body: form({ value: { type: 'integer', enum: [1, -1, 0] } }, ['value']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const score = await vote(db, actorOf(req), req.params.id, req.body.value as 1 | -1 | 0);
      const post = await repo.postById(req.params.id);
      return done(req, reply, `/community/t/topic/${post!.topicId}?post=${post!.postNumber}`, { score });
    },
  );

  for (const [path, summary] of [
    ['accept', 'Accept an answer (asker or staff)'],
    ['official', 'Mark the official answer (staff)'],
  ] as const) {
    app.post<{ Params: { id: number }; Body: { undo?: string } }>(
      `/community/posts/:id/${path}`,
      { schema: { tags, summary, params: idParams, body: form({ undo: str(5) }), response: okResponse } },
      async (req, reply) => {
        const actor = actorOf(req);
        const undo = req.body?.undo === 'true';
        if (path === 'accept') {
          const post = await repo.postById(req.params.id);
          await acceptAnswer(db, actor, undo ? null : req.params.id, post?.topicId);
        } else await markOfficial(db, actor, req.params.id, !undo);
        const post = (await repo.postById(req.params.id))!;
        return done(req, reply, `/community/t/topic/${post.topicId}?post=${post.postNumber}`);
      },
    );
  }

  app.post<{ Params: { id: number }; Body: { follow: string } }>(
    '/community/t/:id/follow',
    {
      schema: {
        tags,
        summary: 'Follow or stop following a topic',
        params: idParams,
        body: form({ follow: { type: 'string', enum: ['true', 'false'] } }, ['follow']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await setFollow(db, actorOf(req), req.params.id, req.body.follow === 'true');
      return done(req, reply, `/community/t/topic/${req.params.id}`);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/community/posts/:id/edit',
    { schema: { hide: true, params: idParams } },
    async (req, reply) => {
      const actor = actorOf(req);
      const post = await repo.postById(req.params.id);
      if (!post || (post.authorId !== actor.id && !isModerator(actor.role)))
        throw new NotFoundError('post_not_found', 'No such post.');
      return sendPage(
        reply,
        EditPostPage({
          viewer: await viewerOf(forum, req),
          postId: post.id,
          body: post.body,
          needsReason: post.authorId !== actor.id,
        }),
      );
    },
  );

  app.post<{ Params: { id: number }; Body: { body: string; reason?: string } }>(
    '/community/posts/:id/edit',
    {
      schema: {
        tags,
        summary: 'Edit a post (revision kept; moderators give a reason)',
        params: idParams,
        body: form({ body: BODY, reason: str(300) }, ['body']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      await editPost(db, actorOf(req), req.params.id, req.body);
      const post = (await repo.postById(req.params.id))!;
      return done(req, reply, `/community/t/topic/${post.topicId}?post=${post.postNumber}`);
    },
  );

  app.get<{ Params: { id: number } }>(
    '/community/posts/:id/revisions',
    { schema: { hide: true, params: idParams } },
    async (req, reply) => {
      const { topic, revisions } = await postRevisions(db, req.user, req.params.id);
      return sendPage(
        reply,
        RevisionsPage({
          viewer: await viewerOf(forum, req),
          back: `/community/t/${topic.slug}/${topic.id}`,
          revisions: revisions.map((r) => ({
            revision: r.r.revision,
            body: r.r.body,
            reason: r.r.reason,
            editor: r.editor,
            at: r.r.createdAt,
          })),
        }),
      );
    },
  );

  app.get('/community/notifications', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return reply.redirect(loginFirst('/community/notifications'), 303);
    const rows = await listNotifications(db, req.user.id);
    const viewer = await viewerOf(forum, req);
    await markNotificationsRead(db, req.user.id);
    const items = rows.map((r) => ({
      id: r.n.id,
      kind: r.n.kind,
      text: r.n.text,
      read: Boolean(r.n.readAt),
      at: r.n.createdAt,
      title: r.topicTitle,
      href: r.n.topicId ? `/community/t/${r.topicSlug ?? 'topic'}/${r.n.topicId}` : undefined,
    }));
    return sendPage(reply, NotificationsPage({ viewer, items }));
  });

  app.get('/community/messages', { schema: { hide: true } }, async (req, reply) => {
    if (!req.user) return reply.redirect(loginFirst('/community/messages'), 303);
    return sendPage(
      reply,
      MessagesPage({ viewer: await viewerOf(forum, req), items: await repo.messagesOf(req.user.id) }),
    );
  });

  app.get<{ Querystring: { to?: string } }>(
    '/community/messages/new',
    { schema: { hide: true, querystring: { type: 'object', properties: { to: str(200) } } } },
    async (req, reply) => {
      if (!req.user) return reply.redirect(loginFirst('/community/messages/new'), 303);
      return sendPage(reply, NewMessagePage({ viewer: await viewerOf(forum, req), to: req.query.to }));
    },
  );

  app.post<{ Body: { to: string; title: string; body: string } }>(
    '/community/messages',
    {
      schema: {
        tags,
        summary: 'Send a private message',
        body: form({ to: str(400), title: str(1000), body: BODY }, ['to', 'title', 'body']),
        response: okResponse,
      },
    },
    async (req, reply) => {
      const topic = await startPrivateMessage(db, baseUrl, actorOf(req), {
        ...req.body,
        to: req.body.to.split(/[,\s]+/),
      });
      return done(req, reply, `/community/t/message/${topic.id}`, { topicId: topic.id });
    },
  );
}
