/** Supervisors and admins switch their SLA escalation e-mails off and on (API and the app header's form). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';

let t: TestApp;
type H = Awaited<ReturnType<TestApp['signIn']>>;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

const json = (h: H) => ({ cookie: h.cookie, 'x-csrf-token': h['x-csrf-token'] });
const setSlaEmail = (h: H, slaEmail: unknown) =>
  t.app.inject({
    method: 'PUT',
    url: '/api/users/me/notifications',
    headers: json(h),
    payload: { slaEmail },
  });

describe('SLA escalation e-mails switch', () => {
  it('is on by default; a supervisor turns it off and on; other roles and bad bodies are refused', async () => {
    const supervisor = await t.signIn('supervisor');
    expect((await t.app.inject({ url: '/api/me', headers: json(supervisor) })).json().user.slaEmail).toBe(
      true,
    );
    const off = await setSlaEmail(supervisor, false);
    expect(off.statusCode).toBe(200);
    expect(off.json().user).toMatchObject({ id: supervisor.userId, slaEmail: false });
    expect((await setSlaEmail(supervisor, true)).json().user.slaEmail).toBe(true);
    expect((await setSlaEmail(supervisor, 'maybe')).statusCode).toBe(400);
    expect((await setSlaEmail(await t.signIn('agent'), false)).statusCode).toBe(403);
    const noCsrf = await t.app.inject({
      method: 'PUT',
      url: '/api/users/me/notifications',
      headers: { cookie: supervisor.cookie },
      payload: { slaEmail: false },
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('the app header shows it to supervisors and admins, and its form works without JavaScript', async () => {
    const admin = await t.signIn('admin');
    const page = async (h: H) => (await t.app.inject({ url: '/app', headers: { cookie: h.cookie } })).body;
    expect(await page(admin)).toContain('Escalation e-mails: on');
    expect(await page(await t.signIn('agent'))).not.toContain('Escalation e-mails');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users/me/notifications',
      headers: {
        cookie: admin.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        referer: 'http://localhost:80/app/settings/sla',
      },
      body: `_csrf=${encodeURIComponent(admin['x-csrf-token'])}&slaEmail=false`,
    });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/app/settings/sla');
    expect(await page(admin)).toContain('Escalation e-mails: off');
  });
});
