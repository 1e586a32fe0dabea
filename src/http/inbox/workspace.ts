/** Every route of the agent workspace, registered by src/http/app.ts in one line. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context.ts';
import { conversationRoutes } from '../conversations/routes.ts';
import { realtimeRoutes } from '../realtime/routes.ts';
import { composerRoutes } from '../replies/composer-routes.ts';
import { replyRoutes } from '../replies/routes.ts';
import { appAssetRoutes } from './assets.ts';
import { formErrorHandler } from './form-errors.ts';
import { inboxRoutes } from './routes.ts';

export function workspaceRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Own scope: plain HTML form posts get an HTML error page (form-errors.ts); the rest falls through
  // to the app's JSON error handler.
  void app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler);
    appAssetRoutes(scope);
    inboxRoutes(scope, ctx);
    conversationRoutes(scope, ctx);
    replyRoutes(scope, ctx);
    composerRoutes(scope, ctx);
    realtimeRoutes(scope, ctx);
  });
}
