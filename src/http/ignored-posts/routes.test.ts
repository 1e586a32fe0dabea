/**
 * The ignored posts API over real posts through the real intake and drain: spam ignored by the default
 * policy and a keyword ignored by an admin's rule are listed (filters, pages, counts, roles); restoring
 * opens a conversation as the pipeline would (queue, intent, contact, SLA from the restore, assignment,
 * events, audit, label correction), joins the customer's conversation when there is one, all or none;
 * a second restore is 409, an unknown post 404.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { ignoredPostsFixture, RAFFLE, RAFFLE_RULE, SPAM } from './fixtures.test-helper.ts';

type H = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let fx: Awaited<ReturnType<typeof ignoredPostsFixture>>;
let admin: H;
let supervisor: H;
let moderator: H;
let agent: H;
let spam: { postId: string };
let raffle: { postId: string };

beforeAll(async () => {
  t = await createTestApp();
  [admin, supervisor, moderator, agent] = [
    await t.signIn('admin'),
    await t.signIn('supervisor'),
    await t.signIn('moderator'),
    await t.signIn('agent'),
  ];
  fx = await ignoredPostsFixture(t, admin);
  spam = await fx.ingest('spammy', SPAM, { url: 'https://x.example/spammy/1' });
  raffle = await fx.ingest('raffler', RAFFLE);
});
afterAll(() => t.close());

const API = '/api/ignored-posts';
const get = (who: H, url: string) => t.app.inject({ url, headers: { cookie: who.cookie } });
const restore = (who: H, payload: object) =>
  t.app.inject({
    method: 'POST',
    url: `${API}/restore`,
    headers: { cookie: who.cookie, 'x-csrf-token': who['x-csrf-token'] },
    payload,
  });
const ignoredIds = async () =>
  (await fx.f.q('select post_id from ignored_posts')).map((r) => r.post_id as string).sort();

describe('listing ignored posts', () => {
  it('newest first with the post, its author, who ignored it and its classification; counts per reason', async () => {
    const res = await get(supervisor, API);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.ignoredPosts.map((p: { postId: string }) => p.postId)).toEqual([raffle.postId, spam.postId]);
    expect(body.ignoredPosts[0]).toMatchObject({
      channelKind: 'x',
      channelName: 'X',
      authorHandle: 'raffler',
      text: RAFFLE,
      url: null,
      reason: RAFFLE_RULE.reason,
      ruleId: fx.ruleId,
      ruleName: RAFFLE_RULE.name,
      ignoredBy: RAFFLE_RULE.name,
      sentiment: expect.any(String),
      complaintScore: expect.any(Number),
    });
    expect(body.ignoredPosts[1]).toMatchObject({
      authorHandle: 'spammy',
      url: 'https://x.example/spammy/1',
      reason: 'spam',
      ruleId: null,
      ignoredBy: 'default policy',
      intent: 'spam',
    });
    expect(body.reasons).toEqual({
      days: 7,
      capped: false,
      counts: expect.arrayContaining([
        { reason: 'spam', count: 1 },
        { reason: RAFFLE_RULE.reason, count: 1 },
      ]),
    });
    expect(body.nextBefore).toBeNull();
  });

  it('filters by reason and channel kind, pages with `before`; a bad cursor is 400', async () => {
    const byReason = (await get(moderator, `${API}?reason=spam`)).json();
    expect(byReason.ignoredPosts.map((p: { postId: string }) => p.postId)).toEqual([spam.postId]);
    expect((await get(admin, `${API}?channel=reddit`)).json().ignoredPosts).toEqual([]);
    expect((await get(admin, `${API}?channel=x`)).json().ignoredPosts).toHaveLength(2);

    const first = (await get(admin, `${API}?limit=1`)).json();
    expect(first.ignoredPosts.map((p: { postId: string }) => p.postId)).toEqual([raffle.postId]);
    expect(first.nextBefore).toBe(first.ignoredPosts[0].cursor);
    const second = (await get(admin, `${API}?limit=1&before=${first.nextBefore}`)).json();
    expect(second.ignoredPosts.map((p: { postId: string }) => p.postId)).toEqual([spam.postId]);
    expect(second.nextBefore).toBeNull();

    const bad = await get(admin, `${API}?before=yesterday`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_cursor');
  });

  it('agents, trainees and marketing may not look', async () => {
    expect((await get(agent, API)).statusCode).toBe(403);
    expect((await get(await t.signIn('marketing'), API)).statusCode).toBe(403);
    expect((await restore(agent, { postIds: [spam.postId] })).statusCode).toBe(403);
  });
});

describe('restoring ignored posts', () => {
  it('moderators restore into moderation only; invalid queue or intent refused; nothing changes', async () => {
    const toSupport = await restore(moderator, { postIds: [spam.postId] });
    expect(toSupport.statusCode).toBe(403);
    expect((await restore(admin, { postIds: [spam.postId], queue: 'ignore' })).statusCode).toBe(400);
    expect((await restore(admin, { postIds: [spam.postId], intent: 'spam' })).statusCode).toBe(400);
    expect(await ignoredIds()).toEqual([raffle.postId, spam.postId].sort());
  });

  it('all or none: an unknown id among them is 404 and restores nothing', async () => {
    const unknown = randomUUID();
    const res = await restore(admin, { postIds: [spam.postId, unknown] });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toMatchObject({ code: 'ignored_post_not_found' });
    expect(await ignoredIds()).toEqual([raffle.postId, spam.postId].sort());
    expect(await fx.f.q('select 1 from conversations')).toHaveLength(0);
  });

  it('opens a conversation as the pipeline would: support, complaint, the contact, SLA from the restore, assigned', async () => {
    // Ignored three days ago: its clocks start at the restore, not overdue on arrival.
    await fx.f.q(`update posts set received_at = now() - interval '3 days' where id = $1`, [spam.postId]);
    await fx.f.q(`update ignored_posts set at = now() - interval '3 days' where post_id = $1`, [spam.postId]);
    await fx.f.q('update users set online = (id = $1)', [agent.userId]);
    const [before] = await fx.f.q('select now() as now');

    const res = await restore(supervisor, { postIds: [spam.postId] });
    expect(res.statusCode).toBe(200);
    const [r] = res.json().restored;
    expect(r).toMatchObject({
      postId: spam.postId,
      conversation: 'opened',
      queue: 'support',
      intent: 'complaint',
      assigneeId: agent.userId,
    });

    const [c] = await fx.f.q(
      `select c.*, (select contact_id from contact_identities i join posts p on p.author_identity_id = i.id
                     where p.id = $2) as post_contact
         from conversations c where c.id = $1`,
      [r.conversationId, spam.postId],
    );
    expect(c).toMatchObject({
      queue: 'support',
      intent: 'complaint',
      status: 'open',
      assignee_id: agent.userId,
      message_count: 1,
      channel_kind: 'x',
    });
    expect(c!.contact_id).toBe(c!.post_contact);
    expect(c!.first_response_due_at.getTime()).toBeGreaterThan(before!.now.getTime());
    expect(c!.created_at.getTime()).toBeGreaterThanOrEqual(before!.now.getTime());
    const [p] = await fx.f.q('select conversation_id, received_at from posts where id = $1', [spam.postId]);
    expect(p!.conversation_id).toBe(r.conversationId);
    expect(p!.received_at.getTime()).toBeLessThan(before!.now.getTime() - 2 * 86_400_000);
    expect(
      await fx.f.q('select 1 from sla_schedule where conversation_id = $1', [r.conversationId]),
    ).toHaveLength(1);

    const events = await fx.f.q(
      'select type, actor_id, data from conversation_events where conversation_id = $1 order by at, type',
      [r.conversationId],
    );
    const types = events.map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['conversation_opened', 'routed', 'customer_messaged', 'assigned', 'restored']),
    );
    expect(events.find((e) => e.type === 'routed')!.data).toMatchObject({
      queue: 'support',
      intent: 'complaint',
      restored: true,
    });
    expect(events.find((e) => e.type === 'restored')).toMatchObject({
      actor_id: supervisor.userId,
      data: {
        postId: spam.postId,
        reason: 'spam',
        ruleId: null,
        previousIntent: 'spam',
        intent: 'complaint',
        via: 'api',
        arrivedAt: p!.received_at.toISOString(),
      },
    });
    const [audit] = await fx.f.q(`select * from audit_log where action = 'ignored_post.restore'`);
    expect(audit).toMatchObject({
      actor_id: supervisor.userId,
      subject_type: 'post',
      subject_id: spam.postId,
    });
    // No intent was chosen (the queue's usual one was taken): nothing for the model to learn.
    expect(await fx.f.q('select * from label_corrections where post_id = $1', [spam.postId])).toEqual([]);
    expect(await ignoredIds()).toEqual([raffle.postId]);
    expect((await get(admin, API)).json().ignoredPosts.map((x: { postId: string }) => x.postId)).toEqual([
      raffle.postId,
    ]);
  });

  it('a second restore is 409 already_restored with the conversation', async () => {
    const res = await restore(admin, { postIds: [spam.postId] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error).toMatchObject({ code: 'already_restored' });
    expect(res.json().error.details).toMatchObject({ postId: spam.postId });
  });

  it("joins the customer's conversation when one is open; the rule's name says since deleted", async () => {
    const follow = await fx.ingest('raffler', 'Still no answer about my double charge, this is unacceptable');
    const [{ conversation_id: open }] = await fx.f.q('select conversation_id from posts where id = $1', [
      follow.postId,
    ]);
    expect(open).toBeTruthy();
    await t.app.inject({
      method: 'DELETE',
      url: `/api/routing-rules/${fx.ruleId}`,
      headers: { cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] },
    });
    expect((await get(admin, API)).json().ignoredPosts[0]).toMatchObject({
      postId: raffle.postId,
      ruleName: null,
      ignoredBy: 'a rule since deleted',
    });

    const res = await restore(admin, { postIds: [raffle.postId], intent: 'complaint' });
    expect(res.json().restored).toMatchObject([
      { postId: raffle.postId, conversationId: open, conversation: 'joined', queue: 'support' },
    ]);
    const [c] = await fx.f.q('select message_count from conversations where id = $1', [open]);
    expect(c!.message_count).toBe(2);
    expect(await fx.f.q('select 1 from conversations')).toHaveLength(2);
    const [restored] = await fx.f.q(
      `select data from conversation_events where conversation_id = $1 and type = 'restored'`,
      [open],
    );
    expect(restored!.data).toMatchObject({ reason: RAFFLE_RULE.reason, ruleId: fx.ruleId, ruleName: null });
    expect(await ignoredIds()).toEqual([]);
  });

  it('a moderator restores into moderation', async () => {
    const abuse = await fx.ingest('troll', SPAM.replace('iPhone', 'tablet'));
    const res = await restore(moderator, { postIds: [abuse.postId], queue: 'moderation' });
    expect(res.statusCode).toBe(200);
    expect(res.json().restored).toMatchObject([
      { conversation: 'opened', queue: 'moderation', intent: 'other' },
    ]);
  });

  it('a post its author deleted on the platform is listed as such and cannot be restored', async () => {
    const gone = await fx.ingest('deleter', SPAM.replace('iPhone', 'laptop'));
    await fx.f.q('update posts set deleted_at = now() where id = $1', [gone.postId]);
    const listed = (await get(admin, API))
      .json()
      .ignoredPosts.find((x: { postId: string }) => x.postId === gone.postId);
    expect(listed.deletedAt).toEqual(expect.any(String));
    const res = await restore(admin, { postIds: [gone.postId] });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('post_deleted');
    expect(await ignoredIds()).toContain(gone.postId);
  });

  it("a moderator's restore that would join the customer's support conversation is refused, and changes nothing", async () => {
    const spam = await fx.ingest('mixed', SPAM.replace('iPhone', 'watch'));
    await fx.ingest('mixed', 'My order never arrived and nobody answers me');
    const [support] = await fx.f.q(
      `select c.id, c.message_count, c.version from conversations c join posts p on p.conversation_id = c.id
        join contact_identities ci on ci.id = p.author_identity_id where ci.handle = 'mixed'`,
    );
    const res = await restore(moderator, { postIds: [spam.postId], queue: 'moderation' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('joins_other_queue');
    expect(
      await fx.f.q('select message_count, version from conversations where id = $1', [support!.id]),
    ).toEqual([{ message_count: support!.message_count, version: support!.version }]);
    expect(await ignoredIds()).toContain(spam.postId);
  });
});
