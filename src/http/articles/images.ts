/** POST /api/articles/images: upload an image (raw body, image/* content type, at most 2 MB). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { articlesFor, EDITOR_ROLES } from '../../services/articles.ts';
import { MAX_IMAGE_BYTES } from '../../services/articles-write.ts';
import type { AppContext } from '../context.ts';
import { requireRole } from '../plugins/session.ts';

export function articleImageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const articles = articlesFor(ctx);
  // Encapsulated so the image body parser applies to this route only.
  app.register(async (scope) => {
    scope.addContentTypeParser(
      /^image\//,
      { parseAs: 'buffer', bodyLimit: MAX_IMAGE_BYTES },
      (_req, body, done) => done(null, body),
    );
    scope.post(
      '/api/articles/images',
      {
        preHandler: requireRole(...EDITOR_ROLES),
        bodyLimit: MAX_IMAGE_BYTES,
        schema: {
          tags: ['articles'],
          summary: 'Upload an image for an article (PNG, JPEG, GIF or WebP, at most 2 MB; raw body)',
          consumes: ['image/png', 'image/jpeg', 'image/gif', 'image/webp'],
          response: {
            201: {
              type: 'object',
              properties: {
                id: { type: 'string' },
                url: { type: 'string' },
                contentType: { type: 'string' },
                markdown: { type: 'string' },
              },
            },
          },
        },
      },
      async (req: FastifyRequest, reply) => {
        const body = req.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const image = await articles.uploadImage(bytes, req.headers['content-type'] ?? '', req.user!.id);
        return reply.status(201).send({ ...image, markdown: `![](${image.url})` });
      },
    );
  });
}
