/** Admins edit routing rules at /app/settings/routing with plain HTML forms, through the API's service. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { routingService } from '../../services/routing.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const PAGE = '/app/settings/routing';
const post: TestApp['postForm'] = (...args) => t.postForm(...args);
const rules = () => routingService(t.ctx.database.db, t.bus).list();
const show = async (url = PAGE) => t.app.inject({ url, headers: { cookie: admin.cookie } });

describe('routing rules page', () => {
  it('shows the default policy and an empty list', async () => {
    const res = await show();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('None yet: the default policy decides.');
    expect(res.body).toMatch(/<th scope="row">spam<\/th><td>ignored \(reason: spam\)<\/td>/);
    expect(res.body).toContain('<a href="/app/settings/routing" aria-current="page">');
    expect(res.body).toContain('action="/app/settings/routing/rules"');
  });

  it('an admin adds a rule with every kind of condition; the API sees it; audited', async () => {
    const res = await post(admin, `${PAGE}/rules`, {
      name: '  Angry  refunds ',
      enabled: 'true',
      channelKinds: ['x', 'mastodon'],
      intents: 'complaint',
      sentiments: ['negative'],
      keywordsAny: 'refund, money back',
      keywordsNone: 'giveaway',
      languages: 'en, de',
      minPriority: 'high',
      visibility: 'public',
      queue: 'support',
      team: 'billing',
      ignoreReason: 'left over from another choice',
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${PAGE}?done=rule-added`);
    const [rule] = await rules();
    expect(rule).toMatchObject({
      name: 'Angry refunds',
      enabled: true,
      conditions: {
        channelKinds: ['x', 'mastodon'],
        intents: ['complaint'],
        sentiments: ['negative'],
        keywords: { any: ['refund', 'money back'], none: ['giveaway'] },
        languages: ['en', 'de'],
        minPriority: 'high',
        visibility: 'public',
      },
      action: { queue: 'support', team: 'billing' },
    });
    expect(rule!.action.ignoreReason).toBeUndefined();
    const api = await t.app.inject({ url: '/api/routing-rules', headers: admin });
    expect(api.json().rules).toHaveLength(1);
    const audited = await t.ctx.database.db.select().from(auditLog).where(eq(auditLog.subjectId, rule!.id));
    expect(audited.map((a) => a.action)).toEqual(['routing_rule.create']);

    const page = await show(`${PAGE}?done=rule-added`);
    expect(page.body).toContain('Rule added.');
    expect(page.body).toContain('text has any of “refund”, “money back”');
    expect(page.body).toContain('value="refund, money back"');
    expect(page.body).toMatch(/name="channelKinds" value="mastodon" checked/);
  });

  it('edits, disables, enables and moves rules', async () => {
    await post(admin, `${PAGE}/rules`, {
      name: 'Spam words',
      enabled: 'true',
      keywordsAny: 'casino',
      queue: 'ignore',
      ignoreReason: 'spam words',
    });
    const [a, b] = await rules();
    const edited = await post(admin, `${PAGE}/rules/${a!.id}`, {
      name: 'Refunds',
      keywordsAll: 'refund',
      queue: 'marketing',
    });
    expect(edited.headers.location).toBe(`${PAGE}?done=rule-changed`);
    expect((await rules())[0]).toMatchObject({
      id: a!.id,
      name: 'Refunds',
      enabled: false,
      conditions: { keywords: { all: ['refund'] } },
      action: { queue: 'marketing' },
    });
    const enabled = await post(admin, `${PAGE}/rules/${a!.id}/enabled`, { enabled: 'true' });
    expect(enabled.headers.location).toBe(`${PAGE}?done=rule-enabled`);
    expect((await rules())[0]!.enabled).toBe(true);
    await post(admin, `${PAGE}/rules/${b!.id}/enabled`, { enabled: 'false' });
    expect((await show()).body).toContain('<span class="severity">disabled</span>');

    const down = await post(admin, `${PAGE}/rules/${a!.id}/move`, { direction: 'down' });
    expect(down.headers.location).toBe(`${PAGE}?done=rule-moved`);
    expect((await rules()).map((r) => r.id)).toEqual([b!.id, a!.id]);
    await post(admin, `${PAGE}/rules/${a!.id}/move`, { direction: 'down' }); // already last
    await post(admin, `${PAGE}/rules/${a!.id}/move`, { direction: 'up' });
    expect((await rules()).map((r) => r.id)).toEqual([a!.id, b!.id]);
  });

  it('invalid input: the page again with the errors next to the fields, the values kept, nothing saved', async () => {
    const before = await rules();
    const unnamed = await post(admin, `${PAGE}/rules`, {
      name: ' ',
      keywordsAny: 'kept words',
      queue: 'support',
    });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.body).toContain('Give the rule a name.');
    expect(unnamed.body).toContain('value="kept words"');

    const res = await post(admin, `${PAGE}/rules`, {
      name: 'Questions',
      enabled: 'true',
      intents: ['question', 'praise'],
      keywordsAny: 'ok, ---',
      languages: 'de-CH',
      queue: 'ignore',
      ignoreReason: '',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('role="alert"');
    expect(res.body).toContain('The rule was not saved: please check the form.');
    expect(res.body).toContain('Keyword needs a letter or digit.');
    expect(res.body).toContain('Ignoring needs a reason.');
    expect(res.body).toContain('href="#rule-new-ignoreReason"');
    expect(res.body).toMatch(/id="rule-new-keywordsAny"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('value="ok, ---"');
    expect(res.body).toContain('value="de-CH"');
    expect(res.body).toMatch(/name="intents" value="praise" checked/);
    expect(res.body).toMatch(/<option value="ignore" selected/);
    expect(await rules()).toEqual(before);

    const [first] = before;
    const edit = await post(admin, `${PAGE}/rules/${first!.id}`, { name: 'Still here', queue: 'ignore' });
    expect(edit.statusCode).toBe(400);
    expect(edit.body).toMatch(/<details open/);
    expect(edit.body).toContain('value="Still here"');
    expect(await rules()).toEqual(before);
  });

  it('hostile input in a name or keyword is shown as text', async () => {
    const evil = '<script>alert(1)</script>';
    const res = await post(admin, `${PAGE}/rules`, {
      name: `${evil} rule`,
      enabled: 'true',
      keywordsAny: `${evil}x, <img src=x onerror=alert(2)>y`,
      queue: 'support',
      team: '<b>team</b>',
    });
    expect(res.statusCode).toBe(303);
    const page = await show();
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).not.toContain('<img src=x');
    expect(page.body).not.toContain('<b>team');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script> rule');
    const refused = await post(admin, `${PAGE}/rules`, { name: evil, queue: 'ignore' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('<script>alert(1)');
  });

  it('removes a rule; removing it again says it is gone', async () => {
    const all = await rules();
    const last = all.at(-1)!;
    const res = await post(admin, `${PAGE}/rules/${last.id}/remove`, {});
    expect(res.headers.location).toBe(`${PAGE}?done=rule-removed`);
    expect((await rules()).map((r) => r.id)).toEqual(all.slice(0, -1).map((r) => r.id));
    const again = await post(admin, `${PAGE}/rules/${last.id}/remove`, {});
    expect(again.headers.location).toBe(`${PAGE}?done=rule-gone`);
    const gone = await post(admin, `${PAGE}/rules/${last.id}`, { name: 'My draft', queue: 'support' });
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('What you typed is in the add form below.');
    expect(gone.body).toContain('value="My draft"');
  });
});

it('supervisors and agents get 403 (like the API); signed-out browsers go to sign in', async () => {
  for (const role of ['supervisor', 'agent'] as const) {
    const who = await t.signIn(role);
    expect((await t.app.inject({ url: PAGE, headers: { cookie: who.cookie } })).statusCode).toBe(403);
    const refused = await post(who, `${PAGE}/rules`, { name: 'x', enabled: 'true', queue: 'support' });
    expect(refused.statusCode).toBe(403);
    const home = await t.app.inject({ url: '/app', headers: { cookie: who.cookie } });
    expect(home.body).not.toContain(`href="${PAGE}"`);
  }
  const anon = await t.app.inject({ url: PAGE, headers: { accept: 'text/html' } });
  expect(anon.statusCode).toBe(303);
  expect(anon.headers.location).toBe('/login?next=%2Fapp%2Fsettings%2Frouting');
});

it('a form without its CSRF token is refused and nothing is saved', async () => {
  const before = await rules();
  for (const url of [`${PAGE}/rules`, `${PAGE}/rules/${before[0]!.id}/remove`]) {
    const res = await post(
      admin,
      url,
      { name: 'csrf test', enabled: 'true', queue: 'support' },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Security token missing or expired');
  }
  expect(await rules()).toEqual(before);
});
