/**
 * The admin page for routing rules, /app/settings/routing: the rules in order (first match wins) and
 * the default policy. Plain HTML forms; each post goes through the same routing service as the JSON API
 * (/api/routing-rules: validated by the domain's rule schema, audited, announced to the pipeline), then
 * redirects back with a notice (303), or shows the page again with the field errors and everything
 * that was typed. Admins only, like the API.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import type { RuleProblem } from '../../domain/routing.ts';
import { channelService } from '../../services/channels.ts';
import { DEFAULT_POLICY, routingService } from '../../services/routing.ts';
import { routingTryService } from '../../services/routing-try.ts';
import { type RefusedForm, RoutingSettingsPage } from '../../web/app/routing-settings-page.tsx';
import type { ImpactPreview, TriedForm } from '../../web/app/routing-try.tsx';
import { sentence } from '../../web/app/settings-forms.tsx';
import type { AppContext } from '../context.ts';
import { orderedListPageRoutes, pageItemParams } from '../ordered-list-pages.ts';
import { requireRole } from '../plugins/session.ts';
import {
  type PageExtra,
  type PostedForm,
  postedFormBody,
  type RenderPage,
  settingsPageRoutes,
} from '../settings-pages.ts';
import {
  fieldOfProblem,
  NEW_RULE,
  postedValues,
  RULE_FIELDS,
  RULE_LIST_FIELDS,
  ruleFromForm,
  ruleToForm,
} from './form.ts';
import { tryRoutingPageRoute } from './try-routes.ts';

export const ROUTING_SETTINGS_PAGE = '/app/settings/routing';
const RULES = `${ROUTING_SETTINGS_PAGE}/rules`;

/** `?done=` → the notice shown (never the query text itself). */
const NOTICES: Record<string, string> = {
  'rule-added': 'Rule added.',
  'rule-changed': 'Rule saved.',
  'rule-enabled': 'Rule enabled.',
  'rule-disabled': 'Rule disabled: it is skipped until enabled again.',
  'rule-removed': 'Rule removed.',
  'rule-moved': 'Order saved.',
  'rule-gone': 'That rule was already removed.',
};

const formBody = postedFormBody(RULE_FIELDS, (f) => (RULE_LIST_FIELDS as readonly string[]).includes(f), {
  text: 2_000,
  item: 200,
  items: 200,
});
const text = { type: 'string', maxLength: 2_000 } as const;
const toggleBody = {
  type: 'object',
  required: ['enabled'],
  properties: { _csrf: text, enabled: { type: 'string', enum: ['true', 'false'] } },
} as const;

type FormRoute = { Params: { id?: string }; Body: PostedForm };
/** What the routing page shows besides a notice or a refused form. */
export type RoutingPageExtra = PageExtra & { tried?: TriedForm; impact?: ImpactPreview };
type Services = { rules: ReturnType<typeof routingService>; trying: ReturnType<typeof routingTryService> };

export function routingSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = routingService(ctx.database.db, ctx.bus);
  const channels = channelService({ database: ctx.database, encryptionKey: ctx.config.encryptionKey });
  const trying = routingTryService(ctx.database.db);
  settingsPageRoutes<RoutingPageExtra>(app, {
    path: ROUTING_SETTINGS_PAGE,
    viewers: requireRole('admin'),
    notices: NOTICES,
    render: async (req, extra) =>
      RoutingSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        rules: (await service.list()).map((rule) => ({ rule, values: ruleToForm(rule) })),
        channels: (await channels.list()).map((c) => ({ id: c.id, name: c.name, kind: c.kind })),
        defaultPolicy: DEFAULT_POLICY,
        newValues: NEW_RULE,
        ...extra,
      }),
    routes: (scope, page) => {
      routes(scope, { rules: service, trying }, page);
      tryRoutingPageRoute(scope, trying, page);
    },
  });
}

/** The service's problems → field → what to fix, and the ones that belong to no field. */
function fieldErrors(problems: RuleProblem[]): { errors: Record<string, string>; other: string[] } {
  const errors: Record<string, string> = {};
  const other: string[] = [];
  for (const p of problems) {
    const field = fieldOfProblem(p.path);
    if (!field) other.push(sentence(p.message));
    else errors[field] ??= sentence(p.message);
  }
  return { errors, other };
}

