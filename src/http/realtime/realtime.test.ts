import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertConversation } from '../conversations/fixtures.test-helper.ts';
import type { SlaNotice } from './sla-alerts.ts';

let t: TestApp;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  base = await t.app.listen({ port: 0, host: '127.0.0.1' });
});
afterAll(() => t.close());

/** An open SSE stream that collects the ids of `conversations.changed` events and the `sla.alert` notices. */
async function openStream(cookie: string) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/realtime`, { headers: { cookie }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  const ids = new Set<string>();
  const sla: SlaNotice[] = [];
  const assigned: string[] = [];
  const more: number[] = [];
  let buf = '';
  let hello!: () => void;
  const ready = new Promise<void>((r) => {
    hello = r;
  });
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buf += decoder.decode(value, { stream: true });
        let end = buf.indexOf('\n\n');
        while (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (block.startsWith('event: hello')) hello();
          const m = /^event: conversations\.changed\ndata: (.*)$/m.exec(block);
          if (m) for (const id of JSON.parse(m[1]!).ids as string[]) ids.add(id);
          const a = /^event: sla\.alert\ndata: (.*)$/m.exec(block);
          if (a) sla.push(...(JSON.parse(a[1]!).alerts as SlaNotice[]));
          const g = /^event: assigned\ndata: (.*)$/m.exec(block);
          if (g) {
            const data = JSON.parse(g[1]!) as { ids: string[]; more: number };
            assigned.push(...data.ids);
            if (data.more > 0) more.push(data.more);
          }
          end = buf.indexOf('\n\n');
        }
      }
    } catch {}
  })();
  await ready;
  return { ids, sla, assigned, more, close: () => controller.abort() };
}

type Stream = Awaited<ReturnType<typeof openStream>>;

describe('realtime stream', () => {
  it('pushes a conversation id only to users who can see its queue, including after a hand-off', async () => {
    const agent = await t.signIn('agent');
    const marketing = await t.signIn('marketing');
    const supervisor = await t.signIn('supervisor');
    const a = await openStream(agent.cookie);
    const m = await openStream(marketing.cookie);
    const s = await openStream(supervisor.cookie);
    const db = t.ctx.database.db;
    const support = await insertConversation(db, { subject: 'support only' });
    const mk = await insertConversation(db, { queue: 'marketing', intent: 'lead' });
    await expect.poll(() => s.ids.has(support.conversation.id) && s.ids.has(mk.conversation.id)).toBe(true);
    await expect.poll(() => a.ids.has(support.conversation.id) && m.ids.has(mk.conversation.id)).toBe(true);
    expect(m.ids.has(support.conversation.id)).toBe(false);
    expect(a.ids.has(mk.conversation.id)).toBe(false);

    // Marketing hands its conversation to support: both sides learn (it leaves one inbox, enters the other).
    m.ids.clear();
    const hand = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${mk.conversation.id}/commands`,
      headers: { cookie: marketing.cookie, 'x-csrf-token': marketing['x-csrf-token'] },
      payload: { type: 'hand_off', toQueue: 'support' },
    });
    expect(hand.statusCode).toBe(200);
    await expect.poll(() => a.ids.has(mk.conversation.id) && m.ids.has(mk.conversation.id)).toBe(true);
    // A later change to the (now support) conversation is not pushed to marketing any more.
    m.ids.clear();
    await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${mk.conversation.id}/notes`,
      headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
      payload: { text: 'support takes it from here' },
    });
    await insertConversation(db, { queue: 'marketing', intent: 'lead', subject: 'marker' });
    await expect.poll(() => m.ids.size).toBeGreaterThan(0);
    expect(m.ids.has(mk.conversation.id)).toBe(false);
    for (const x of [a, m, s]) x.close();
  });

  it('pushes SLA escalations to supervisors and warnings to the assigned agent, nobody else', async () => {
    const agent = await t.signIn('agent');
    const other = await t.signIn('agent');
    const marketing = await t.signIn('marketing');
    const supervisor = await t.signIn('supervisor');
    const streams = await Promise.all([agent, other, marketing, supervisor].map((u) => openStream(u.cookie)));
    const [a, o, m, s] = streams as [Stream, Stream, Stream, Stream];
    const due = '2026-11-24T10:42:00.000Z';
    const base = { clock: 'first_response', dueAt: due, queue: 'support', team: null };
    await t.bus.publish({
      topic: 'sla.alert',
      alerts: [
        { ...base, conversationId: 'c-warn', kind: 'warning', assigneeId: agent.userId },
        { ...base, conversationId: 'c-esc', kind: 'escalation', assigneeId: agent.userId },
        { ...base, conversationId: 'c-mk', kind: 'escalation', assigneeId: null, queue: 'marketing' },
      ],
    });
    await expect.poll(() => s.sla.length).toBe(2);
    await expect.poll(() => a.sla.length).toBe(1);
    expect(s.sla.map((n) => n.conversationId).sort()).toEqual(['c-esc', 'c-mk']);
    expect(a.sla).toEqual([
      { conversationId: 'c-warn', clock: 'first_response', kind: 'warning', dueAt: due },
    ]);
    // A marker the marketing user does see, so its silence on the support alerts is not just latency.
    await t.bus.publish({
      topic: 'sla.alert',
      alerts: [
        {
          ...base,
          conversationId: 'c-mk-2',
          kind: 'breach',
          assigneeId: marketing.userId,
          queue: 'marketing',
        },
      ],
    });
    await expect.poll(() => m.sla.length).toBe(1);
    expect(m.sla[0]!.conversationId).toBe('c-mk-2');
    expect(o.sla).toEqual([]);
    for (const x of streams) x.close();
  });

  it('refuses to watch presence on a conversation the user cannot see', async () => {
    const marketing = await t.signIn('marketing');
    const support = await insertConversation(t.ctx.database.db, { subject: 'private to support' });
    const res = await fetch(`${base}/api/realtime?conversationId=${support.conversation.id}`, {
      headers: { cookie: marketing.cookie },
    });
    expect(res.status).toBe(404);
    await res.body?.cancel();
  });

  it('tells an agent of conversations assigned to them by others, counting a big batch, and no one else', async () => {
    const agent = await t.signIn('agent');
    const other = await t.signIn('agent');
    const supervisor = await t.signIn('supervisor');
    const a = await openStream(agent.cookie);
    const o = await openStream(other.cookie);
    const s = await openStream(supervisor.cookie);
    const db = t.ctx.database.db;
    const command = (h: typeof agent, id: string, payload: object) =>
      t.app.inject({
        method: 'POST',
        url: `/api/conversations/${id}/commands`,
        headers: { cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] },
        payload,
      });
    const { conversation } = await insertConversation(db, { subject: 'for you' });
    expect(
      (await command(supervisor, conversation.id, { type: 'assign', assigneeId: agent.userId })).statusCode,
    ).toBe(200);
    await expect.poll(() => a.assigned).toEqual([conversation.id]);
    // Taking one yourself is not news to you.
    const mine = await insertConversation(db, { subject: 'taken' });
    expect(
      (await command(other, mine.conversation.id, { type: 'assign', assigneeId: 'me' })).statusCode,
    ).toBe(200);
    await expect.poll(() => s.ids.has(mine.conversation.id)).toBe(true);
    // A backlog-sized statement (Earshot itself): 35 to the other agent, listed up to 30, the rest counted.
    const batch: string[] = [];
    for (let i = 0; i < 35; i++)
      batch.push((await insertConversation(db, { subject: `b${i}` })).conversation.id);
    await t.ctx.database.pool.query('update conversations set assignee_id = $2 where id = any($1)', [
      batch,
      other.userId,
    ]);
    await expect.poll(() => o.assigned.length).toBe(30);
    expect(o.more).toEqual([5]);
    expect(o.assigned.every((id) => batch.includes(id))).toBe(true);
    expect(a.assigned).toEqual([conversation.id]);
    expect(s.assigned).toEqual([]);
    for (const x of [a, o, s]) x.close();
  });
});
