/**
 * The agents page, /app/settings/agents: the accounts that take conversations, whether they are
 * available, their load against their capacity, team, languages and channel kinds. Admins change an
 * agent's settings with a plain HTML form: checked against the JSON API's body schema
 * (PATCH /api/users/:id, users/routes.ts), then the same availability service (domain validation,
 * audit, backlog assignment), then back with a notice (303), or the page again with the field errors
 * and everything typed. Supervisors read, to see who is available.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isDomainError } from '../../domain/errors.ts';
import { AgentSettingsPage } from '../../web/app/agent-settings-page.tsx';
import { sentence } from '../../web/app/settings-forms.tsx';
import type { AppContext } from '../context.ts';
import { actorOf } from '../conversations/respond.ts';
import { pageItemParams } from '../ordered-list-pages.ts';
import { requireRole } from '../plugins/session.ts';
import {
  firstSchemaProblem,
  type PostedForm,
  postedFormBody,
  type RenderPage,
  settingsPageRoutes,
} from '../settings-pages.ts';
import { agentSettingsBody } from '../users/routes.ts';
import {
  AGENT_FIELDS,
  agentError,
  agentSettingsFromForm,
  agentToForm,
  fieldOfErrorCode,
  fieldOfSettingsPath,
  postedAgentValues,
} from './form.ts';

export const AGENT_SETTINGS_PAGE = '/app/settings/agents';

/** `?done=` → the notice shown (never the query text itself). */
const NOTICES: Record<string, string> = {
  'agent-changed': 'Agent settings saved.',
  'agent-changed-assigned': 'Agent settings saved. Waiting conversations were assigned.',
};

const formBody = postedFormBody(AGENT_FIELDS, (f) => f === 'channels', { text: 2_000, item: 100, items: 50 });

type FormRoute = { Params: { id: string }; Body: PostedForm };

export function agentSettingsRoutes(app: FastifyInstance, ctx: AppContext): void {
  settingsPageRoutes(app, {
    path: AGENT_SETTINGS_PAGE,
    viewers: requireRole('admin', 'supervisor'),
    notices: NOTICES,
    render: async (req, extra) =>
      AgentSettingsPage({
        user: req.user!,
        csrfToken: req.csrfToken,
        agents: (await ctx.availability.agents()).map((a) => ({ ...a, values: agentToForm(a.user) })),
        canEdit: req.user!.role === 'admin',
        ...extra,
      }),
    routes: (scope, page) => routes(scope, ctx, page),
  });
}

/** The first problem the API's body schema finds, as field → what to fix; null when none. */
function schemaProblem(req: FastifyRequest, settings: unknown): Record<string, string> | null {
  const problem = firstSchemaProblem(req, agentSettingsBody, settings);
  if (!problem) return null;
  const field = fieldOfSettingsPath(problem.path) ?? 'capacity';
  return { [field]: agentError(field, problem.message, true) };
}

function routes(app: FastifyInstance, ctx: AppContext, page: RenderPage): void {
  const admin = { preHandler: requireRole('admin') };

  /** Save one agent's settings: on a refused form, the page again with what was typed. */
  app.post<FormRoute>(
    `${AGENT_SETTINGS_PAGE}/:id`,
    { ...admin, schema: { hide: true, params: pageItemParams, body: formBody } },
    async (req, reply) => {
      const { id } = req.params;
      const values = postedAgentValues(req.body);
      const settings = agentSettingsFromForm(values);
      const refused = (errors: Record<string, string>, message: string, status: number) =>
        page(req, reply, { failed: { id, values, errors, message } }, status);
      const notSaved = 'The agent settings were not saved: please check the form.';
      const wrong = schemaProblem(req, settings);
      if (wrong) return refused(wrong, notSaved, 400);
      try {
        const r = await ctx.availability.updateAgentSettings(actorOf(req), id, settings);
        const done = r.assigned.length > 0 ? 'agent-changed-assigned' : 'agent-changed';
        return reply.redirect(`${AGENT_SETTINGS_PAGE}?done=${done}`, 303);
      } catch (err) {
        if (!isDomainError(err) || (err.kind !== 'invalid' && err.kind !== 'not_found')) throw err;
        if (err.kind === 'not_found') return refused({}, 'That account no longer exists.', 404);
        const field = fieldOfErrorCode(err.code);
        if (!field) return refused({}, `${notSaved} ${sentence(err.message)}`, 400);
        return refused({ [field]: agentError(field, err.message, false) }, notSaved, 400);
      }
    },
  );
}
