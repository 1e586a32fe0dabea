/**
 * The remove and move-up/down forms of an admin's ordered list page (routing rules, SLA policies:
 * first match wins), the page-side twin of ordered-list-routes.ts: the same service calls (remove,
 * reorder), then a redirect back to the list with a notice (303). A form for an item someone removed
 * meanwhile says so instead of failing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import { isDomainError } from '../domain/errors.ts';

export const pageItemParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

const text = { type: 'string', maxLength: 200 } as const;
const moveBody = {
  type: 'object',
  required: ['direction'],
  properties: { _csrf: text, direction: { type: 'string', enum: ['up', 'down'] } },
} as const;
const removeBody = { type: 'object', properties: { _csrf: text } } as const;

export interface OrderedListPage {
  /** e.g. '/app/settings/routing' */
  page: string;
  /** e.g. '/app/settings/routing/rules': items are at `${items}/:id`. */
  items: string;
  /** Prefix of the `?done=` notices: 'rule' → rule-removed, rule-moved, rule-gone. */
  notice: string;
  preHandler: preHandlerHookHandler;
  list(): Promise<{ id: string }[]>;
  remove(actorId: string, id: string): Promise<void>;
  reorder(actorId: string, ids: string[]): Promise<unknown>;
}

/** The ids in their new order, or null when the item cannot move that way (or is gone). */
export function moved(ids: readonly string[], id: string, direction: 'up' | 'down'): string[] | null {
  const i = ids.indexOf(id);
  const j = direction === 'up' ? i - 1 : i + 1;
  if (i < 0 || j < 0 || j >= ids.length) return null;
  const next = [...ids];
  [next[i], next[j]] = [next[j]!, next[i]!];
  return next;
}

/**
 * Runs a page form's action, then back to the page (303) with `done`, or with `gone` when the item
 * no longer exists (someone removed it meanwhile).
 */
export async function doneOrGone(
  reply: FastifyReply,
  pageWith: (done: string) => string,
  done: string,
  act: () => Promise<unknown>,
): Promise<FastifyReply> {
  try {
    await act();
    return reply.redirect(pageWith(done), 303);
  } catch (err) {
    if (isDomainError(err) && err.kind === 'not_found') return reply.redirect(pageWith('gone'), 303);
    throw err;
  }
}

export function orderedListPageRoutes(app: FastifyInstance, list: OrderedListPage): void {
  const pageWith = (done: string) => `${list.page}?done=${list.notice}-${done}`;
  const back = (reply: FastifyReply, done: string) => reply.redirect(pageWith(done), 303);
  const goneIsFine = (reply: FastifyReply, done: string, act: () => Promise<unknown>) =>
    doneOrGone(reply, pageWith, done, act);
  type Route = { Params: { id: string }; Body: { direction?: 'up' | 'down' } };

  app.post<Route>(
    `${list.items}/:id/remove`,
    { preHandler: list.preHandler, schema: { hide: true, params: pageItemParams, body: removeBody } },
    async (req, reply) => goneIsFine(reply, 'removed', () => list.remove(req.user!.id, req.params.id)),
  );
  app.post<Route>(
    `${list.items}/:id/move`,
    { preHandler: list.preHandler, schema: { hide: true, params: pageItemParams, body: moveBody } },
    async (req: FastifyRequest<Route>, reply) => {
      const ids = (await list.list()).map((i) => i.id);
      if (!ids.includes(req.params.id)) return back(reply, 'gone');
      const next = moved(ids, req.params.id, req.body.direction!);
      // first moved up or last moved down: nothing to change
      if (!next) return back(reply, 'moved');
      return goneIsFine(reply, 'moved', () => list.reorder(req.user!.id, next));
    },
  );
}
