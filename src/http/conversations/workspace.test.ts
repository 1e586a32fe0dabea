import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { labelCorrections, replies } from '../../db/schema/index.ts';
import { insertConversation } from './fixtures.test-helper.ts';

let t: TestApp;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let agent: H;
let supervisor: H;
let trainee: H;
let marketing: H;

const hdr = (h: H) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signIn('agent');
  supervisor = await t.signIn('supervisor');
  trainee = await t.signIn('trainee');
  marketing = await t.signIn('marketing');
});
afterAll(() => t.close());

const post = (h: H, url: string, payload: unknown) =>
  t.app.inject({ method: 'POST', url, headers: hdr(h), payload: payload as object });

describe('inbox', () => {
  it('lists views with counts, filters, and hides support work from marketing', async () => {
    const db = t.ctx.database.db;
    const soon = await insertConversation(db, { dueInMinutes: 5, subject: 'breaching one' });
    await insertConversation(db, { dueInMinutes: 600, intent: 'question' });
    const mk = await insertConversation(db, { queue: 'marketing', intent: 'lead', subject: 'partnership' });

    const res = await t.app.inject({ url: '/api/inbox?view=breaching', headers: hdr(agent) });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.items.map((i: { id: string }) => i.id)).toContain(soon.conversation.id);
    expect(body.counts.unassigned).toBeGreaterThanOrEqual(2);

    const q = await t.app.inject({ url: '/api/inbox?view=unassigned&intent=question', headers: hdr(agent) });
    expect(q.json().items.every((i: { intent: string }) => i.intent === 'question')).toBe(true);

    const m = await t.app.inject({ url: '/api/inbox?view=all', headers: hdr(marketing) });
    expect(m.json().items.map((i: { id: string }) => i.id)).toEqual([mk.conversation.id]);
    const hidden = await t.app.inject({
      url: `/api/conversations/${soon.conversation.id}`,
      headers: hdr(marketing),
    });
    expect(hidden.statusCode).toBe(404);

    const hand = await post(marketing, `/api/conversations/${mk.conversation.id}/commands`, {
      type: 'hand_off',
      toQueue: 'support',
      team: 'billing',
    });
    expect(hand.statusCode).toBe(200);
    const nowSupport = await t.app.inject({
      url: `/api/conversations/${mk.conversation.id}`,
      headers: hdr(agent),
    });
    expect(nowSupport.json().conversation.queue).toBe('support');
    const [row] = (
      await t.ctx.database.pool.query('select team from conversations where id = $1', [mk.conversation.id])
    ).rows;
    expect(row.team).toBe('billing');
  });

  it('bulk-assigns and renders the inbox page', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db);
    const res = await post(agent, '/api/inbox/bulk', { ids: [conversation.id], action: 'assign_me' });
    expect(res.json()).toMatchObject({ done: 1, failed: [] });
    const mine = await t.app.inject({ url: '/api/inbox?view=mine', headers: hdr(agent) });
    expect(mine.json().items.map((i: { id: string }) => i.id)).toContain(conversation.id);
    const page = await t.app.inject({ url: '/app?view=mine', headers: hdr(agent) });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(conversation.subject);
  });
});

