import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let admin: H;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const json = (h: H) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });
const setOnline = (h: H, online: unknown, headers: Record<string, string> = json(h)) =>
  t.app.inject({ method: 'PUT', url: '/api/users/me/availability', headers, payload: { online } });
const auditOf = async (userId: string, action: string) =>
  (
    await t.ctx.database.pool.query(
      'select detail from audit_log where subject_id = $1 and action = $2 order by at',
      [userId, action],
    )
  ).rows.map((r) => r.detail);

describe('availability API', () => {
  it('an agent marks themselves available and away; each change is audited once', async () => {
    const agent = await t.signIn('agent');
    const on = await setOnline(agent, true);
    expect(on.statusCode).toBe(200);
    expect(on.json()).toMatchObject({ user: { id: agent.userId, online: true }, assigned: 0 });
    expect((await t.app.inject({ url: '/api/me', headers: json(agent) })).json().user.online).toBe(true);
    expect((await setOnline(agent, true)).statusCode).toBe(200);
    expect((await setOnline(agent, false)).json().user.online).toBe(false);
    expect(await auditOf(agent.userId, 'user.availability')).toEqual([
      { online: true, reason: 'agent' },
      { online: false, reason: 'agent' },
    ]);
  });

  it('refuses without CSRF, without a session, a bad body, and roles that take no conversations', async () => {
    const agent = await t.signIn('agent');
    expect((await setOnline(agent, true, { cookie: agent.cookie })).statusCode).toBe(403);
    expect([401, 403]).toContain((await setOnline(agent, true, {})).statusCode);
    expect((await setOnline(agent, 'maybe')).statusCode).toBe(400);
    for (const role of ['member', 'moderator', 'admin'] as const) {
      const other = await t.signIn(role);
      const res = await setOnline(other, true);
      expect(res.statusCode).toBe(403);
    }
    const [row] = (await t.ctx.database.pool.query('select online from users where id = $1', [agent.userId]))
      .rows;
    expect(row.online).toBe(false);
  });

  it('the app header shows the state and its form works without JavaScript (CSRF, back to the page)', async () => {
    const agent = await t.signIn('trainee');
    const page = async () => (await t.app.inject({ url: '/app', headers: { cookie: agent.cookie } })).body;
    const before = await page();
    expect(before).toContain('action="/api/users/me/availability"');
    expect(before).toMatch(/id="availability-state"[^>]*>Away</);
    const form = (body: string) =>
      t.app.inject({
        method: 'POST',
        url: '/api/users/me/availability',
        headers: {
          cookie: agent.cookie,
          'content-type': 'application/x-www-form-urlencoded',
          referer: 'http://localhost:80/app?view=mine',
        },
        body,
      });
    expect((await form('online=true')).statusCode).toBe(403);
    const res = await form(`_csrf=${encodeURIComponent(agent['x-csrf-token'])}&online=true`);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app?view=mine');
    expect(await page()).toMatch(/id="availability-state"[^>]*>Available</);
    // Only same-site app pages are followed back.
    const away = await t.app.inject({
      method: 'POST',
      url: '/api/users/me/availability',
      headers: {
        cookie: agent.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        referer: 'https://evil.example/app',
      },
      body: `_csrf=${encodeURIComponent(agent['x-csrf-token'])}&online=false`,
    });
    expect(away.headers.location).toBe('/app');
    // Roles that take no conversations see no toggle.
    const mod = await t.signIn('moderator');
    expect((await t.app.inject({ url: '/app', headers: { cookie: mod.cookie } })).body).not.toContain(
      'availability-state',
    );
  });

  it('signing out makes the agent away', async () => {
    const agent = await t.signIn('marketing');
    await setOnline(agent, true);
    expect((await t.app.inject({ method: 'POST', url: '/logout', headers: json(agent) })).statusCode).toBe(
      204,
    );
    const [row] = (await t.ctx.database.pool.query('select online from users where id = $1', [agent.userId]))
      .rows;
    expect(row.online).toBe(false);
    expect((await auditOf(agent.userId, 'user.availability')).at(-1)).toEqual({
      online: false,
      reason: 'sign_out',
    });
  });
});

describe('agent settings API (admin)', () => {
  const patch = (h: H, id: string, payload: object) =>
    t.app.inject({ method: 'PATCH', url: `/api/users/${id}`, headers: json(h), payload });

  it('sets capacity, skills and team, validated and audited; listed with the accounts', async () => {
    const agent = await t.signIn('agent');
    const res = await patch(admin, agent.userId, {
      capacity: 4,
      skills: { languages: ['EN', 'pt-BR', 'en'], channels: ['x', 'email'] },
      team: ' vip ',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({
      capacity: 4,
      skills: { languages: ['en', 'pt-br'], channels: ['x', 'email'] },
      team: 'vip',
      online: false,
    });
    expect((await patch(admin, agent.userId, { team: null })).json().user.team).toBeNull();
    const [entry] = await auditOf(agent.userId, 'user.agent_settings');
    expect(entry).toMatchObject({
      before: { capacity: 10, team: null },
      after: { capacity: 4, team: 'vip' },
    });
    const list = (await t.app.inject({ url: '/api/users', headers: json(admin) })).json().users;
    expect(list.find((u: { id: string }) => u.id === agent.userId)).toMatchObject({
      capacity: 4,
      online: false,
    });
  });

  it('rejects bad values, other roles, non-agents and unknown accounts', async () => {
    const agent = await t.signIn('agent');
    const supervisor = await t.signIn('supervisor');
    const bad = async (payload: object, code?: string) => {
      const res = await patch(admin, agent.userId, payload);
      expect(res.statusCode).toBe(400);
      if (code) expect(res.json().error?.code ?? res.json().code).toBe(code);
    };
    await bad({ capacity: -1 });
    await bad({ capacity: 2.5 });
    await bad({ skills: { channels: ['myspace'] } });
    await bad({ skills: { languages: ['english!'] } }, 'invalid_language');
    await bad({});
    await bad({ online: true }, 'nothing_to_change');
    expect((await patch(supervisor, agent.userId, { capacity: 3 })).statusCode).toBe(403);
    expect((await patch(admin, admin.userId, { capacity: 3 })).statusCode).toBe(400);
    expect((await patch(admin, '00000000-0000-4000-8000-000000000000', { capacity: 3 })).statusCode).toBe(
      404,
    );
  });
});
