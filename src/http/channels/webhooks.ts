/**
 * Platform webhooks: GET (verification handshakes) and POST /webhooks/:channelId. No session, no
 * CSRF; the raw body is kept as a Buffer (content-type parsers scoped to these routes) so the
 * adapter can check the platform's signature. A rejected delivery stores nothing.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type ChannelDeps, channelService } from '../../services/channels.ts';
import type { AppContext } from '../context.ts';

type Req = FastifyRequest<{ Params: { channelId: string }; Querystring: Record<string, string | undefined> }>;

const params = {
  type: 'object',
  required: ['channelId'],
  properties: { channelId: { type: 'string', format: 'uuid' } },
} as const;
const answer = { type: 'string', description: 'Handshake answer or acknowledgement' } as const;

export async function webhookRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  adapters?: ChannelDeps['adapters'],
): Promise<void> {
  const service = channelService({
    database: ctx.database,
    bus: ctx.bus,
    encryptionKey: ctx.config.encryptionKey,
    ...(adapters ? { adapters } : {}),
  });
  const handle = async (req: Req, reply: FastifyReply) => {
    const result = await service.webhook(req.params.channelId, {
      method: req.method,
      headers: req.headers,
      query: req.query,
      rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
    });
    if (result.kind === 'challenge') {
      return reply
        .status(result.status)
        .header('content-type', result.contentType ?? 'text/plain')
        .send(result.body);
    }
    if (result.kind === 'rejected') {
      return reply.status(result.status).send({ error: { code: result.code, message: result.message } });
    }
    return reply.status(200).header('content-type', 'text/plain').send('ok');
  };
  await app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: 1024 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    const config = { csrf: false };
    const schema = {
      tags: ['webhooks'],
      params,
      querystring: { type: 'object', additionalProperties: { type: 'string' } },
    };
    scope.get(
      '/webhooks/:channelId',
      { config, schema: { ...schema, summary: 'Webhook verification handshake', response: { 200: answer } } },
      handle,
    );
    scope.post(
      '/webhooks/:channelId',
      {
        config,
        schema: { ...schema, summary: 'Webhook delivery (signature verified by the channel adapter)' },
      },
      handle,
    );
  });
}
