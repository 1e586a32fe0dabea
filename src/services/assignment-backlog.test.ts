import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { insertConversation } from '../http/conversations/fixtures.test-helper.ts';
import { runAssignBacklog } from '../jobs/assign-backlog.ts';
import type { BusEvent } from '../lib/event-bus.ts';
import { assignBacklog, assignWholeBacklog } from './assignment-backlog.ts';
import { applyCommand } from './conversations.ts';

let t: TestApp;
type Agent = Awaited<ReturnType<TestApp['signIn']>>;
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.ctx.database.pool.query(text, params)).rows as T[];

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());
beforeEach(async () => {
  await q('update users set online = false');
  await q('truncate conversations, assignment_pointers cascade');
});

/** A waiting conversation (new, unassigned) with the given priority, arrival order, team and language. */
async function waiting(o: {
  priority: number;
  minutesAgo?: number;
  team?: string;
  queue?: string;
  language?: string;
  intent?: string;
}) {
  const { conversation } = await insertConversation(t.ctx.database.db, {
    queue: o.queue ?? 'support',
    intent: o.intent ?? 'complaint',
  });
  await q(
    `update conversations set priority_score = $2, created_at = now() - make_interval(mins => $3), team = $4,
            language = $5 where id = $1`,
    [conversation.id, o.priority, o.minutesAgo ?? 0, o.team ?? null, o.language ?? 'en'],
  );
  return conversation.id;
}

async function agent(settings: { capacity: number; team?: string; languages?: string[] }): Promise<Agent> {
  const a = await t.signIn('agent');
  await q(`update users set capacity = $2, team = $3, skills = $4 where id = $1`, [
    a.userId,
    settings.capacity,
    settings.team ?? null,
    JSON.stringify({ languages: settings.languages ?? [] }),
  ]);
  return a;
}

const goOnline = (a: Agent) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/users/me/availability',
    headers: { cookie: a.cookie, 'x-csrf-token': a['x-csrf-token'] },
    payload: { online: true },
  });

const assigneeOf = async (ids: string[]) =>
  new Map(
    (
      await q<{ id: string; assignee_id: string | null }>(
        'select id, assignee_id from conversations where id = any($1)',
        [ids],
      )
    ).map((r) => [r.id, r.assignee_id]),
  );

