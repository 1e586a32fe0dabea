/**
 * The admin page for the composer settings, /app/settings/composer: guideline phrases (risk check) and
 * canned replies. Admins change them with plain HTML forms: each post is checked by the same rules as
 * the JSON API (settings.ts), then redirects back with a notice (303), or shows the page again with
 * the field errors and everything that was typed. Supervisors see the page read-only.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import type { FailedForm } from '../../web/app/composer-settings-page.tsx';
import { ComposerSettingsPage } from '../../web/app/composer-settings-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { formErrorHandler } from '../inbox/form-errors.ts';
import { requireRole } from '../plugins/session.ts';
import {
  cannedList,
  composerSettings,
  guidelineList,
  type Item,
  LIMITS,
  type ListSpec,
  SEVERITIES,
} from './settings.ts';

export const COMPOSER_SETTINGS_PAGE = '/app/settings/composer';

const LISTS = { guidelines: guidelineList, 'canned-replies': cannedList } as Record<ListName, ListSpec<Item>>;
type ListName = 'guidelines' | 'canned-replies';
type Action = 'added' | 'changed' | 'removed';

/** `?done=` → the notice shown (never the query text itself). */
const NOTICES: Record<string, string> = {};
for (const [list, noun] of [
  ['guidelines', 'Guideline'],
  ['canned-replies', 'Canned reply'],
] as const) {
  for (const action of ['added', 'changed', 'removed'] as const) {
    NOTICES[`${list}-${action}`] = `${noun} ${action === 'changed' ? 'saved' : action}.`;
  }
}

const text = { type: 'string', maxLength: 20_000 } as const;
const formBody = {
  type: 'object',
  properties: { _csrf: text, phrase: text, message: text, severity: text, title: text, body: text },
} as const;
const listParams = {
  type: 'object',
  required: ['list'],
  properties: {
    list: { type: 'string', enum: ['guidelines', 'canned-replies'] },
    id: { type: 'string', minLength: 1, maxLength: 200 },
  },
} as const;

type FormRoute = { Params: { list: ListName; id?: string }; Body: Record<string, string | undefined> };

export function composerSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Own scope: a refused form post (CSRF, role) gets an HTML page, like the rest of the workspace.
  void app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler);
    routes(scope, ctx);
  });
}

function routes(app: FastifyInstance, ctx: AppContext): void {
  const service = composerSettings(ctx.database.db);
  const viewers = { preHandler: requireRole('admin', 'supervisor') };
  const admin = { preHandler: requireRole('admin') };

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; failed?: FailedForm },
    status = 200,
  ) =>
    sendPage(
      reply,
      ComposerSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        guidelines: await service.list(guidelineList),
        cannedReplies: await service.list(cannedList),
        canEdit: req.user!.role === 'admin',
        limits: LIMITS,
        severities: SEVERITIES,
        ...extra,
      }),
      status,
    );

  const back = (reply: FastifyReply, list: ListName, action: Action) =>
    reply.redirect(`${COMPOSER_SETTINGS_PAGE}?done=${list}-${action}#${list}`, 303);

  app.get<{ Querystring: { done?: string } }>(
    COMPOSER_SETTINGS_PAGE,
    {
      ...viewers,
      schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string' } } } },
    },
    async (req, reply) => page(req, reply, { notice: NOTICES[req.query.done ?? ''] }),
  );

  /** Add (no id) or change (id): on a refused form, the page again with what was typed. */
  const save = async (req: FastifyRequest<FormRoute>, reply: FastifyReply) => {
    const { list, id } = req.params;
    const spec = LISTS[list];
    const typed = Object.fromEntries(spec.fields.map((f) => [f, req.body?.[f] ?? '']));
    try {
      if (id === undefined) await service.add(spec, req.user!.id, typed);
      else await service.update(spec, req.user!.id, id, typed);
      return back(reply, list, id === undefined ? 'added' : 'changed');
    } catch (err) {
      if (!isDomainError(err) || (err.kind !== 'invalid' && err.kind !== 'not_found')) throw err;
      const gone = err.kind === 'not_found';
      const failed: FailedForm = {
        list,
        // an item removed meanwhile: what was typed goes to the add form
        id: gone ? undefined : id,
        values: typed,
        errors: (err.details?.fields ?? {}) as Record<string, string>,
        message: gone ? `${err.message} What you typed is in the add form below.` : err.message,
      };
      return page(req, reply, { failed }, gone ? 404 : 400);
    }
  };

  app.post<FormRoute>(
    `${COMPOSER_SETTINGS_PAGE}/:list`,
    { ...admin, schema: { hide: true, params: listParams, body: formBody } },
    save,
  );
  app.post<FormRoute>(
    `${COMPOSER_SETTINGS_PAGE}/:list/:id`,
    { ...admin, schema: { hide: true, params: listParams, body: formBody } },
    save,
  );
  app.post<FormRoute>(
    `${COMPOSER_SETTINGS_PAGE}/:list/:id/remove`,
    { ...admin, schema: { hide: true, params: listParams, body: formBody } },
    async (req, reply) => {
      await service.remove(LISTS[req.params.list], req.user!.id, req.params.id!);
      return back(reply, req.params.list, 'removed');
    },
  );
}
