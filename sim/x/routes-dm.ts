/** X simulator routes for filtered-stream rules, the stream itself, DM events and DM sending; plus the control API. */
import type { ServerResponse } from 'node:http';
import { jsonBody, type Router, type SimReply, type SimRequest } from '../shared/http.ts';
import type { XSim } from './server.ts';
import type { XState, XUser } from './state.ts';
import { intParam, invalidRequest, notFoundProblem, pageToken, renderDms } from './views.ts';

export interface RouteContext {
  router: Router;
  state: XState;
  account: XUser;
  guarded: (
    template: string,
    fn: (req: SimRequest, headers: Record<string, string>) => SimReply | undefined,
    method?: string,
  ) => (req: SimRequest, res: ServerResponse) => SimReply | undefined;
}

export function registerRuleAndDmRoutes({ router, state, account, guarded }: RouteContext): void {
  router.on(
    'GET',
    '/2/tweets/search/stream/rules',
    guarded('/2/tweets/search/stream/rules', () => ({
      status: 200,
      body: {
        ...(state.rules.length ? { data: state.rules } : {}),
        meta: { sent: new Date().toISOString(), result_count: state.rules.length },
      },
    })),
  );
  router.on(
    'POST',
    '/2/tweets/search/stream/rules',
    guarded(
      '/2/tweets/search/stream/rules',
      (req) => {
        const body = jsonBody(req) as {
          add?: { value: string; tag?: string }[];
          delete?: { ids?: string[] };
        };
        const added = [];
        let invalid = 0;
        for (const r of body?.add ?? []) {
          try {
            state.search(r.value);
          } catch {
            invalid += 1;
            continue;
          }
          const rule = { id: state.nextId(), value: r.value, ...(r.tag ? { tag: r.tag } : {}) };
          state.rules.push(rule);
          added.push(rule);
        }
        let deleted = 0;
        for (const id of body?.delete?.ids ?? []) {
          const i = state.rules.findIndex((r) => r.id === id);
          if (i >= 0) {
            state.rules.splice(i, 1);
            deleted += 1;
          }
        }
        const summary = body?.delete
          ? { deleted, not_deleted: (body.delete.ids?.length ?? 0) - deleted }
          : { created: added.length, not_created: invalid, valid: added.length, invalid };
        return {
          status: 200,
          body: {
            ...(added.length ? { data: added } : {}),
            meta: { sent: new Date().toISOString(), summary },
          },
        };
      },
      'POST',
    ),
  );
  router.on(
    'GET',
    '/2/tweets/search/stream',
    guarded('/2/tweets/search/stream', () => undefined),
  );
  router.on(
    'GET',
    '/2/dm_events',
    guarded('/2/dm_events', (req) => {
      const q = req.url.searchParams;
      const max = intParam(q, 'max_results', 100, 1, 100);
      if (typeof max !== 'number') return max;
      const token = q.get('pagination_token');
      const untilId = token ? pageToken.decode(token) : undefined;
      if (token && !untilId) return invalidRequest('invalid pagination_token', 'pagination_token');
      const mine = state.dms
        .filter((d) => d.participantIds.includes(account.id) && (!untilId || BigInt(d.id) < BigInt(untilId)))
        .reverse();
      const page = mine.slice(0, max);
      const { data, includes } = renderDms(state, page, q);
      const meta: Record<string, unknown> = { result_count: page.length };
      if (mine.length > max) meta.next_token = pageToken.encode(page[page.length - 1]!.id);
      return {
        status: 200,
        body: {
          ...(page.length ? { data } : {}),
          ...(page.length && includes.users ? { includes } : {}),
          meta,
        },
      };
    }),
  );
  router.on(
    'POST',
    '/2/dm_conversations/with/:participant_id/messages',
    guarded(
      '/2/dm_conversations/with/:participant_id/messages',
      (req) => {
        const to = state.users.get(req.params.participant_id!);
        if (!to)
          return {
            status: 200,
            body: { errors: [notFoundProblem(req.params.participant_id!, 'user', 'participant_id')] },
          };
        const text = (jsonBody(req) as { text?: string } | undefined)?.text ?? '';
        if (!text) return invalidRequest('The `text` field is required', 'text');
        const dm = state.addDm({ text, sender: account, recipient: to });
        state.sentDms.push(dm);
        return { status: 201, body: { data: { dm_conversation_id: dm.conversationId, dm_event_id: dm.id } } };
      },
      'POST',
    ),
  );
}

export function registerControl(router: Router, sim: Omit<XSim, 'url' | 'close'>): void {
  const ok = (body: unknown): SimReply => ({ status: 200, body });
  router.on('POST', '/_sim/tweets', (req) =>
    ok(sim.injectTweet(jsonBody(req) as Parameters<XSim['injectTweet']>[0])),
  );
  router.on('POST', '/_sim/dms', (req) => ok(sim.injectDm(jsonBody(req) as Parameters<XSim['injectDm']>[0])));
  router.on('DELETE', '/_sim/tweets/:id', (req) => ok({ deleted: sim.deleteTweet(req.params.id!) }));
  router.on('POST', '/_sim/429', (req) => {
    const b = jsonBody(req) as { seconds?: number; endpoint?: string } | undefined;
    sim.force429(b?.seconds ?? 60, b?.endpoint);
    return ok({ forced: true });
  });
  router.on('POST', '/_sim/drop-streams', () => {
    sim.dropStreams();
    return ok({ dropped: true });
  });
  router.on('GET', '/_sim/posted', () => ok({ posts: sim.state.posted, dms: sim.state.sentDms }));
}
