/** Serves the agent app's browser bundle (dist/web, built by Vite) and its stylesheet under /app/assets. */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { HttpError } from '../plugins/errors.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const DIST = join(ROOT, 'dist/web');
const CSS = fileURLToPath(new URL('../../web/app/app.css', import.meta.url));
const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export function appAssetRoutes(app: FastifyInstance): void {
  app.get<{ Params: { '*': string } }>('/app/assets/*', { schema: { hide: true } }, async (req, reply) => {
    const name = normalize(req.params['*']).replace(/^(\.\.[/\\])+/, '');
    const type = TYPES[extname(name)];
    if (!type || name.includes('..')) throw new HttpError(404, 'not_found', 'No such asset.');
    const file = name === 'app.css' ? CSS : join(DIST, name);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      // No bundle built: pages still work as plain forms; serve an empty script rather than a 404 page.
      if (name === 'client.js') return reply.header('content-type', type).send('');
      throw new HttpError(404, 'not_found', 'No such asset.');
    }
    return reply.header('content-type', type).header('cache-control', 'no-cache').send(body);
  });
}