describe('backlog assignment', () => {
  it('going online assigns the waiting backlog up to capacity: team, skills, highest priority then oldest first', async () => {
    const low = await waiting({ priority: 0.2, minutesAgo: 90 });
    const top = await waiting({ priority: 0.9, minutesAgo: 5 });
    const olderOfTwo = await waiting({ priority: 0.5, minutesAgo: 60 });
    const newerOfTwo = await waiting({ priority: 0.5, minutesAgo: 30 });
    const otherTeam = await waiting({ priority: 1, team: 'vip' });
    const german = await waiting({ priority: 0.95, language: 'de' });
    const marketing = await waiting({ priority: 0.99, queue: 'marketing' });
    const a = await agent({ capacity: 3, languages: ['en'] });
    const changed: BusEvent[] = [];
    const off = t.bus.subscribe('conversations.changed', (e) => changed.push(e));

    const res = await goOnline(a);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ user: { id: a.userId, online: true }, assigned: 3 });
    const who = await assigneeOf([low, top, olderOfTwo, newerOfTwo, otherTeam, german, marketing]);
    expect(
      [...who]
        .filter(([, agentId]) => agentId === a.userId)
        .map(([id]) => id)
        .sort(),
    ).toEqual([top, olderOfTwo, newerOfTwo].sort());
    expect(who.get(low)).toBeNull();

    // The same events the pipeline records, by the system, and open like a pipeline assignment.
    const events = await q<{
      conversation_id: string;
      type: string;
      actor_id: string;
      data: { to?: string };
    }>(
      `select conversation_id, type, actor_id, data from conversation_events where conversation_id = any($1) order by type`,
      [[top, olderOfTwo, newerOfTwo]],
    );
    for (const id of [top, olderOfTwo, newerOfTwo]) {
      const mine = events.filter((e) => e.conversation_id === id);
      expect(mine.map((e) => e.type)).toEqual(['assigned', 'status_changed']);
      expect(mine[0]).toMatchObject({ actor_id: 'system', data: { to: a.userId } });
    }
    const statuses = await q<{ status: string }>('select status from conversations where id = any($1)', [
      [top, olderOfTwo, newerOfTwo],
    ]);
    expect(statuses.every((s) => s.status === 'open')).toBe(true);
    expect(await q('select 1 from sla_schedule where conversation_id = any($1)', [[top]])).toHaveLength(1);
    await expect.poll(() => changed.some((e) => JSON.stringify(e.items).includes(top))).toBe(true);
    off();
    const audit = await q<{ detail: object }>(
      `select detail from audit_log where action = 'user.availability' and subject_id = $1`,
      [a.userId],
    );
    expect(audit.map((r) => r.detail)).toEqual([{ online: true, reason: 'agent' }]);

    // A team member takes the team's conversation; the German one waits for a German speaker.
    const vip = await agent({ capacity: 5, team: 'vip', languages: ['en'] });
    expect((await goOnline(vip)).json().assigned).toBe(2);
    const after = await assigneeOf([otherTeam, low, german]);
    expect(after.get(otherTeam)).toBe(vip.userId);
    expect(after.get(low)).toBe(vip.userId);
    expect(after.get(german)).toBeNull();
  });

  it('an agent at capacity gets nothing', async () => {
    const a = await agent({ capacity: 1 });
    const { conversation } = await insertConversation(t.ctx.database.db);
    await q(`update conversations set status = 'open', assignee_id = $2 where id = $1`, [
      conversation.id,
      a.userId,
    ]);
    const left = await waiting({ priority: 1 });
    expect((await goOnline(a)).json().assigned).toBe(0);
    expect((await assigneeOf([left])).get(left)).toBeNull();
  });

  it('two concurrent backlog runs never overfill an agent', async () => {
    const agents = [await agent({ capacity: 5 }), await agent({ capacity: 7 })];
    await q('update users set online = true where id = any($1)', [agents.map((a) => a.userId)]);
    const ids = [];
    for (let i = 0; i < 40; i++) ids.push(await waiting({ priority: (i % 5) / 5, minutesAgo: i }));
    const runs = await Promise.all([
      assignBacklog(t.ctx.database, { limit: 7 }),
      assignBacklog(t.ctx.database, { limit: 7 }),
      assignWholeBacklog(t.ctx.database, { batch: 3 }),
      assignWholeBacklog(t.ctx.database, { batch: 3 }),
    ]);
    const total = runs.reduce((n, r) => n + (Array.isArray(r) ? r.length : r.assigned.length), 0);
    expect(total).toBe(12);
    const loads = await q<{ assignee_id: string; n: number }>(
      `select assignee_id, count(*)::int as n from conversations where assignee_id is not null group by 1`,
    );
    expect(new Map(loads.map((l) => [l.assignee_id, l.n]))).toEqual(
      new Map([
        [agents[0]!.userId, 5],
        [agents[1]!.userId, 7],
      ]),
    );
    const twice = await q(
      `select conversation_id from conversation_events where type = 'assigned' group by 1 having count(*) > 1`,
    );
    expect(twice).toEqual([]);
    // The twelve highest-priority conversations went first.
    const assignedPriorities = await q<{ p: number }>(
      'select min(priority_score) as p from conversations where assignee_id is not null',
    );
    expect(assignedPriorities[0]!.p).toBeCloseTo(0.6, 5);
  });

  it('the periodic run assigns waiting conversations once an agent has room again', async () => {
    const a = await agent({ capacity: 1 });
    const first = await waiting({ priority: 0.9, intent: 'question' });
    expect((await goOnline(a)).json().assigned).toBe(1);
    const second = await waiting({ priority: 0.1 });
    expect(await runAssignBacklog(t.ctx.database)).toEqual({ away: 0, assigned: 0 });
    await applyCommand(t.ctx.database.db, first, { type: 'resolve' }, { id: a.userId, role: 'agent' });
    expect(await runAssignBacklog(t.ctx.database)).toEqual({ away: 0, assigned: 1 });
    expect((await assigneeOf([second])).get(second)).toBe(a.userId);
  });

  it('resolving in the app hands the next waiting conversation to whoever has room, without waiting for the minute', async () => {
    const a = await agent({ capacity: 1 });
    const first = await waiting({ priority: 0.9, intent: 'question' });
    expect((await goOnline(a)).json().assigned).toBe(1);
    const second = await waiting({ priority: 0.1 });
    const resolved = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${first}/commands`,
      headers: { cookie: a.cookie, 'x-csrf-token': a['x-csrf-token'] },
      payload: { type: 'resolve' },
    });
    expect(resolved.statusCode).toBe(200);
    // Assigned just after the answer, by the request itself (no job runs in this test).
    for (let i = 0; i < 50 && !(await assigneeOf([second])).get(second); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect((await assigneeOf([second])).get(second)).toBe(a.userId);
  });

  it('does not let conversations needing skills nobody has hold up the rest of the backlog', async () => {
    await agent({ capacity: 5, languages: ['en'] }).then((a) => goOnline(a));
    for (let i = 0; i < 5; i++) await waiting({ priority: 0.9, language: 'fi', minutesAgo: i });
    const english = await waiting({ priority: 0.1 });
    const assigned = await assignWholeBacklog(t.ctx.database, { batch: 2 });
    expect(assigned.map((x) => x.conversationId)).toEqual([english]);
  });

  it('makes agents away who are still marked available without any live session', async () => {
    const [ghost] = await q<{ id: string }>(
      `insert into users (email, display_name, role, password_hash, online)
       values ('ghost@example.test', 'Ghost', 'agent', 'x', true) returning id`,
    );
    const present = await agent({ capacity: 2 });
    await goOnline(present);
    const run = await runAssignBacklog(t.ctx.database);
    expect(run.away).toBe(1);
    const online = await q<{ id: string; online: boolean }>(
      'select id, online from users where id = any($1)',
      [[ghost!.id, present.userId]],
    );
    expect(new Map(online.map((u) => [u.id, u.online]))).toEqual(
      new Map([
        [ghost!.id, false],
        [present.userId, true],
      ]),
    );
    expect(
      await q(`select 1 from audit_log where subject_id = $1 and detail->>'reason' = 'session_expired'`, [
        ghost!.id,
      ]),
    ).toHaveLength(1);
  });
});
