/**
 * /app/settings/agents: supervisors and admins see who takes conversations; admins change capacity,
 * team and skills with plain HTML forms, through the API's schema and the availability service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type FormFields, type TestApp } from '../../../test/helpers/app.ts';
import { insertConversation } from '../conversations/fixtures.test-helper.ts';

let t: TestApp;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let admin: H;
let agent: H;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
  agent = await t.signIn('agent');
});
afterAll(() => t.close());

const PAGE = '/app/settings/agents';
const post = (who: H, id: string, fields: FormFields) => t.postForm(who, `${PAGE}/${id}`, fields);
const show = async (who: H = admin, url = PAGE) => t.app.inject({ url, headers: { cookie: who.cookie } });
const q = async (text: string, params: unknown[] = []) =>
  (await t.ctx.database.pool.query(text, params)).rows;
const settingsOf = async (id: string) =>
  (await q('select capacity, team, skills, online from users where id = $1', [id]))[0];
const audits = async (id: string) =>
  (
    await q(`select detail from audit_log where subject_id = $1 and action = 'user.agent_settings'`, [id])
  ).map((r) => r.detail);
/** The slot of an agent's form on the page (forms are numbered by position). */
const slotOf = (body: string, id: string) =>
  /agent-(\d+)-capacity/.exec(body.slice(body.indexOf(`action="${PAGE}/${id}"`)))?.[1];

const valid: FormFields = {
  capacity: '4',
  team: ' vip ',
  languages: 'EN, pt-BR, en',
  channels: ['x', 'email'],
};

describe('agents page', () => {
  it('an admin sees the accounts that take conversations, with status, load and settings, and edit forms', async () => {
    const mod = await t.signIn('moderator');
    await q(
      `update users set team = 'billing', skills = '{"languages":["de"],"channels":["reddit"]}' where id = $1`,
      [agent.userId],
    );
    const { conversation } = await insertConversation(t.ctx.database.db);
    await q(`update conversations set assignee_id = $2, status = 'open' where id = $1`, [
      conversation.id,
      agent.userId,
    ]);
    const res = await show();
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<a href="/app/settings/agents" aria-current="page">');
    expect(res.body).toMatch(
      /<th scope="row">agent 2<\/th><td>agent<\/td><td><span class="state off">Away<\/span><\/td><td>1 \/ 10<\/td><td>billing<\/td><td>de<\/td><td>reddit<\/td>/,
    );
    expect(res.body).not.toContain(`>${'admin 1'}</th>`);
    expect(res.body).not.toContain('moderator');
    expect(res.body).toContain(`action="${PAGE}/${agent.userId}"`);
    expect(res.body).not.toContain(`action="${PAGE}/${mod.userId}"`);
    expect(res.body).toMatch(/name="channels" value="reddit" checked/);
    expect(res.body).toContain('value="billing"');
  });

  it('an admin saves capacity, team and skills: normalised by the service, audited, shown', async () => {
    const res = await post(admin, agent.userId, valid);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${PAGE}?done=agent-changed`);
    expect(await settingsOf(agent.userId)).toMatchObject({
      capacity: 4,
      team: 'vip',
      skills: { languages: ['en', 'pt-br'], channels: ['x', 'email'] },
    });
    const [entry] = (await audits(agent.userId)).slice(-1);
    expect(entry).toMatchObject({
      before: { capacity: 10, team: 'billing' },
      after: { capacity: 4, team: 'vip' },
    });
    const page = await show(admin, res.headers.location as string);
    expect(page.body).toContain('Agent settings saved.');
    expect(page.body).toContain('<td>1 / 4</td><td>vip</td><td>en, pt-br</td><td>x, email</td>');
    expect(page.body).toContain('value="en, pt-br"');

    // Nothing ticked and an empty team: any channel, no team.
    await post(admin, agent.userId, { capacity: '4', team: '', languages: '' });
    expect(await settingsOf(agent.userId)).toMatchObject({
      team: null,
      skills: { languages: [], channels: [] },
    });
    expect((await show()).body).toContain('<td>1 / 4</td><td>—</td><td>any</td><td>any</td>');
  });

  it('more room for an available agent assigns the waiting backlog, as the API does', async () => {
    const helper = await t.signIn('trainee');
    await post(admin, helper.userId, { capacity: '0' });
    await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/availability',
      headers: { cookie: helper.cookie, 'x-csrf-token': helper['x-csrf-token'] },
      payload: { online: true },
    });
    const { conversation } = await insertConversation(t.ctx.database.db);
    const res = await post(admin, helper.userId, { capacity: '2' });
    expect(res.headers.location).toBe(`${PAGE}?done=agent-changed-assigned`);
    const [row] = await q('select assignee_id from conversations where id = $1', [conversation.id]);
    expect(row!.assignee_id).toBe(helper.userId);
    const page = await show(admin, res.headers.location as string);
    expect(page.body).toContain('Waiting conversations were assigned.');
    expect(page.body).toMatch(/<span class="state on">Available<\/span><\/td><td>1 \/ 2<\/td>/);
  });

  it('invalid capacity, language or channel: the error next to the field, the values kept, nothing saved', async () => {
    const before = await settingsOf(agent.userId);
    const auditsBefore = (await audits(agent.userId)).length;
    const cases: [FormFields, string, string][] = [
      [{ capacity: '-1' }, 'capacity', 'Capacity must be a whole number from 0 to 200.'],
      [{ capacity: '2.5' }, 'capacity', 'Capacity must be a whole number from 0 to 200.'],
      [{ capacity: 'lots' }, 'capacity', 'Capacity must be a whole number from 0 to 200.'],
      [{ capacity: '' }, 'capacity', 'Capacity must be a whole number from 0 to 200.'],
      [{ capacity: '201' }, 'capacity', 'Capacity must be a whole number from 0 to 200.'],
      [{ languages: 'en, english!' }, 'languages', '"english!" is not a language tag such as en or pt-br.'],
      [{ languages: 'en, e' }, 'languages', 'Write up to 50 language tags such as en or pt-br'],
      [{ channels: ['x', 'myspace'] }, 'channels', 'Choose from the list.'],
      [{ team: 'a'.repeat(101) }, 'team', 'Team: up to 100 characters'],
    ];
    for (const [change, field, message] of cases) {
      const res = await post(admin, agent.userId, { ...valid, team: 'kept team', ...change });
      expect(res.statusCode, message).toBe(400);
      const slot = slotOf(res.body, agent.userId);
      const id = `agent-${slot}-${field}`;
      expect(res.body).toContain('role="alert"');
      expect(res.body).toContain('The agent settings were not saved: please check the form.');
      expect(res.body, message).toContain(message.replace(/"/g, '&quot;'));
      expect(res.body).toContain(`href="#${id}"`);
      expect(res.body).toMatch(
        new RegExp(`id="${id}"[^>]*aria-(invalid="true"|describedby="[^"]*${id}-error")`),
      );
      expect(res.body).toMatch(/<details open/);
      if (field !== 'team') expect(res.body).toContain('value="kept team"');
      if (field !== 'languages') expect(res.body).toContain('value="EN, pt-BR, en"');
      expect(res.body).toMatch(/name="channels" value="x"[^>]*checked/);
    }
    expect(await settingsOf(agent.userId)).toEqual(before);
    expect(await audits(agent.userId)).toHaveLength(auditsBefore);
  });

  it('accounts that take no conversations and unknown accounts are refused with the reason', async () => {
    const notAgent = await post(admin, admin.userId, valid);
    expect(notAgent.statusCode).toBe(400);
    expect(notAgent.body).toContain('An account with the role admin does not take conversations.');
    const gone = await post(admin, '00000000-0000-4000-8000-000000000000', valid);
    expect(gone.statusCode).toBe(404);
    expect(gone.body).toContain('That account no longer exists.');
  });

  it('hostile names, teams and typed values are shown as text', async () => {
    const evil = '<script>alert(1)</script>';
    const evilAgent = await t.ctx.accounts.createUser({
      email: 'evil@example.test',
      displayName: `${evil} agent`,
      role: 'agent',
      password: 'a-long-test-password',
    });
    expect((await post(admin, evilAgent.id, { capacity: '3', team: `${evil} team` })).statusCode).toBe(303);
    const page = await show();
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script> agent');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script> team');
    const refused = await post(admin, evilAgent.id, { capacity: '3', languages: `${evil}` });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('<script>alert(1)');
  });
});

