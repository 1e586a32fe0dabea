/**
 * What the admin settings pages (routing rules, SLA policies, agents) share: their own Fastify scope,
 * so a refused form post (CSRF, role) gets an HTML page like the rest of the workspace; the GET of the
 * page with its `?done=` notice (looked up, never the query text itself); rendering the page again
 * for a refused form; the posted form's body schema; and reading the first problem a JSON API body
 * schema finds in what the form would save.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerHookHandler } from 'fastify';
import type { VNode } from 'preact';
import type { RefusedForm } from '../web/app/settings-forms.tsx';
import { sendPage } from '../web/render.ts';
import { formErrorHandler } from './inbox/form-errors.ts';

export type PostedForm = Record<string, string | string[] | undefined>;
export type PageExtra = { notice?: string; failed?: RefusedForm };
/** Shows the page with `extra`: a notice, a refused form, or what a page adds of its own (E). */
export type RenderPage<E extends PageExtra = PageExtra> = (
  req: FastifyRequest,
  reply: FastifyReply,
  extra: E,
  status?: number,
) => Promise<FastifyReply>;

export interface SettingsPage<E extends PageExtra = PageExtra> {
  path: string;
  /** Who may read the page (editing routes set their own). */
  viewers: preHandlerHookHandler;
  notices: Record<string, string>;
  /** Query parameters the page reads besides `done` (JSON schemas), e.g. a page of a list. */
  query?: Record<string, object>;
  render(req: FastifyRequest, extra: E): Promise<VNode> | VNode;
  /** The page's form routes, registered in its scope, with `page` to show it again. */
  routes(scope: FastifyInstance, page: RenderPage<E>): void;
}

export function settingsPageRoutes<E extends PageExtra = PageExtra>(
  app: FastifyInstance,
  settings: SettingsPage<E>,
): void {
  void app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler);
    const page: RenderPage<E> = async (req, reply, extra, status = 200) =>
      sendPage(reply, await settings.render(req, extra), status);
    scope.get<{ Querystring: { done?: string } }>(
      settings.path,
      {
        preHandler: settings.viewers,
        schema: {
          hide: true,
          querystring: { type: 'object', properties: { done: { type: 'string' }, ...settings.query } },
        },
      },
      async (req, reply) => page(req, reply, { notice: settings.notices[req.query.done ?? ''] } as E),
    );
    settings.routes(scope, page);
  });
}

/** The form as posted: strings, and arrays for checkbox groups (one value arrives as one string). */
export function postedFormBody(
  fields: readonly string[],
  isList: (field: string) => boolean,
  limits: { text: number; item: number; items: number },
) {
  const text = { type: 'string', maxLength: limits.text } as const;
  const list = {
    type: 'array',
    items: { type: 'string', maxLength: limits.item },
    maxItems: limits.items,
  } as const;
  return {
    type: 'object',
    properties: { _csrf: text, ...Object.fromEntries(fields.map((f) => [f, isList(f) ? list : text])) },
  } as const;
}

/** The first problem a JSON API's body schema finds in `value`: its JSON pointer and message; null when none. */
export function firstSchemaProblem(
  req: FastifyRequest,
  schema: object,
  value: unknown,
): { path: string; message: string } | null {
  const validate = req.compileValidationSchema(schema, 'body');
  if (validate(value)) return null;
  const [e] = validate.errors ?? [];
  const missing = e?.params?.missingProperty;
  return {
    path: e?.instancePath || (typeof missing === 'string' ? `/${missing}` : ''),
    message: e?.message ?? 'invalid',
  };
}
