/**
 * A forum topic taken private from the inbox, end to end over HTTP: the member's topic reaches the
 * inbox through triage, the agent takes it private, the private reply arrives as a forum private
 * message, the member's answer in it joins the same conversation, and the resolution notice
 * appears in the topic.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { communityRepository } from '../../db/repositories/community.ts';
import { shippedClassifier } from '../../pipeline/classifier.ts';
import { pipelineConfigCache } from '../../pipeline/config.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { outbox } from '../../services/outbox.ts';

type Headers = Awaited<ReturnType<TestApp['signIn']>>;
let t: TestApp;
let mod: Headers;
let agent: Headers;
let member: Headers;
let other: Headers;
let categoryId: number;

const hdr = (h: Headers) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });
const post = (url: string, h: Headers, payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url, headers: hdr(h), payload });
const get = (url: string, h?: Headers) => t.app.inject({ url, headers: h ? { cookie: h.cookie } : {} });
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await t.ctx.database.pool.query(text, params)).rows as T[];

const drain = () =>
  drainAll({
    pool: t.ctx.database.pool,
    classifier: shippedClassifier(),
    config: pipelineConfigCache(t.ctx.database.db),
  });
const runOutbox = () =>
  outbox({
    db: t.ctx.database.db,
    encryptionKey: t.ctx.config.encryptionKey,
    baseUrl: t.ctx.config.baseUrl,
  }).processDue();

beforeAll(async () => {
  // Undo window 0: replies are due at once.
  t = await createTestApp({ env: { EARSHOT_UNDO_WINDOW_SECONDS: '0' } });
  categoryId = (
    await communityRepository(t.ctx.database.db).createCategory({ slug: 'billing', name: 'Billing' })
  ).id;
  mod = await t.signIn('moderator');
  agent = await t.signIn('agent');
  member = await t.signIn('member');
  other = await t.signIn('member');
  // A member's first post waits for approval: approve one for the member, so later posts go live.
  for (const h of [member, other]) {
    const first = await post('/community/topics', h, {
      title: 'Hello from a new member',
      body: 'hi',
      categoryId,
    });
    expect((await post(`/community/posts/${first.json().postId}/approve`, mod, {})).statusCode).toBe(200);
  }
  // Keep those out of the inbox: only the topic below should become a conversation.
  await q('delete from inbound_queue');
});
afterAll(() => t.close());

describe('taking a forum topic private', () => {
  let topicId: number;
  let topicPath: string;
  let conversationId: string;
  let pmId: number;

  it('turns the member’s topic into a conversation in the inbox', async () => {
    const res = await post('/community/topics', member, {
      title: 'I was charged twice for my subscription',
      body: 'My card was charged twice this month. This is unacceptable, I want a refund.',
      categoryId,
    });
    expect(res.json().pending).toBe(false);
    topicId = res.json().topicId;
    const topic = await communityRepository(t.ctx.database.db).topicById(topicId);
    topicPath = `/community/t/${topic!.slug}/${topicId}`;
    await drain();
    const [conv] = await q<{ id: string; channel_kind: string }>(
      `select c.id, c.channel_kind from conversations c join posts p on p.conversation_id = c.id
        where p.external_id = (select 'post:' || id from community_posts where topic_id = $1 and post_number = 1)`,
      [topicId],
    );
    expect(conv?.channel_kind).toBe('forum');
    conversationId = conv!.id;
  });

  it('sends the private reply as a forum private message and acknowledges it in the topic', async () => {
    const res = await post(`/api/conversations/${conversationId}/take-private`, agent, {
      via: 'platform',
      message: 'Sorry about the double charge. Which email address is on the account?',
      idempotencyKey: 'forum-take-private-1',
    });
    expect(res.statusCode).toBe(200);
    expect(await runOutbox()).toMatchObject({ sent: 2, failed: 0 });

    const replies = await q<{ kind: string; status: string; external_id: string }>(
      `select kind, status, external_id from replies where conversation_id = $1 order by kind`,
      [conversationId],
    );
    expect(replies.map((r) => [r.kind, r.status])).toEqual([
      ['acknowledgement', 'sent'],
      ['private_message', 'sent'],
    ]);
    const topic = await communityRepository(t.ctx.database.db).topicById(topicId);
    expect(topic?.conversationId).toBe(conversationId);
    pmId = topic!.privateTopicId!;
    expect(pmId).toBeGreaterThan(0);
    const [pmPost] = await q<{ id: string }>(
      `select id from community_posts where topic_id = $1 and post_number = 1`,
      [pmId],
    );
    expect(replies[1]!.external_id).toBe(`post:${pmPost!.id}`);

    // The customer's answers in the private thread find the conversation by this thread.
    const [outbound] = await q<{ thread_external_id: string; channel_kind: string }>(
      `select thread_external_id, channel_kind from posts where external_id = $1`,
      [`post:${pmPost!.id}`],
    );
    expect(outbound).toEqual({ thread_external_id: `topic:${pmId}`, channel_kind: 'forum' });

    // The acknowledgement is a staff reply in the public topic.
    const page = await get(topicPath);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('class="flair"');
    expect(page.body).toContain('a private message');
    expect(page.body).toContain('Our team is following up on this privately.');
    // The public never sees the private message or a link to it.
    expect(page.body).not.toContain('Which email address');
    expect(page.body).not.toContain(`/community/t/message/${pmId}`);
  });

  it('links the private thread for the topic’s author and staff only', async () => {
    const link = `href="/community/t/message/${pmId}"`;
    expect((await get(topicPath, member)).body).toContain(link);
    expect((await get(topicPath, mod)).body).toContain(link);
    const others = await get(topicPath, other);
    expect(others.body).toContain('Our team is following up on this privately.');
    expect(others.body).not.toContain(link);
    expect((await get(`/community/t/message/${pmId}`, other)).statusCode).toBe(404);
    expect((await get(`/community/t/message/${pmId}`)).statusCode).toBe(404);
    // Any staff member can read the thread of an inbox conversation, not only its sender.
    expect((await get(`/community/t/message/${pmId}`, mod)).statusCode).toBe(200);
  });

  it('brings the member’s answer in the private thread back into the same conversation', async () => {
    const inbox = await get('/community/messages', member);
    expect(inbox.body).toContain('Following up: I was charged twice');
    const pm = await get(`/community/t/message/${pmId}`, member);
    expect(pm.body).toContain('Which email address is on the account?');
    const res = await post(`/community/t/${pmId}/replies`, member, {
      body: 'It is member@example.test, thanks.',
    });
    expect(res.statusCode).toBe(200);
    await drain();
    const rows = await q<{ conversation_id: string; is_private: boolean; thread_external_id: string }>(
      `select conversation_id, is_private, thread_external_id from posts where text like 'It is member@%'`,
    );
    expect(rows).toEqual([
      { conversation_id: conversationId, is_private: true, thread_external_id: `topic:${pmId}` },
    ]);
    expect(await q('select id from conversations')).toHaveLength(1);

    // The agent's next private reply continues the same private thread.
    const [conv] = await q<{ version: number }>('select version from conversations where id = $1', [
      conversationId,
    ]);
    const next = await post(`/api/conversations/${conversationId}/replies`, agent, {
      text: 'Thanks, the refund is on its way.',
      kind: 'private_message',
      idempotencyKey: 'forum-private-2',
      basedOnVersion: conv!.version,
    });
    expect(next.statusCode).toBe(200);
    expect(await runOutbox()).toMatchObject({ sent: 1 });
    const thread = await get(`/community/t/message/${pmId}`, member);
    expect(thread.body).toContain('the refund is on its way');
    expect(await q(`select id from community_topics where visibility = 'private'`)).toHaveLength(1);
  });

  it('commits a forum post and its reply’s "sent" together: a failure in between posts nothing', async () => {
    const [conv] = await q<{ version: number }>('select version from conversations where id = $1', [
      conversationId,
    ]);
    const res = await post(`/api/conversations/${conversationId}/replies`, agent, {
      text: 'One more detail about your refund.',
      kind: 'private_message',
      idempotencyKey: 'forum-private-atomic',
      basedOnVersion: conv!.version,
    });
    expect(res.statusCode).toBe(200);
    const count = async () =>
      (await q(`select id from community_posts where body like 'One more detail%'`)).length;
    const failing = outbox({
      db: t.ctx.database.db,
      encryptionKey: t.ctx.config.encryptionKey,
      baseUrl: t.ctx.config.baseUrl,
      afterForumDelivery: () => {
        throw new Error('process died here');
      },
    });
    expect(await failing.processDue()).toMatchObject({ sent: 0, failed: 1 });
    expect(await count()).toBe(0);
    const [reply] = await q<{ status: string }>(
      `select status from replies where idempotency_key like '%:forum-private-atomic%'`,
    );
    expect(reply!.status).toBe('failed');
    // The words are kept as the agent's draft.
    const drafts = await q(
      `select text from replies where conversation_id = $1 and idempotency_key like 'draft:%'`,
      [conversationId],
    );
    expect(JSON.stringify(drafts)).toContain('One more detail');
  });

  it('posts the resolution notice in the topic and resolves the conversation', async () => {
    const [conv] = await q<{ version: number }>('select version from conversations where id = $1', [
      conversationId,
    ]);
    const notice = await post(`/api/conversations/${conversationId}/replies`, agent, {
      text: 'Resolved: the double charge was refunded. Thanks for your patience!',
      kind: 'resolution_notice',
      idempotencyKey: 'forum-resolution-1',
      basedOnVersion: conv!.version,
      acknowledgeRisk: true,
    });
    expect(notice.statusCode).toBe(200);
    expect(await runOutbox()).toMatchObject({ sent: 1, failed: 0 });
    const resolved = await post(`/api/conversations/${conversationId}/commands`, agent, { type: 'resolve' });
    expect(resolved.statusCode).toBe(200);
    expect(resolved.json().status).toBe('resolved');
    // (?page=1: a fresh render, not the anonymous page cached a moment ago)
    const page = await get(`${topicPath}?page=1`);
    expect(page.body).toContain('Resolution notice');
    expect(page.body).toContain('the double charge was refunded');
    expect(page.body).not.toContain('the refund is on its way');
  });
});

describe('a member writing to the staff privately', () => {
  it('gets the inbox’s private reply in the same private thread, from any staff member', async () => {
    const agentName = (await communityRepository(t.ctx.database.db).profileByUserId(agent.userId))!.username;
    const supervisor = await t.signIn('supervisor');
    const res = await post('/community/messages', other, {
      to: agentName,
      title: 'A private question about my invoice',
      body: 'Can you resend my invoice for March?',
    });
    expect(res.statusCode).toBe(200);
    await drain();
    const [conv] = await q<{ id: string; version: number; thread_external_id: string }>(
      `select c.id, c.version, c.thread_external_id from conversations c
        join posts p on p.conversation_id = c.id where p.text like 'A private question%'`,
    );
    const pmId = Number(conv!.thread_external_id.replace('topic:', ''));
    // The supervisor is not a participant of the thread: the reply still lands in it.
    const sent = await post(`/api/conversations/${conv!.id}/replies`, supervisor, {
      text: 'Sent again, check your inbox.',
      kind: 'private_message',
      idempotencyKey: 'forum-private-dm-1',
      basedOnVersion: conv!.version,
    });
    expect(sent.statusCode).toBe(200);
    expect(await runOutbox()).toMatchObject({ sent: 1, failed: 0 });
    const thread = await get(`/community/t/message/${pmId}`, other);
    expect(thread.body).toContain('Sent again, check your inbox.');
    expect((await get(`/community/t/message/${pmId}`, supervisor)).statusCode).toBe(200);
    expect((await get(`/community/t/message/${pmId}`, member)).statusCode).toBe(404);
  });
});
