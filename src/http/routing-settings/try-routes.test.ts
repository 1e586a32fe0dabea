/**
 * Try routing and impact previews on /app/settings/routing, as plain HTML forms (no JavaScript): the
 * decision in sentences, refused input next to its field, a rule's impact on posts that went through the
 * real pipeline, hostile text shown as text, nothing saved.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { routingService } from '../../services/routing.ts';
import { pipelineFixture } from '../pipeline/fixtures.test-helper.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const PAGE = '/app/settings/routing';
const rules = () => routingService(t.ctx.database.db, t.bus).list();
const HOSTILE = '<script>alert(1)</script> "><img src=x onerror=alert(2)>';
const COMPLAINT = 'Where is my refund? Still waiting after two weeks';
const noHostileMarkup = (html: string) => {
  expect(html).not.toContain('<script>alert(1)');
  expect(html).not.toContain('<img src=x');
  expect(html).toContain('&lt;script>alert(1)&lt;/script>');
};

describe('Try routing form', () => {
  it('is on the routing page with labelled fields', async () => {
    const res = await t.app.inject({ url: PAGE, headers: { cookie: admin.cookie } });
    expect(res.body).toContain('<h2 id="try-routing">Try routing</h2>');
    expect(res.body).toContain('action="/app/settings/routing/try"');
    for (const field of ['text', 'channel', 'followers', 'public']) {
      expect(res.body).toContain(`for="try-${field}"`);
    }
  });

  it('round trip: the decision in sentences, what was typed kept', async () => {
    const res = await t.postForm(admin, `${PAGE}/try`, {
      text: COMPLAINT,
      channel: 'x',
      followers: '250',
      public: 'true',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('What the pipeline would decide');
    expect(res.body).toContain('It would go to the support queue, decided by the default policy.');
    expect(res.body).toMatch(/Intent complaint: complaint model score 0\.\d+\./);
    expect(res.body).toMatch(/Priority (high|urgent|normal) \([\d.]+ of 100\): urgency \+[\d.]+ \(/);
    expect(res.body).toContain('reach +');
    expect(res.body).toMatch(/SLA policy “Default[^”]*”: first response due within \d+ (min|h)/);
    expect(res.body).toContain(`>${COMPLAINT}</textarea>`);
    expect(res.body).toMatch(/<option value="x" selected/);
    expect(res.body).toContain('value="250"');
    expect(await rules()).toEqual([]);
  });

  it('refused input: the error next to its field, the page again with what was typed', async () => {
    const res = await t.postForm(admin, `${PAGE}/try`, { text: COMPLAINT, followers: 'many' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('id="try-followers-error"');
    expect(res.body).toContain('Followers: a whole number, 0 or more.');
    expect(res.body).toContain('aria-invalid="true"');
    expect(res.body).not.toContain('What the pipeline would decide');
    const empty = await t.postForm(admin, `${PAGE}/try`, { text: '   ' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Type the post to try, up to 10,000 characters.');
  });

  it('hostile text in the post is shown as text', async () => {
    const res = await t.postForm(admin, `${PAGE}/try`, { text: `${HOSTILE} my refund never came` });
    expect(res.statusCode).toBe(200);
    noHostileMarkup(res.body);
  });

  it('is for admins, like the page', async () => {
    for (const role of ['supervisor', 'agent'] as const) {
      const who = await t.signIn(role);
      expect((await t.postForm(who, `${PAGE}/try`, { text: COMPLAINT })).statusCode).toBe(403);
      expect(
        (await t.postForm(who, `${PAGE}/rules/impact`, { name: 'x', queue: 'support' })).statusCode,
      ).toBe(403);
    }
  });
});

describe('impact preview from a rule form', () => {
  beforeAll(async () => {
    const f = pipelineFixture(t);
    const channelId = randomUUID();
    await f.connect(channelId);
    await f.enqueue([
      f.post(channelId, undefined, COMPLAINT),
      f.post(channelId, undefined, `${HOSTILE} refund please, it is broken`),
      f.post(channelId, undefined, 'How do I change my delivery address?'),
      f.post(channelId, undefined, 'I love the new app, thank you so much, great work team!'),
    ]);
    await f.drain();
  });

  const refundRule = {
    name: HOSTILE,
    enabled: 'true',
    keywordsAny: 'refund',
    queue: 'support',
    team: 'billing',
  };

  it('a new rule: counts per queue and team, examples, hostile text escaped, nothing saved', async () => {
    const res = await t.postForm(admin, `${PAGE}/rules/impact`, refundRule);
    expect(res.statusCode).toBe(200);
    expect(res.body).toMatch(/<h2 id="impact">Impact of rule “.*” on the last 500 posts<\/h2>/);
    expect(res.body).toContain('Of the 4 most recent posts routing decided for');
    expect(res.body).toContain('decided for (new conversations and ignored posts), 2 would go elsewhere');
    expect(res.body).toContain('<th scope="col">Goes to</th>');
    expect(res.body).toMatch(/<th scope="row">support queue<\/th><td>3<\/td><td>1<\/td>/);
    expect(res.body).toMatch(/<th scope="row">support queue, team billing<\/th><td>0<\/td><td>2<\/td>/);
    expect(res.body).toMatch(/<th scope="row">marketing queue<\/th><td>1<\/td><td>1<\/td>/);
    expect(res.body).toContain(
      `“${COMPLAINT}”: from support queue to support queue, team billing, by rule 1`,
    );
    noHostileMarkup(res.body);
    // the form keeps what was typed
    expect(res.body).toContain('value="refund"');
    expect(await rules()).toEqual([]);
  });

  it('a saved rule being edited: previewed in its place, its form open', async () => {
    await t.postForm(admin, `${PAGE}/rules`, {
      name: 'Praise',
      enabled: 'true',
      intents: 'praise',
      queue: 'marketing',
    });
    const [saved] = await rules();
    const res = await t.postForm(admin, `${PAGE}/rules/${saved!.id}/impact`, {
      name: 'Praise to moderation',
      enabled: 'true',
      intents: 'praise',
      queue: 'moderation',
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Impact of rule “Praise to moderation”');
    expect(res.body).toMatch(/<th scope="row">moderation queue<\/th><td>0<\/td><td>1<\/td>/);
    expect(res.body).toContain('<details open><summary>Edit<span class="sr"> rule “Praise”');
    expect((await rules())[0]!.name).toBe('Praise');
  });

  it('an invalid rule is not previewed: the errors next to the fields', async () => {
    const res = await t.postForm(admin, `${PAGE}/rules/impact`, { name: 'No reason', queue: 'ignore' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Not previewed');
    expect(res.body).toContain('Ignoring needs a reason.');
    expect(res.body).not.toContain('id="impact"');
  });
});
