import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { drainAll, drainOnce } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let t: PipelineTestBed;
let database: PipelineTestBed['database'];
let deps: PipelineTestBed['deps'];

const post = (over: Partial<InboundPost> = {}): InboundPost =>
  t.post('u-1', {
    author: { externalId: 'u-1', handle: 'dana', displayName: 'Dana', followers: 120 },
    text: 'My flight was cancelled and nobody answers, this is terrible service',
    ...over,
  });

const q = <T = Record<string, unknown>>(text: string, params: unknown[] = []) => t.q<T>(text, params);

beforeAll(async () => {
  t = await pipelineTestBed('Test X');
  ({ database, deps } = t);
});
afterAll(async () => {
  await database.drop();
});
beforeEach(async () => {
  await q('delete from routing_rules');
  await q('delete from sla_policies');
  await q(`update users set online = false`);
  deps.config.invalidate();
});

describe('triage pipeline', () => {
  it('stores the same external id once, even twice in one batch and again later', async () => {
    const p = post({ externalId: `dup-${randomUUID()}` });
    await enqueueInbound(database.pool, [p, p]);
    const first = await drainAll(deps);
    await enqueueInbound(database.pool, [p]);
    const second = await drainAll(deps);
    const rows = await q('select id from posts where external_id = $1', [p.externalId]);
    expect(rows).toHaveLength(1);
    expect(first.stored).toBe(1);
    expect(first.duplicates).toBe(1);
    expect(second.stored).toBe(0);
    expect(second.duplicates).toBe(1);
    expect(await q('select 1 from inbound_queue')).toHaveLength(0);
  });

  it('threads a reply in the same platform thread and the same contact within the window', async () => {
    const author = { externalId: `a-${randomUUID()}`, handle: 'sam' };
    const root = post({ author, text: 'Where is my refund? Ordered two weeks ago and nothing.' });
    const reply = post({ author, threadExternalId: root.threadExternalId, text: 'Still waiting on this.' });
    const elsewhere = post({ author, text: 'Also the app crashes when I open my orders.' });
    await enqueueInbound(database.pool, [root]);
    await drainAll(deps);
    await enqueueInbound(database.pool, [reply, elsewhere]);
    await drainAll(deps);
    const rows = await q<{ conversation_id: string }>(
      'select distinct conversation_id from posts where external_id = any($1)',
      [[root.externalId, reply.externalId, elsewhere.externalId]],
    );
    expect(rows).toHaveLength(1);
    const [conv] = await q<{ message_count: number; contact_id: string }>(
      'select message_count, contact_id from conversations where id = $1',
      [rows[0]!.conversation_id],
    );
    expect(conv!.message_count).toBe(3);
    const identities = await q('select 1 from contact_identities where external_id = $1', [
      author.externalId,
    ]);
    expect(identities).toHaveLength(1);
  });

  it('a forum member’s second topic opens a second conversation; their private message joins by contact', async () => {
    const [forum] = await q<{ id: string }>(
      `insert into channels (kind, name, base_url) values ('forum', 'Forum', 'http://127.0.0.1') returning id`,
    );
    deps.config.invalidate();
    const author = { externalId: `m-${randomUUID()}`, handle: 'member' };
    const topic = (n: string, over: Partial<InboundPost> = {}) =>
      post({
        channelKind: 'forum',
        channelId: forum!.id,
        externalId: `post:${n}`,
        threadExternalId: `topic:${n}`,
        author,
        ...over,
      });
    const first = topic('1', { text: 'I was charged twice for my subscription this month' });
    const second = topic('2', { text: 'How do I export my invoices as PDF?' });
    const reply = topic('3', { threadExternalId: 'topic:1', parentExternalId: 'post:1', text: 'Any news?' });
    const pm = topic('4', {
      threadExternalId: 'pm:9',
      isPrivate: true,
      text: 'Here is my order number 1234',
    });
    await enqueueInbound(database.pool, [first]);
    await drainAll(deps);
    await enqueueInbound(database.pool, [second, reply, pm]);
    await drainAll(deps);
    const rows = await q<{ external_id: string; conversation_id: string }>(
      `select external_id, conversation_id from posts where channel_id = $1 order by external_id`,
      [forum!.id],
    );
    const conv = Object.fromEntries(rows.map((r) => [r.external_id, r.conversation_id]));
    expect(conv['post:2']).not.toBe(conv['post:1']);
    expect(conv['post:3']).toBe(conv['post:1']);
    // The private message goes to the contact's most recently active conversation on the channel.
    expect([conv['post:1'], conv['post:2']]).toContain(conv['post:4']);
  });

  it('two customers replying under one public thread on X get a conversation each', async () => {
    const root = post({
      author: { externalId: `al-${randomUUID()}`, handle: 'alice' },
      text: 'My order is late',
    });
    const bob = post({
      author: { externalId: `bo-${randomUUID()}`, handle: 'bob' },
      threadExternalId: root.threadExternalId,
      parentExternalId: root.externalId,
      text: 'Same here, my parcel never came either',
    });
    const aliceAgain = post({
      author: root.author,
      threadExternalId: root.threadExternalId,
      parentExternalId: root.externalId,
      text: 'Any update?',
    });
    await enqueueInbound(database.pool, [root]);
    await drainAll(deps);
    await enqueueInbound(database.pool, [bob, aliceAgain]);
    await drainAll(deps);
    const rows = await q<{ external_id: string; conversation_id: string }>(
      'select external_id, conversation_id from posts where external_id = any($1)',
      [[root.externalId, bob.externalId, aliceAgain.externalId]],
    );
    const conv = Object.fromEntries(rows.map((r) => [r.external_id, r.conversation_id]));
    expect(conv[bob.externalId]).not.toBe(conv[root.externalId]);
    expect(conv[aliceAgain.externalId]).toBe(conv[root.externalId]);
  });

  it('a follow-up does not count its own conversation as the customer’s complaint history', async () => {
    const author = { externalId: `h-${randomUUID()}`, handle: 'hana', followers: 10 };
    const text = 'You charged my card twice and nobody answers. Terrible service, I want my money back';
    const first = post({ author, text });
    await enqueueInbound(database.pool, [first]);
    await drainAll(deps);
    const score = async () =>
      (
        await q<{ intent: string; priority_score: number }>(
          'select c.intent, c.priority_score from conversations c join posts p on p.conversation_id = c.id where p.external_id = $1',
          [first.externalId],
        )
      )[0]!;
    const before = await score();
    expect(before.intent).toBe('complaint');
    await enqueueInbound(database.pool, [post({ author, text, threadExternalId: first.threadExternalId })]);
    await drainAll(deps);
    expect((await score()).priority_score).toBe(before.priority_score);
  });

  it('routes by the default policy: complaints and questions to support, praise and leads to marketing, spam ignored with reason', async () => {
    const texts = {
      complaint: 'Your airline lost my luggage and the staff were rude, worst experience ever',
      question: 'How do I change the email address on my account?',
      praise: 'Thank you so much, the crew was amazing and the flight was wonderful! Love you guys',
      lead: 'Do you offer enterprise pricing? We want to buy 200 licenses for our team, please send a quote',
      spam: 'Click here to win a free iPhone!!! Follow and DM for crypto giveaway http://spam.example',
    };
    const posts = Object.entries(texts).map(([k, text]) =>
      post({
        externalId: `route-${k}-${randomUUID()}`,
        author: { externalId: `r-${k}-${randomUUID()}`, handle: k },
        text,
      }),
    );
    await enqueueInbound(database.pool, posts);
    await drainAll(deps);
    const rows = await q<{
      external_id: string;
      intent: string;
      queue: string | null;
      reason: string | null;
    }>(
      `select p.external_id, p.intent, c.queue, i.reason from posts p
         left join conversations c on c.id = p.conversation_id left join ignored_posts i on i.post_id = p.id
        where p.external_id = any($1)`,
      [posts.map((p) => p.externalId)],
    );
    const by = (k: string) => rows.find((r) => r.external_id.startsWith(`route-${k}-`))!;
    expect(by('complaint')).toMatchObject({ intent: 'complaint', queue: 'support' });
    expect(by('question')).toMatchObject({ intent: 'question', queue: 'support' });
    expect(by('praise')).toMatchObject({ intent: 'praise', queue: 'marketing' });
    expect(by('lead')).toMatchObject({ intent: 'lead', queue: 'marketing' });
    expect(by('spam')).toMatchObject({ intent: 'spam', queue: null, reason: 'spam' });
  });

  it('applies an admin rule before the default policy', async () => {
    await q(
      `insert into routing_rules (position, name, conditions, action)
       values (0, 'German to moderation', '{"languages":["de"]}', '{"queue":"moderation","team":"dach"}')`,
    );
    deps.config.invalidate();
    const p = post({
      author: { externalId: `de-${randomUUID()}`, handle: 'jonas' },
      text: 'Ich habe mein Paket noch nicht bekommen und das ist nicht das erste Mal',
    });
    await enqueueInbound(database.pool, [p]);
    await drainAll(deps);
    const [row] = await q<{ queue: string; team: string; language: string }>(
      `select c.queue, c.team, c.language from posts p join conversations c on c.id = p.conversation_id
        where p.external_id = $1`,
      [p.externalId],
    );
    expect(row).toEqual({ queue: 'moderation', team: 'dach', language: 'de' });
  });

  it('assigns within capacity, writes SLA due times and records events', async () => {
    await q(
      `insert into sla_policies (name, position, policy) values ('Fast', 0, '{"targets":{"firstResponseMinutes":30,"resolutionMinutes":600}}')`,
    );
    const agents = await q<{ id: string }>(
      `insert into users (email, display_name, role, password_hash, capacity, online)
       values ('cap-a-${Date.now()}@t.test', 'A', 'agent', 'x', 1, true), ('cap-b-${Date.now()}@t.test', 'B', 'agent', 'x', 1, true)
       returning id`,
    );
    deps.config.invalidate();
    const posts = [1, 2, 3].map((i) =>
      post({
        author: { externalId: `cap-${i}-${randomUUID()}`, handle: `c${i}` },
        text: 'My order never arrived, I want a refund',
      }),
    );
    await enqueueInbound(database.pool, posts);
    const started = Date.now();
    await drainAll(deps);
    const rows = await q<{
      id: string;
      assignee_id: string | null;
      status: string;
      first_response_due_at: Date;
      resolution_due_at: Date;
    }>(
      `select c.id, c.assignee_id, c.status, c.first_response_due_at, c.resolution_due_at
         from posts p join conversations c on c.id = p.conversation_id where p.external_id = any($1)`,
      [posts.map((p) => p.externalId)],
    );
    const assigned = rows.filter((r) => r.assignee_id);
    expect(assigned).toHaveLength(2);
    expect(new Set(assigned.map((r) => r.assignee_id))).toEqual(new Set(agents.map((a) => a.id)));
    expect(assigned.every((r) => r.status === 'open')).toBe(true);
    for (const r of rows) {
      const frt = r.first_response_due_at.getTime() - started;
      expect(frt).toBeGreaterThan(29 * 60_000);
      expect(frt).toBeLessThan(31 * 60_000);
      expect(r.resolution_due_at.getTime() - r.first_response_due_at.getTime()).toBeCloseTo(570 * 60_000, -4);
    }
    const events = await q<{ conversation_id: string; type: string }>(
      'select conversation_id, type from conversation_events where conversation_id = any($1)',
      [rows.map((r) => r.id)],
    );
    for (const r of rows) {
      const types = events
        .filter((e) => e.conversation_id === r.id)
        .map((e) => e.type)
        .sort();
      const expected = ['conversation_opened', 'customer_messaged', 'routed'];
      if (r.assignee_id) expected.push('assigned', 'status_changed');
      expect(types).toEqual(expected.sort());
    }
    const scheduled = await q('select 1 from sla_schedule where conversation_id = any($1)', [
      rows.map((r) => r.id),
    ]);
    expect(scheduled).toHaveLength(3);
  });

  it('loses nothing when the worker dies mid-batch: the transaction rolls back and the posts are drained again', async () => {
    const posts = Array.from({ length: 50 }, (_, i) =>
      post({
        externalId: `kill-${i}-${randomUUID()}`,
        author: { externalId: `kill-${i % 7}`, handle: `k${i}` },
      }),
    );
    await enqueueInbound(database.pool, posts);
    const dying = {
      ...deps,
      beforeCommit: () => {
        throw Object.assign(new Error('worker killed'), { code: '57P01' });
      },
    };
    await expect(drainOnce(dying, 20)).rejects.toThrow('worker killed');
    const ids = posts.map((p) => p.externalId);
    expect(await q('select 1 from posts where external_id = any($1)', [ids])).toHaveLength(0);
    expect(await q('select 1 from inbound_queue')).toHaveLength(50);
    await drainAll(deps, 20);
    const stored = await q<{ external_id: string }>(
      'select external_id from posts where external_id = any($1)',
      [ids],
    );
    expect(stored.map((r) => r.external_id).sort()).toEqual([...ids].sort());
    expect(await q('select 1 from inbound_queue')).toHaveLength(0);
  });

  it('keeps malformed posts as dead letters with the reason instead of dropping them', async () => {
    await enqueueInbound(database.pool, [
      { ...post(), channelId: 'not-a-uuid' },
      post({ text: 'fine, thanks' }),
    ]);
    const r = await drainAll(deps);
    expect(r.deadLetters).toBe(1);
    expect(r.stored).toBe(1);
    const dead = await q<{ error: string }>(
      'select error from inbound_dead_letters order by failed_at desc limit 1',
    );
    expect(dead[0]!.error).toMatch(/channelId/);
  });

  it('acknowledges and stores a post with NUL characters and a cut emoji (each used to fail the whole batch)', async () => {
    const nul = post({
      externalId: `nul-${randomUUID()}`,
      text: 'my order\u0000 never came \\u0000 and support\u0000 is silent \ud83d',
      author: { externalId: `nul-${randomUUID()}`, handle: 'nu\u0000ll', displayName: 'N\u0000ull' },
      raw: { text: 'a\u0000b', literal: '\\u0000' },
    });
    const neighbour = post({ externalId: `ok-${randomUUID()}`, text: 'fine, thanks' });
    expect(await enqueueInbound(database.pool, [nul, neighbour])).toBe(2);
    const r = await drainAll(deps);
    expect(r.deadLetters).toBe(0);
    const [stored] = await q<{ text: string; author_handle: string; raw: unknown }>(
      'select text, author_handle, raw from posts where external_id = $1',
      [nul.externalId],
    );
    expect(stored).toEqual({
      text: 'my order never came \\u0000 and support is silent \ufffd',
      author_handle: 'null',
      raw: { text: 'ab', literal: '\\u0000' },
    });
    expect(await q('select 1 from posts where external_id = $1', [neighbour.externalId])).toHaveLength(1);
  });
}, 60_000);