it('supervisors read without forms and cannot save; other roles get 403 and no link', async () => {
  const supervisor = await t.signIn('supervisor');
  const view = await show(supervisor);
  expect(view.statusCode).toBe(200);
  expect(view.body).toContain('only admins change them');
  expect(view.body).toContain(`<th scope="row">supervisor`);
  expect(view.body).not.toContain(`action="${PAGE}/`);
  const before = await settingsOf(agent.userId);
  expect((await post(supervisor, agent.userId, { capacity: '9' })).statusCode).toBe(403);
  expect(await settingsOf(agent.userId)).toEqual(before);

  for (const role of ['agent', 'trainee', 'marketing', 'moderator', 'member'] as const) {
    const other = await t.signIn(role);
    expect((await show(other)).statusCode, role).toBe(403);
    expect((await post(other, agent.userId, { capacity: '9' })).statusCode, role).toBe(403);
    if (role !== 'member') {
      const home = await t.app.inject({ url: '/app', headers: { cookie: other.cookie } });
      expect(home.body).not.toContain(`href="${PAGE}"`);
    }
  }
  expect([302, 303, 401, 403]).toContain((await t.app.inject({ url: PAGE })).statusCode);
  expect(await settingsOf(agent.userId)).toEqual(before);
});

it('a form without its CSRF token is refused and nothing is saved', async () => {
  const before = await settingsOf(agent.userId);
  const res = await t.postForm(admin, `${PAGE}/${agent.userId}`, { capacity: '7' }, { csrf: false });
  expect(res.statusCode).toBe(403);
  expect(res.body).toContain('Security token missing or expired');
  expect(await settingsOf(agent.userId)).toEqual(before);
});