/** A refused rule form: what was typed, each problem next to its field, and why. */
function refusedRule(values: RefusedForm['values'], err: { details?: Record<string, unknown> }, why: string) {
  const { errors, other } = fieldErrors((err.details?.problems ?? []) as RuleProblem[]);
  if (errors.name && !ruleFromForm(values).name) errors.name = 'Give the rule a name.';
  return { values, errors, message: [why, ...other].join(' ') };
}

function routes(
  app: FastifyInstance,
  { rules: service, trying }: Services,
  page: RenderPage<RoutingPageExtra>,
): void {
  const admin = { preHandler: requireRole('admin') };
  const back = (reply: FastifyReply, done: string) =>
    reply.redirect(`${ROUTING_SETTINGS_PAGE}?done=rule-${done}`, 303);

  /** Add (no id) or change (id): on a refused form, the page again with what was typed. */
  const save = async (req: FastifyRequest<FormRoute>, reply: FastifyReply) => {
    const { id } = req.params;
    const values = postedValues(req.body);
    try {
      const input = ruleFromForm(values);
      if (id === undefined) await service.create(req.user!.id, input);
      else await service.update(req.user!.id, id, input);
      return back(reply, id === undefined ? 'added' : 'changed');
    } catch (err) {
      if (!isDomainError(err) || (err.kind !== 'invalid' && err.kind !== 'not_found')) throw err;
      const gone = err.kind === 'not_found';
      const failed: RefusedForm = gone
        ? // a rule removed meanwhile: what was typed goes to the add form
          {
            values,
            errors: {},
            message: 'That rule was removed meanwhile. What you typed is in the add form below.',
          }
        : { id, ...refusedRule(values, err, 'The rule was not saved: please check the form.') };
      return page(req, reply, { failed }, gone ? 404 : 400);
    }
  };
  app.post<FormRoute>(RULES, { ...admin, schema: { hide: true, body: formBody } }, save);
  app.post<FormRoute>(
    `${RULES}/:id`,
    { ...admin, schema: { hide: true, params: pageItemParams, body: formBody } },
    save,
  );

  /** The rule as typed (new, or in place of the saved one) replayed on recent posts; nothing is saved. */
  const preview = async (req: FastifyRequest<FormRoute>, reply: FastifyReply) => {
    const { id } = req.params;
    const values = postedValues(req.body);
    const rule = ruleFromForm(values);
    try {
      const result = await trying.impact({ rule: { ...rule, id: id ?? 'candidate' } });
      const form = { id, values, errors: {}, message: '' };
      return page(req, reply, { impact: { form, ruleName: rule.name, result } });
    } catch (err) {
      if (!isDomainError(err) || err.kind !== 'invalid') throw err;
      const why = 'The impact was not previewed: please check the rule.';
      return page(
        req,
        reply,
        { failed: { id, title: 'Not previewed', ...refusedRule(values, err, why) } },
        400,
      );
    }
  };
  app.post<FormRoute>(`${RULES}/impact`, { ...admin, schema: { hide: true, body: formBody } }, preview);
  app.post<FormRoute>(
    `${RULES}/:id/impact`,
    { ...admin, schema: { hide: true, params: pageItemParams, body: formBody } },
    preview,
  );

  /** Enable or disable: the stored rule saved again through the service with only `enabled` changed. */
  app.post<{ Params: { id: string }; Body: { enabled: 'true' | 'false' } }>(
    `${RULES}/:id/enabled`,
    { ...admin, schema: { hide: true, params: pageItemParams, body: toggleBody } },
    async (req, reply) => {
      const rule = (await service.list()).find((r) => r.id === req.params.id);
      if (!rule) return back(reply, 'gone');
      const enabled = req.body.enabled === 'true';
      const { name, conditions, action } = rule;
      await service.update(req.user!.id, rule.id, { name, enabled, conditions, action });
      return back(reply, enabled ? 'enabled' : 'disabled');
    },
  );

  orderedListPageRoutes(app, {
    page: ROUTING_SETTINGS_PAGE,
    items: RULES,
    notice: 'rule',
    preHandler: admin.preHandler,
    list: () => service.list(),
    remove: (actorId, id) => service.remove(actorId, id),
    reorder: (actorId, ids) => service.reorder(actorId, ids),
  });
}
