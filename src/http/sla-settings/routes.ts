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
import type { RefusedForm } from '../../web/app/settings-forms.tsx';
import { SlaSettingsPage } from '../../web/app/sla-settings-page.tsx';
import { sendPage } from '../../web/render.ts';
import type { AppContext } from '../context.ts';
import { formErrorHandler } from '../inbox/form-errors.ts';
import { orderedListPageRoutes, pageItemParams } from '../ordered-list-pages.ts';
import { requireRole } from '../plugins/session.ts';
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

const text = { type: 'string', maxLength: 20_000 } as const;
const checked = { type: 'array', items: { type: 'string', maxLength: 100 }, maxItems: 50 } as const;
/** The form as posted: strings, and arrays for checkbox groups (one value arrives as one string). */
const formBody = {
  type: 'object',
  properties: {
    _csrf: text,
    ...Object.fromEntries(
      POLICY_FIELDS.map((f) => [f, (MATCHES as readonly string[]).includes(f) ? checked : text]),
    ),
  },
} as const;

type FormRoute = { Params: { id?: string }; Body: Record<string, string | string[] | undefined> };

export function slaSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Own scope: a refused form post (CSRF, role) gets an HTML page, like the rest of the workspace.
  void app.register(async (scope) => {
    scope.setErrorHandler(formErrorHandler);
    routes(scope, ctx);
  });
}

/** The first problem the API's body schema finds, as field → what to fix; null when none. */
function schemaProblem(req: FastifyRequest, policy: unknown): Record<string, string> | null {
  const validate = req.compileValidationSchema(policyBody, 'body');
  if (validate(policy)) return null;
  const [e] = validate.errors ?? [];
  const path = e?.instancePath || (e?.params?.missingProperty ? `/${e.params.missingProperty}` : '');
  const field = fieldOfPolicyPath(path) ?? 'name';
  return { [field]: policyError(field, e?.message ?? 'invalid', true) };
}

function routes(app: FastifyInstance, ctx: AppContext): void {
  const service = slaPolicyService(ctx.database.db, ctx.bus);
  const viewers = { preHandler: requireRole('admin', 'supervisor') };
  const admin = { preHandler: requireRole('admin') };

  const page = async (
    req: FastifyRequest,
    reply: FastifyReply,
    extra: { notice?: string; failed?: RefusedForm },
    status = 200,
  ) =>
    sendPage(
      reply,
      SlaSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        policies: (await service.list()).map((policy) => ({ policy, values: policyToForm(policy) })),
        newValues: NEW_POLICY,
        builtIn: DEFAULT_SLA_POLICIES,
        canEdit: req.user!.role === 'admin',
        ...extra,
      }),
      status,
    );
  const back = (reply: FastifyReply, done: string) =>
    reply.redirect(`${SLA_SETTINGS_PAGE}?done=policy-${done}`, 303);

  app.get<{ Querystring: { done?: string } }>(
    SLA_SETTINGS_PAGE,
    {
      ...viewers,
      schema: { hide: true, querystring: { type: 'object', properties: { done: { type: 'string' } } } },
    },
    async (req, reply) => page(req, reply, { notice: NOTICES[req.query.done ?? ''] }),
  );

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
