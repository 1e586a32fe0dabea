/**
 * The delete and reorder routes of an admin's ordered list (routing rules, SLA policies: first match
 * wins), so both lists answer the same way: 204 on delete, the whole list in its new order on reorder.
 */
import type { FastifyInstance, FastifyRequest, preHandlerHookHandler } from 'fastify';

export const uuidParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export interface OrderedList {
  /** e.g. '/api/routing-rules' */
  path: string;
  tags: string[];
  preHandler: preHandlerHookHandler;
  /** Summaries for the OpenAPI document. */
  deleteSummary: string;
  reorderSummary: string;
  /** Response key of the reordered list, and the schema of one item. */
  listKey: string;
  itemSchema: object;
  remove(actorId: string, id: string): Promise<void>;
  reorder(actorId: string, ids: string[]): Promise<unknown[]>;
}

export function orderedListRoutes(app: FastifyInstance, list: OrderedList): void {
  const { tags, preHandler } = list;
  app.delete(
    `${list.path}/:id`,
    {
      preHandler,
      schema: { tags, summary: list.deleteSummary, params: uuidParams, response: { 204: { type: 'null' } } },
    },
    async (req: FastifyRequest<{ Params: { id: string } }>, reply) => {
      await list.remove(req.user!.id, req.params.id);
      return reply.status(204).send();
    },
  );
  app.post(
    `${list.path}/reorder`,
    {
      preHandler,
      schema: {
        tags,
        summary: list.reorderSummary,
        body: {
          type: 'object',
          required: ['ids'],
          additionalProperties: false,
          properties: { ids: { type: 'array', items: { type: 'string', format: 'uuid' }, maxItems: 1000 } },
        },
        response: {
          200: { type: 'object', properties: { [list.listKey]: { type: 'array', items: list.itemSchema } } },
        },
      },
    },
    async (req: FastifyRequest<{ Body: { ids: string[] } }>) => ({
      [list.listKey]: await list.reorder(req.user!.id, req.body.ids),
    }),
  );
}
