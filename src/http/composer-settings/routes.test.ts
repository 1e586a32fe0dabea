/** Admins edit guideline phrases and canned replies at /app/settings/composer with plain HTML forms. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { CANNED_KEY, GUIDELINES_KEY, readSetting, riskFindings } from '../../services/replies.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const PAGE = '/app/settings/composer';
const post: TestApp['postForm'] = (...args) => t.postForm(...args);
const db = () => t.ctx.database.db;
type Stored = { id: string } & Record<string, string>;

describe('guidelines', () => {
  it('an admin adds, changes and removes a phrase; the risk check uses it', async () => {
    const added = await post(admin, `${PAGE}/guidelines`, {
      phrase: 'calm  down',
      message: 'Never tell a customer to calm down.',
      severity: 'block',
    });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${PAGE}?done=guidelines-added#guidelines`);
    const [g] = await readSetting<Stored[]>(db(), GUIDELINES_KEY, []);
    expect(g).toMatchObject({ phrase: 'calm down', severity: 'block' });
    expect((await riskFindings(db(), 'Please CALM DOWN.')).map((f) => f.guidelineId)).toEqual([g!.id]);

    const shown = await t.app.inject({
      url: `${PAGE}?done=guidelines-added`,
      headers: { cookie: admin.cookie },
    });
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Guideline added.');
    expect(shown.body).toContain('Never tell a customer to calm down.');
    expect(shown.body).toContain('aria-current="page"');

    const changed = await post(admin, `${PAGE}/guidelines/${g!.id}`, {
      phrase: 'calm down',
      message: 'Acknowledge the feeling instead.',
      severity: 'warn',
    });
    expect(changed.headers.location).toBe(`${PAGE}?done=guidelines-changed#guidelines`);
    expect(await readSetting<Stored[]>(db(), GUIDELINES_KEY, [])).toEqual([
      { id: g!.id, phrase: 'calm down', message: 'Acknowledge the feeling instead.', severity: 'warn' },
    ]);

    const removed = await post(admin, `${PAGE}/guidelines/${g!.id}/remove`, {});
    expect(removed.headers.location).toBe(`${PAGE}?done=guidelines-removed#guidelines`);
    expect(await readSetting<Stored[]>(db(), GUIDELINES_KEY, [])).toEqual([]);
  });

  it('invalid input: the page again with a clear field error and everything typed', async () => {
    await post(admin, `${PAGE}/guidelines`, { phrase: 'no way', message: 'Say what we can do.' });
    const dup = await post(admin, `${PAGE}/guidelines`, {
      phrase: 'No  Way',
      message: 'My carefully written message',
      severity: 'block',
    });
    expect(dup.statusCode).toBe(400);
    expect(dup.headers['content-type']).toContain('text/html');
    expect(dup.body).toContain('role="alert"');
    expect(dup.body).toContain('This phrase is already in the list.');
    expect(dup.body).toContain('href="#guidelines-new-phrase"');
    expect(dup.body).toMatch(/id="guidelines-new-phrase"[^>]*aria-invalid="true"/);
    expect(dup.body).toContain('value="No  Way"');
    expect(dup.body).toContain('My carefully written message</textarea>');
    expect(dup.body).toMatch(/<option value="block" selected/);

    const empty = await post(admin, `${PAGE}/guidelines`, { phrase: '  ', message: '', severity: 'loud' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Write the word or phrase to look for.');
    expect(empty.body).toContain('Write what the author is told when it is found.');
    expect(empty.body).toContain('Choose warn or block.');
    expect(await readSetting<Stored[]>(db(), GUIDELINES_KEY, [])).toHaveLength(1);
  });

  it('editing an item someone removed meanwhile keeps the text in the add form', async () => {
    const res = await post(admin, `${PAGE}/guidelines/gone-id`, { phrase: 'asap', message: 'Kept text' });
    expect(res.statusCode).toBe(404);
    expect(res.body).toContain('What you typed is in the add form below.');
    expect(res.body).toContain('value="asap"');
    expect(res.body).toContain('Kept text</textarea>');
  });
});

describe('canned replies', () => {
  it('an admin adds one with variables; the page lists the available variables', async () => {
    const page = await t.app.inject({ url: PAGE, headers: { cookie: admin.cookie } });
    expect(page.body).toContain('<code>{{customer.name}}</code>');
    expect(page.body).toContain('{{customer.first_name | there}}');

    const added = await post(admin, `${PAGE}/canned-replies`, {
      title: 'Thanks',
      body: 'Hi {{customer.first_name | there}},\r\nthanks! {{agent.first_name}}',
    });
    expect(added.statusCode).toBe(303);
    const [c] = await readSetting<Stored[]>(db(), CANNED_KEY, []);
    expect(c).toMatchObject({
      title: 'Thanks',
      body: 'Hi {{customer.first_name | there}},\nthanks! {{agent.first_name}}',
    });
    const edited = await post(admin, `${PAGE}/canned-replies/${encodeURIComponent(c!.id)}`, {
      title: 'Thank you',
      body: 'Thanks, {{customer.name}}',
    });
    expect(edited.statusCode).toBe(303);
    expect((await readSetting<Stored[]>(db(), CANNED_KEY, []))[0]).toMatchObject({
      id: c!.id,
      title: 'Thank you',
    });
  });

  it('an unknown variable is refused on the edited item, with its text kept', async () => {
    const [c] = await readSetting<Stored[]>(db(), CANNED_KEY, []);
    const res = await post(admin, `${PAGE}/canned-replies/${c!.id}`, {
      title: 'Thank you',
      body: 'Hello {{customer.nmae}}, my long draft',
    });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Fix the variables: unknown variable {{customer.nmae}}.');
    expect(res.body).toContain('Hello {{customer.nmae}}, my long draft</textarea>');
    expect(res.body).toMatch(/<details open/);
    expect((await readSetting<Stored[]>(db(), CANNED_KEY, []))[0]!.body).toBe('Thanks, {{customer.name}}');
  });
});

it('hostile HTML in a phrase, message, title or body is shown as text', async () => {
  const evil = '<script>alert(1)</script><img src=x onerror=alert(2)>';
  expect((await post(admin, `${PAGE}/guidelines`, { phrase: `${evil} g`, message: evil })).statusCode).toBe(
    303,
  );
  expect((await post(admin, `${PAGE}/canned-replies`, { title: `${evil} c`, body: evil })).statusCode).toBe(
    303,
  );
  const page = await t.app.inject({ url: PAGE, headers: { cookie: admin.cookie } });
  expect(page.body).not.toContain('<script>alert(1)');
  expect(page.body).not.toContain('<img src=x');
  expect(page.body).toContain('&lt;script>alert(1)&lt;/script>');
  // and in a refused form, too
  const refused = await post(admin, `${PAGE}/canned-replies`, { title: '', body: evil });
  expect(refused.statusCode).toBe(400);
  expect(refused.body).not.toContain('<script>alert(1)');
});

it('agents get 403; supervisors read without forms; signed-out browsers go to sign in', async () => {
  const agent = await t.signIn('agent');
  expect((await t.app.inject({ url: PAGE, headers: { cookie: agent.cookie } })).statusCode).toBe(403);
  const post403 = await post(agent, `${PAGE}/guidelines`, { phrase: 'x', message: 'y' });
  expect(post403.statusCode).toBe(403);
  const home = await t.app.inject({ url: '/app', headers: { cookie: agent.cookie } });
  expect(home.body).not.toContain(`href="${PAGE}"`);

  const supervisor = await t.signIn('supervisor');
  const view = await t.app.inject({ url: PAGE, headers: { cookie: supervisor.cookie } });
  expect(view.statusCode).toBe(200);
  expect(view.body).toContain('only admins change them');
  expect(view.body).not.toContain(`action="${PAGE}/guidelines"`);
  expect((await post(supervisor, `${PAGE}/guidelines`, { phrase: 'x', message: 'y' })).statusCode).toBe(403);

  const anon = await t.app.inject({ url: PAGE, headers: { accept: 'text/html' } });
  expect(anon.statusCode).toBe(303);
  expect(anon.headers.location).toBe('/login?next=%2Fapp%2Fsettings%2Fcomposer');
});

it('a form without its CSRF token is refused and nothing is saved', async () => {
  const before = await readSetting<Stored[]>(db(), GUIDELINES_KEY, []);
  const res = await post(
    admin,
    `${PAGE}/guidelines`,
    { phrase: 'csrf test', message: 'no token' },
    { csrf: false },
  );
  expect(res.statusCode).toBe(403);
  expect(res.body).toContain('Security token missing or expired');
  expect(await readSetting<Stored[]>(db(), GUIDELINES_KEY, [])).toEqual(before);
});

it('the JSON API follows the same rules', async () => {
  const headers = { cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] };
  const bad = await t.app.inject({
    method: 'PUT',
    url: '/api/composer/canned-replies',
    headers,
    payload: { items: [{ title: 'A', body: 'Hi {{customer.nmae}}' }] },
  });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().error.details.problems).toEqual([
    { index: 0, field: 'body', message: 'Fix the variables: unknown variable {{customer.nmae}}.' },
  ]);
  const good = await t.app.inject({
    method: 'PUT',
    url: '/api/composer/guidelines',
    headers,
    payload: { items: [{ id: 'g1', phrase: 'whatever', message: 'Be kind.' }] },
  });
  expect(good.statusCode).toBe(200);
  expect(good.json().items).toEqual([
    { id: 'g1', phrase: 'whatever', message: 'Be kind.', severity: 'warn' },
  ]);
  const page = await t.app.inject({ url: PAGE, headers: { cookie: admin.cookie } });
  expect(page.body).toContain('action="/app/settings/composer/guidelines/g1"');
});
