/**
 * The SLA policies page, /app/settings/sla: policies in order (the first that matches a conversation
 * applies), their targets, business calendar and warning / escalation points. Plain HTML forms; each
 * post is checked against the JSON API's body schema (sla-policies/routes.ts), then goes through the
 * same SLA service (domain validation, audit, announcement to the workers), then redirects back with a
 * notice (303), or shows the page again with the field errors and everything typed. Admins edit;
 * supervisors read, as the API allows.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { DEFAULT_SLA_POLICIES } from '../../pipeline/config.ts';
import { slaPolicyService } from '../../services/routing.ts';
import { SlaSettingsPage } from '../../web/app/sla-settings-page.tsx';
import type { AppContext } from '../context.ts';
import { orderedListPageRoutes, pageItemParams } from '../ordered-list-pages.ts';
import { requireRole } from '../plugins/session.ts';
import {
  firstSchemaProblem,
  type PostedForm,
  postedFormBody,
  type RenderPage,
  settingsPageRoutes,
} from '../settings-pages.ts';
import { policyBody } from '../sla-policies/routes.ts';
import {
  fieldOfPolicyPath,
  MATCHES,
  NEW_POLICY,
  POLICY_FIELDS,
  policyError,
  policyFromForm,
  policyToForm,
  postedPolicyValues,
} from './form.ts';

export const SLA_SETTINGS_PAGE = '/app/settings/sla';
const POLICIES = `${SLA_SETTINGS_PAGE}/policies`;

/** `?done=` → the notice shown (never the query text itself). */
const NOTICES: Record<string, string> = {
  'policy-added': 'SLA policy added.',
  'policy-changed': 'SLA policy saved.',
  'policy-removed': 'SLA policy removed.',
  'policy-moved': 'Order saved.',
  'policy-gone': 'That SLA policy was already removed.',
};

const formBody = postedFormBody(POLICY_FIELDS, (f) => (MATCHES as readonly string[]).includes(f), {
  text: 20_000,
  item: 100,
  items: 50,
});

type FormRoute = { Params: { id?: string }; Body: PostedForm };

export function slaSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  const service = slaPolicyService(ctx.database.db, ctx.bus);
  settingsPageRoutes(app, {
    path: SLA_SETTINGS_PAGE,
    viewers: requireRole('admin', 'supervisor'),
    notices: NOTICES,
    render: async (req, extra) =>
      SlaSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        policies: (await service.list()).map((policy) => ({ policy, values: policyToForm(policy) })),
        newValues: NEW_POLICY,
        builtIn: DEFAULT_SLA_POLICIES,
        canEdit: req.user!.role === 'admin',
        ...extra,
      }),
    routes: (scope, page) => routes(scope, service, page),
  });
}

/** The first problem the API's body schema finds, as field → what to fix; null when none. */
function schemaProblem(req: FastifyRequest, policy: unknown): Record<string, string> | null {
  const problem = firstSchemaProblem(req, policyBody, policy);
  if (!problem) return null;
  const field = fieldOfPolicyPath(problem.path) ?? 'name';
  return { [field]: policyError(field, problem.message, true) };
}

function routes(app: FastifyInstance, service: ReturnType<typeof slaPolicyService>, page: RenderPage): void {
  const admin = { preHandler: requireRole('admin') };
  const back = (reply: FastifyReply, done: string) =>
    reply.redirect(`${SLA_SETTINGS_PAGE}?done=policy-${done}`, 303);

  /** Add (no id) or change (id): on a refused form, the page again with what was typed. */
  const save = async (req: FastifyRequest<FormRoute>, reply: FastifyReply) => {
    const { id } = req.params;
    const values = postedPolicyValues(req.body);
    const input = policyFromForm(values);
    const refused = (errors: Record<string, string>, message: string, status: number, editing = id) =>
      page(req, reply, { failed: { id: editing, values, errors, message } }, status);
    const wrong = schemaProblem(req, input);
    if (wrong) return refused(wrong, 'The SLA policy was not saved: please check the form.', 400);
    try {
      if (id === undefined) await service.create(req.user!.id, input);
      else await service.update(req.user!.id, id, input);
      return back(reply, id === undefined ? 'added' : 'changed');
    } catch (err) {
      if (!isDomainError(err) || (err.kind !== 'invalid' && err.kind !== 'not_found')) throw err;
      if (err.kind === 'not_found') {
        // removed meanwhile: what was typed goes to the add form
        const message = 'That SLA policy was removed meanwhile. What you typed is in the add form below.';
        return refused({}, message, 404, undefined);
      }
      const field = fieldOfPolicyPath(String(err.details?.path ?? ''));
      const message = 'The SLA policy was not saved: please check the form.';
      if (!field) return refused({}, `${message} ${policyError('', err.message, false)}`, 400);
      return refused({ [field]: policyError(field, err.message, false) }, message, 400);
    }
  };
  app.post<FormRoute>(POLICIES, { ...admin, schema: { hide: true, body: formBody } }, save);
  app.post<FormRoute>(
    `${POLICIES}/:id`,
    { ...admin, schema: { hide: true, params: pageItemParams, body: formBody } },
    save,
  );

  orderedListPageRoutes(app, {
    page: SLA_SETTINGS_PAGE,
    items: POLICIES,
    notice: 'policy',
    preHandler: admin.preHandler,
    list: () => service.list(),
    remove: (actorId, id) => service.remove(actorId, id),
    reorder: (actorId, ids) => service.reorder(actorId, ids),
  });
}
