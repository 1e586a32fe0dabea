/**
 * The Try routing form of /app/settings/routing (admins): a plain form POST, checked with the body
 * schema of POST /api/routing-rules/try, then the same service (nothing is stored); the page comes back
 * with what was typed and the decision in sentences, or with what to fix next to the field.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { RoutingTryService } from '../../services/routing-try.ts';
import { TRY_PATH } from '../../web/app/routing-try.tsx';
import { type FormValues, firstValue } from '../../web/app/settings-forms.tsx';
import { requireRole } from '../plugins/session.ts';
import { sampleOf, type TryBody, tryBody } from '../routing-rules/try-routes.ts';
import { firstSchemaProblem, type PostedForm, postedFormBody, type RenderPage } from '../settings-pages.ts';
import type { RoutingPageExtra } from './routes.ts';

const FIELDS = ['text', 'channel', 'followers', 'public'] as const;
// Longer than the API takes, so a too-long post is refused next to its field, not as a broken form.
const formBody = postedFormBody(FIELDS, () => false, { text: 20_000, item: 1, items: 1 });

/** What to fix, per field the API's schema refuses. */
const FIX: Record<string, string> = {
  text: 'Type the post to try, up to 10,000 characters.',
  channel: 'Choose one of the channel kinds.',
  followers: 'Followers: a whole number, 0 or more.',
  public: 'Public post: ticked or not.',
};

/** The form as posted → the API's body (numbers as numbers, an unticked box as false). */
export function tryFromForm(values: FormValues): Record<string, unknown> {
  const text = firstValue(values.text);
  const channel = firstValue(values.channel).trim();
  const followers = firstValue(values.followers).trim();
  return {
    text: text.trim() ? text : '',
    ...(channel ? { channel } : {}),
    ...(followers ? { followers: /^\d{1,12}$/.test(followers) ? Number(followers) : followers } : {}),
    public: firstValue(values.public) === 'true',
  };
}

export function tryRoutingPageRoute(
  app: FastifyInstance,
  service: RoutingTryService,
  page: RenderPage<RoutingPageExtra>,
): void {
  app.post<{ Body: PostedForm }>(
    TRY_PATH,
    { preHandler: requireRole('admin'), schema: { hide: true, body: formBody } },
    async (req: FastifyRequest<{ Body: PostedForm }>, reply) => {
      const values: FormValues = Object.fromEntries(FIELDS.map((f) => [f, firstValue(req.body[f])]));
      const body = tryFromForm(values);
      const problem = firstSchemaProblem(req, tryBody, body);
      if (problem) {
        const field = problem.path.split('/')[1] ?? 'text';
        const errors = { [field]: FIX[field] ?? FIX.text! };
        return page(req, reply, { tried: { values, errors } }, 400);
      }
      const result = await service.tryPost(sampleOf(body as TryBody));
      return page(req, reply, { tried: { values, errors: {}, result } });
    },
  );
}
