/**
 * Pipeline API: whether the triage pipeline keeps up (supervisors, admins), its dead letters
 * (supervisors, admins read — the list, one in full, its stored post as a JSON download; admins retry and
 * discard). Thin routes over services/pipeline-ops.ts; an unknown dead letter is 404
 * `dead_letter_not_found`, a malformed id 400 `invalid_request`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  DEAD_LETTER_PAGE,
  type OpsActor,
  payloadJson,
  pipelineOpsService,
} from '../../services/pipeline-ops.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

const nullable = (type: string) => ({ type: [type, 'null'] }) as const;
const dateTime = { type: 'string', format: 'date-time' } as const;

export const statusSchema = {
  type: 'object',
  properties: {
    at: { ...dateTime, description: "The database's clock when measured." },
    queued: { type: 'integer', description: 'Posts acknowledged and waiting for triage.' },
    queuedCapped: {
      type: 'boolean',
      description: 'A lane holds more than 250,000 posts: queued is a lower bound.',
    },
    oldestQueuedAt: { type: ['string', 'null'], format: 'date-time' },
    lagSeconds: {
      type: 'integer',
      description: 'How long the oldest post at the head of a lane has waited (0 when none is queued).',
    },
    lanes: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          lane: { type: 'integer' },
          queued: { type: 'integer' },
          oldestReceivedAt: { type: ['string', 'null'], format: 'date-time' },
        },
      },
    },
    deadLetters: { type: 'integer' },
    deadLettersCapped: { type: 'boolean' },
    storedLast5Minutes: {
      type: 'integer',
      description: 'Inbound posts stored that arrived in the last 5 minutes.',
    },
    storedLastHour: { type: 'integer', description: 'Inbound posts stored that arrived in the last hour.' },
    storedCapped: {
      type: 'boolean',
      description: 'More than 100,000 posts arrived in the last hour: the stored figures are lower bounds.',
    },
  },
} as const;

export const deadLetterSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    receivedAt: dateTime,
    failedAt: dateTime,
    error: { type: 'string' },
    post: {
      type: 'object',
      description: 'A summary of the stored post (fields are null when it does not have them).',
      properties: {
        type: { type: 'string', description: "JSON type of the stored post ('object' for a post)." },
        channelKind: nullable('string'),
        channelId: nullable('string'),
        authorHandle: nullable('string'),
        externalId: nullable('string'),
        text: { type: ['string', 'null'], description: 'The first 200 characters.' },
      },
    },
  },
} as const;

export const deadLetterRecordSchema = {
  type: 'object',
  properties: {
    ...deadLetterSchema.properties,
    payload: {
      description:
        'The stored post exactly as kept (any JSON: a dead letter is often not a well-formed post).',
    },
  },
} as const;

export const deadLetterParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: Number.MAX_SAFE_INTEGER } },
} as const;

const pageQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    before: {
      type: 'integer',
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'nextBefore of the previous page',
    },
    limit: { type: 'integer', minimum: 1, maximum: DEAD_LETTER_PAGE.max, default: DEAD_LETTER_PAGE.default },
  },
} as const;

type IdRoute = { Params: { id: number } };
const apiActor = (req: FastifyRequest): OpsActor => ({ id: req.user!.id, via: 'api' });

export function pipelineRoutes(app: FastifyInstance, ctx: AppContext): void {
  const ops = pipelineOpsService(ctx.database.db);
  const readers = requireRole('admin', 'supervisor');
  const admin = requireRole('admin');
  const tags = ['pipeline'];

  app.get(
    '/api/pipeline/status',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Whether the triage pipeline keeps up: queued, lag, stored lately, dead letters',
        response: { 200: statusSchema },
      },
    },
    async () => ops.status(),
  );
  app.get(
    '/api/pipeline/dead-letters',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'Posts the pipeline could not store, newest first (keyset pages)',
        querystring: pageQuery,
        response: {
          200: {
            type: 'object',
            properties: {
              deadLetters: { type: 'array', items: deadLetterSchema },
              nextBefore: { type: ['integer', 'null'] },
            },
          },
        },
      },
    },
    async (req: FastifyRequest<{ Querystring: { before?: number; limit?: number } }>) =>
      ops.deadLetters(req.query),
  );
  app.get(
    '/api/pipeline/dead-letters/:id',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'One dead letter in full: its fields, summary and the stored post (payload)',
        params: deadLetterParams,
        response: { 200: { type: 'object', properties: { deadLetter: deadLetterRecordSchema } } },
      },
    },
    async (req: FastifyRequest<IdRoute>) => ({ deadLetter: await ops.deadLetter(req.params.id) }),
  );
  app.get(
    '/api/pipeline/dead-letters/:id/payload',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: "A dead letter's stored post as a JSON file to download (dead-letter-ID.json)",
        params: deadLetterParams,
      },
    },
    async (req: FastifyRequest<IdRoute>, reply) => {
      const { id, payload } = await ops.deadLetter(req.params.id);
      return reply
        .header('content-type', 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="dead-letter-${id}.json"`)
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'private, no-store') // a stored post can be a private message
        .send(payloadJson(payload));
    },
  );
  app.post(
    '/api/pipeline/dead-letters/:id/retry',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Queue a dead letter again (with its original arrival time); validated again when drained',
        params: deadLetterParams,
        response: { 200: { type: 'object', properties: { deadLetter: deadLetterSchema } } },
      },
    },
    async (req: FastifyRequest<IdRoute>) => ({ deadLetter: await ops.retry(apiActor(req), req.params.id) }),
  );
  app.post(
    '/api/pipeline/dead-letters/retry-all',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Queue again every dead letter, or those with exactly this error',
        body: {
          type: 'object',
          additionalProperties: false,
          properties: { error: { type: 'string', minLength: 1, maxLength: 1000 } },
        },
        response: { 200: { type: 'object', properties: { retried: { type: 'integer' } } } },
      },
    },
    async (req: FastifyRequest<{ Body: { error?: string } | undefined }>) => ({
      retried: await ops.retryAll(apiActor(req), { error: req.body?.error }),
    }),
  );
  app.delete(
    '/api/pipeline/dead-letters/:id',
    {
      preHandler: admin,
      schema: {
        tags,
        summary: 'Discard a dead letter (audited)',
        params: deadLetterParams,
        response: { 204: { type: 'null' } },
      },
    },
    async (req: FastifyRequest<IdRoute>, reply) => {
      await ops.discard(apiActor(req), req.params.id);
      return reply.status(204).send();
    },
  );
}
