/**
 * Knowledge base and blog. Public pages: /kb, /kb/category/:slug, /kb/:slug, /blog, /blog/:slug,
 * /blog/feed.xml (RSS), /blog/atom.xml, /kb/images/:id, /search. Editors: /api/articles/* and the editor pages /app/articles/*.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { articleApiRoutes } from './api.ts';
import { articleEditorRoutes } from './editor.ts';
import { publicArticleRoutes } from './public.ts';
import { searchRoutes } from './search.ts';

export function articleRoutes(app: FastifyInstance, ctx: AppContext): void {
  publicArticleRoutes(app, ctx);
  searchRoutes(app, ctx);
  articleApiRoutes(app, ctx);
  articleEditorRoutes(app, ctx);
}
