/** Helpers shared by the community route modules: viewer, actor, form-or-JSON responses, schemas. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Db } from '../../db/client.ts';
import type { Mailer } from '../../lib/mailer.ts';
import type { Actor } from '../../services/community.ts';
import type { PageCache } from '../../services/community-cache.ts';
import { unreadCount } from '../../services/community-members.ts';
import { isModerator, isStaff } from '../../services/community-rules.ts';
import type { ForumViewer } from '../../web/community/layout.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { HttpError } from '../plugins/errors.ts';

export interface Forum {
  ctx: AppContext;
  db: Db;
  baseUrl: string;
  mailer: Mailer;
  cache: PageCache;
}

export const idParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: 9_007_199_254_740_991 } },
} as const;

export const okResponse = { 200: { type: 'object', additionalProperties: true } } as const;

export const pageQuery = {
  type: 'object',
  properties: { page: { type: 'integer', minimum: 1, maximum: 100_000, default: 1 } },
} as const;

export function wantsHtml(req: FastifyRequest): boolean {
  const type = req.headers['content-type'] ?? '';
  return (
    type.startsWith('application/x-www-form-urlencoded') || (req.method === 'GET' && !type.includes('json'))
  );
}

export async function viewerOf(forum: Forum, req: FastifyRequest): Promise<ForumViewer> {
  if (!req.user) return {};
  return { user: req.user, csrfToken: req.csrfToken, unread: await unreadCount(forum.db, req.user.id) };
}

export function actorOf(req: FastifyRequest): Actor {
  if (!req.user) throw new HttpError(401, 'unauthenticated', 'Sign in first.');
  return req.user;
}

export const perms = (req: FastifyRequest) => ({
  member: Boolean(req.user),
  staff: isStaff(req.user?.role),
  moderator: isModerator(req.user?.role),
});

/** Form posts redirect (303) back to a page; API calls get JSON. */
export function done(
  req: FastifyRequest,
  reply: FastifyReply,
  location: string,
  json: Record<string, unknown> = {},
) {
  if (wantsHtml(req)) return reply.redirect(location, 303);
  return reply.send({ ok: true, location, ...json });
}

export const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
} as const;

/**
 * Sends a page; anonymous GET pages are cached briefly (the key is the URL) and served from the
 * cache by `cachedPage` until they expire or a forum change is announced.
 */
export function page(forum: Forum, req: FastifyRequest, reply: FastifyReply, vnode: VNode, cacheable = true) {
  if (cacheable && !req.user && req.method === 'GET') {
    const html = `<!doctype html>${renderToString(vnode)}`;
    forum.cache.set(req.url, html, HTML_HEADERS['content-type']);
    return reply.status(200).headers(HTML_HEADERS).send(html);
  }
  return sendPage(reply, vnode);
}

/** Serves a cached anonymous page; returns true when it did. */
export function cachedPage(forum: Forum, req: FastifyRequest, reply: FastifyReply): boolean {
  if (req.user || req.method !== 'GET') return false;
  const hit = forum.cache.get(req.url);
  if (!hit) return false;
  void reply
    .status(200)
    .headers({ ...HTML_HEADERS, 'content-type': hit.type })
    .send(hit.body);
  return true;
}

export function render(vnode: VNode): string {
  return `<!doctype html>${renderToString(vnode)}`;
}
