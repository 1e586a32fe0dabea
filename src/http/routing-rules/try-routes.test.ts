/**
 * Trying routing through the API: a sample post through the real classifiers, priority and router
 * (saved or candidate rules), and candidate rules replayed on posts that went through the real pipeline.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from '../pipeline/fixtures.test-helper.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const api = (url: string, payload: object, who = admin) =>
  t.app.inject({ method: 'POST', url: `/api/routing-rules/${url}`, headers: who, payload });

const COMPLAINT = 'Where is my refund? Still waiting after two weeks';
const refundsRule = (over: object = {}) => ({
  id: 'refunds',
  name: 'Refunds to billing',
  enabled: true,
  conditions: { keywords: { any: ['refund'] } },
  action: { queue: 'support', team: 'billing' },
  ...over,
});

describe('POST /api/routing-rules/try', () => {
  it('a complaint goes to support by the default policy, with its classification, priority and SLA', async () => {
    const res = await api('try', { text: COMPLAINT, channel: 'x', followers: 12_000 });
    expect(res.statusCode).toBe(200);
    const tried = res.json();
    expect(tried).toMatchObject({
      rules: 'saved',
      language: 'en',
      classification: { complaint: true, sentiment: 'negative', intent: 'complaint' },
      decision: { queue: 'support', team: null, ignoreReason: null, rule: null },
    });
    expect(tried.classification.intentReason).toMatch(/complaint model score/);
    const factors = tried.priority.factors.map((f: { factor: string }) => f.factor);
    expect(factors).toEqual(expect.arrayContaining(['urgency', 'reach', 'public', 'sentiment', 'complaint']));
    expect(tried.priority.factors.find((f: { factor: string }) => f.factor === 'reach').detail).toBe(
      '12000 followers',
    );
    // No SLA policy saved: the pipeline's defaults, tighter for high and urgent priority.
    const high = ['high', 'urgent'].includes(tried.priority.level);
    expect(tried.sla).toEqual({
      policyId: high ? 'default-urgent' : 'default',
      name: high ? 'Default (high and urgent)' : 'Default',
      firstResponseMinutes: high ? 30 : 120,
      businessHours: false,
    });
  });

  it('a private message has no public factor; spam is ignored with its reason and no SLA', async () => {
    const dm = (await api('try', { text: COMPLAINT, public: false })).json();
    expect(dm.priority.factors.map((f: { factor: string }) => f.factor)).not.toContain('public');
    const spam = (
      await api('try', {
        text: 'Follow me for free crypto giveaway!!! click here https://x.co/a https://x.co/b',
      })
    ).json();
    expect(spam.decision).toEqual({ queue: 'ignore', team: null, ignoreReason: 'spam', rule: null });
    expect(spam.sla).toBeNull();
  });

  it('a candidate rule on a keyword changes the decision and is named with its position', async () => {
    const rules = [
      refundsRule({ id: 'first', name: 'Never', conditions: { intents: ['lead'] } }),
      refundsRule(),
    ];
    const tried = (await api('try', { text: COMPLAINT, rules })).json();
    expect(tried.rules).toBe('candidate');
    expect(tried.decision).toEqual({
      queue: 'support',
      team: 'billing',
      ignoreReason: null,
      rule: { id: 'refunds', name: 'Refunds to billing', position: 1 },
    });
    // The saved rules are untouched: still the default policy.
    expect((await api('try', { text: COMPLAINT })).json().decision.rule).toBeNull();
  });

  it('tries the saved rules when no candidate is given', async () => {
    const { id, ...body } = refundsRule({ name: 'Saved refunds', action: { queue: 'moderation' } });
    const saved = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules',
      headers: admin,
      payload: body,
    });
    const tried = (await api('try', { text: COMPLAINT })).json();
    expect(tried.decision).toMatchObject({
      queue: 'moderation',
      rule: { id: saved.json().rule.id, name: 'Saved refunds', position: 0 },
    });
    await t.app.inject({
      method: 'DELETE',
      url: `/api/routing-rules/${saved.json().rule.id}`,
      headers: admin,
    });
  });

  it('invalid candidates: 400 with the problems /validate lists', async () => {
    const rules = [refundsRule({ action: { queue: 'ignore' } }), refundsRule()];
    const res = await api('try', { text: COMPLAINT, rules });
    expect(res.statusCode).toBe(400);
    const validated = (await api('validate', { rules })).json();
    expect(validated.problems.length).toBeGreaterThan(0);
    expect(res.json().error).toMatchObject({
      code: 'invalid_routing_rules',
      details: { problems: validated.problems },
    });
  });

  it('refuses bad sample posts, too many candidate rules, and everyone but admins', async () => {
    expect((await api('try', { text: '' })).statusCode).toBe(400);
    expect((await api('try', { text: 'x'.repeat(10_001) })).statusCode).toBe(400);
    expect((await api('try', { text: 'hi', channel: 'myspace' })).statusCode).toBe(400);
    expect((await api('try', { text: 'hi', followers: -1 })).statusCode).toBe(400);
    const agent = await t.signIn('agent');
    expect((await api('try', { text: COMPLAINT }, agent)).statusCode).toBe(403);
    expect((await api('impact', {}, agent)).statusCode).toBe(403);
    const supervisor = await t.signIn('supervisor');
    expect((await api('try', { text: COMPLAINT }, supervisor)).statusCode).toBe(403);
    expect((await api('impact', {}, supervisor)).statusCode).toBe(403);
    const many = Array.from({ length: 201 }, (_, i) => refundsRule({ id: `r${i}`, name: `Rule ${i}` }));
    expect((await api('impact', { rules: many })).statusCode).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/routing-rules/try'].post.requestBody).toBeDefined();
    expect(doc.paths['/api/routing-rules/impact'].post.responses['200']).toBeDefined();
  });
});

describe('POST /api/routing-rules/impact', () => {
  beforeAll(async () => {
    const f = pipelineFixture(t);
    const channelId = randomUUID();
    await f.connect(channelId);
    const first = f.post(channelId, 'refund-author', COMPLAINT);
    await f.enqueue([
      first,
      f.post(channelId, undefined, 'My order arrived broken and nobody answers. Worst service ever.'),
      f.post(channelId, undefined, 'How do I change my delivery address?'),
      f.post(channelId, undefined, 'I love the new app, thank you so much, great work team!'),
      f.post(
        channelId,
        undefined,
        'Follow me for free crypto giveaway!!! click here https://x.co/a https://x.co/b',
      ),
    ]);
    await f.drain();
    // A follow-up joins the first conversation: never routed, so never replayed.
    await f.enqueue([
      {
        ...f.post(channelId, 'refund-author', 'Still no refund, answer me'),
        threadExternalId: first.threadExternalId,
      },
    ]);
    await f.drain();
  });

  it('one candidate rule: counts per queue and team, what changes, and examples', async () => {
    const { id, ...rule } = refundsRule();
    const res = await api('impact', { rule });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      limit: 500,
      posts: 5,
      changed: 1,
      destinations: [
        { queue: 'support', team: null, actual: 3, candidate: 2 },
        { queue: 'support', team: 'billing', actual: 0, candidate: 1 },
        { queue: 'marketing', team: null, actual: 1, candidate: 1 },
        { queue: 'ignore', team: null, actual: 1, candidate: 1 },
      ],
      examples: [
        {
          postId: expect.any(String),
          excerpt: COMPLAINT,
          from: { queue: 'support', team: null },
          to: { queue: 'support', team: 'billing' },
          rule: { id: 'candidate', name: 'Refunds to billing', position: 0 },
        },
      ],
    });
  });

  it('a whole candidate list, the newest posts only, and the saved rules change nothing', async () => {
    const praise = refundsRule({
      id: 'p',
      name: 'Praise',
      conditions: { intents: ['praise'] },
      action: { queue: 'moderation' },
    });
    const all = (await api('impact', { rules: [praise] })).json();
    expect(all).toMatchObject({ posts: 5, changed: 1 });
    expect(all.examples[0]).toMatchObject({ from: { queue: 'marketing' }, to: { queue: 'moderation' } });
    expect((await api('impact', { rules: [praise], limit: 2 })).json().posts).toBe(2);
    expect((await api('impact', {})).json()).toMatchObject({ posts: 5, changed: 0, examples: [] });
  });

  it('refuses invalid candidates with their problems, and both a list and a rule', async () => {
    const bad = await api('impact', { rule: { name: '', conditions: {}, action: { queue: 'nowhere' } } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.problems.length).toBeGreaterThan(0);
    expect((await api('impact', { rules: [], rule: refundsRule() })).statusCode).toBe(400);
    expect((await api('impact', { limit: 2_001 })).statusCode).toBe(400);
  });

  it('leaves out a restored ignored post: a person chose its queue, the rules did not', async () => {
    const [spam] = (await t.ctx.database.pool.query('select post_id from ignored_posts')).rows;
    const restored = await t.app.inject({
      method: 'POST',
      url: '/api/ignored-posts/restore',
      headers: admin,
      payload: { postIds: [spam.post_id], queue: 'support', intent: 'complaint' },
    });
    expect(restored.statusCode).toBe(200);
    expect((await api('impact', {})).json()).toMatchObject({ posts: 4, changed: 0, examples: [] });
  });
});