describe('replies', () => {
  it('sends once for a repeated idempotency key and can be undone', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { intent: 'question' });
    const body = {
      text: 'Sorry to hear that, we are on it.',
      idempotencyKey: 'double-click-1',
      basedOnVersion: 1,
    };
    const [a, b] = await Promise.all([
      post(agent, `/api/conversations/${conversation.id}/replies`, body),
      post(agent, `/api/conversations/${conversation.id}/replies`, body),
    ]);
    expect(a.statusCode).toBe(200);
    expect(b.statusCode).toBe(200);
    const rows = await t.ctx.database.db
      .select()
      .from(replies)
      .where(eq(replies.conversationId, conversation.id));
    expect(rows.filter((r) => r.status === 'scheduled')).toHaveLength(1);
    const undo = await post(agent, `/api/replies/${rows[0]!.id}/undo`, {});
    expect(undo.json()).toMatchObject({ status: 'cancelled', text: body.text });
  });

  it('warns on a stale view and on personal data in a public reply', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { intent: 'question' });
    await post(agent, `/api/conversations/${conversation.id}/commands`, { type: 'assign', assigneeId: 'me' });
    const stale = await post(agent, `/api/conversations/${conversation.id}/replies`, {
      text: 'On it',
      idempotencyKey: 'stale-0001',
      basedOnVersion: 1,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('stale_view');
    const risky = await post(agent, `/api/conversations/${conversation.id}/replies`, {
      text: 'Write to jane.doe@example.com with your order number 123456',
      idempotencyKey: 'risky-0001',
      basedOnVersion: 2,
    });
    expect(risky.statusCode).toBe(409);
    expect(risky.json().error).toMatchObject({ code: 'risk_check', details: { suggestTakePrivate: true } });
  });

  it('routes trainee public replies through approval (approve with edit, reject with comment)', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { intent: 'question' });
    const url = `/api/conversations/${conversation.id}/replies`;
    const r1 = await post(trainee, url, {
      text: 'Hi! Lemme check',
      idempotencyKey: 'trainee-001',
      basedOnVersion: 1,
    });
    expect(r1.json().replies[0].status).toBe('pending_approval');
    const queue = await t.app.inject({ url: '/api/approvals', headers: hdr(supervisor) });
    expect(queue.json().items.map((i: { id: string }) => i.id)).toContain(r1.json().replies[0].id);
    const ok = await post(supervisor, `/api/replies/${r1.json().replies[0].id}/approve`, {
      text: 'Hi! Let me check.',
    });
    expect(ok.json().status).toBe('scheduled');
    const r2 = await post(trainee, url, {
      text: 'second try',
      idempotencyKey: 'trainee-002',
      basedOnVersion: 1,
    });
    const no = await post(supervisor, `/api/replies/${r2.json().replies[0].id}/reject`, {
      comment: 'Too terse',
    });
    expect(no.json().status).toBe('rejected');
    const forbidden = await post(agent, `/api/replies/${r2.json().replies[0].id}/approve`, {});
    expect(forbidden.statusCode).toBe(403);
  });
});

describe('closing the loop', () => {
  it('refuses to resolve a public complaint without a resolution notice, until a supervisor waives it', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db);
    const url = `/api/conversations/${conversation.id}/commands`;
    const blocked = await post(agent, url, { type: 'resolve' });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().error.code).toBe('resolution_notice_required');
    const notAllowed = await post(agent, url, { type: 'waive_resolution_notice', reason: 'legal' });
    expect(notAllowed.statusCode).toBe(403);
    expect(
      (await post(supervisor, url, { type: 'waive_resolution_notice', reason: 'post_deleted' })).statusCode,
    ).toBe(200);
    const resolved = await post(agent, url, { type: 'resolve' });
    expect(resolved.json().status).toBe('resolved');
  });

  it('records "no response needed" with a reason and label corrections for retraining', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { intent: 'question' });
    const nr = await post(agent, `/api/conversations/${conversation.id}/commands`, {
      type: 'mark_no_response_needed',
      reason: 'spam',
    });
    expect(nr.json().status).toBe('resolved');
    const fix = await post(agent, `/api/conversations/${conversation.id}/labels`, {
      task: 'intent',
      label: 'spam',
    });
    expect(fix.statusCode).toBe(200);
    const rows = await t.ctx.database.db
      .select()
      .from(labelCorrections)
      .where(eq(labelCorrections.conversationId, conversation.id));
    expect(rows).toMatchObject([{ task: 'intent', previous: 'question', label: 'spam' }]);
    const detail = await t.app.inject({ url: `/api/conversations/${conversation.id}`, headers: hdr(agent) });
    const types = detail.json().events.map((e: { type: string }) => e.type);
    expect(types).toEqual(expect.arrayContaining(['no_response_needed', 'label_corrected']));
  });

  it('takes a conversation private in one action: private message + public acknowledgement', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db);
    const res = await post(agent, `/api/conversations/${conversation.id}/take-private`, {
      via: 'platform',
      message: 'Could you send us your order number here?',
      idempotencyKey: 'take-private-1',
    });
    expect(res.statusCode).toBe(200);
    const detail = (
      await t.app.inject({ url: `/api/conversations/${conversation.id}`, headers: hdr(agent) })
    ).json();
    expect(detail.conversation.publicState).toBe('handled_privately');
    expect(detail.replies.map((r: { kind: string }) => r.kind).sort()).toEqual([
      'acknowledgement',
      'private_message',
    ]);
  });
});
