/** Admins edit SLA policies at /app/settings/sla with plain HTML forms, through the API's schema and service. */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type FormFields, type TestApp } from '../../../test/helpers/app.ts';
import { auditLog } from '../../db/schema/index.ts';
import { slaPolicyService } from '../../services/routing.ts';

let t: TestApp;
let admin: Awaited<ReturnType<TestApp['signIn']>>;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.signIn('admin');
});
afterAll(() => t.close());

const PAGE = '/app/settings/sla';
const post: TestApp['postForm'] = (...args) => t.postForm(...args);
const policies = () => slaPolicyService(t.ctx.database.db, t.bus).list();
const show = async (url = PAGE) => t.app.inject({ url, headers: { cookie: admin.cookie } });

const officeHours: FormFields = {
  name: 'Urgent on X',
  queues: ['support'],
  channelKinds: 'x',
  priorities: ['high', 'urgent'],
  firstResponseMinutes: '30',
  nextResponseMinutes: '',
  resolutionMinutes: '480',
  businessHours: 'true',
  timeZone: 'Europe/Berlin',
  hoursMon: '09:00-12:00, 13:00 - 17:00',
  hoursFri: '09:00-15:00',
  holidays: '2026-12-25, 2026-12-26',
  warnAtFraction: '0.5',
  escalateAtFraction: '0.8',
  countAutoAcknowledgement: 'true',
};

describe('SLA policies page', () => {
  it('an admin adds a policy with a business calendar; the API sees it; audited', async () => {
    const empty = await show();
    expect(empty.statusCode).toBe(200);
    expect(empty.body).toContain('None yet: the built-in policies above apply.');
    expect(empty.body).toContain('Default (high and urgent)');
    expect(empty.body).toContain('<a href="/app/settings/sla" aria-current="page">');

    const res = await post(admin, `${PAGE}/policies`, officeHours);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${PAGE}?done=policy-added`);
    const [p] = await policies();
    expect(p).toMatchObject({
      name: 'Urgent on X',
      match: { queues: ['support'], channelKinds: ['x'], priorities: ['high', 'urgent'] },
      targets: { firstResponseMinutes: 30, nextResponseMinutes: null, resolutionMinutes: 480 },
      calendar: {
        timeZone: 'Europe/Berlin',
        weekly: {
          mon: [
            { start: '09:00', end: '12:00' },
            { start: '13:00', end: '17:00' },
          ],
          fri: [{ start: '09:00', end: '15:00' }],
        },
        holidays: ['2026-12-25', '2026-12-26'],
      },
      warnAtFraction: 0.5,
      escalateAtFraction: 0.8,
      countAutoAcknowledgement: true,
    });
    const api = await t.app.inject({ url: '/api/sla-policies', headers: admin });
    expect(api.json().policies).toHaveLength(1);
    const audited = await t.ctx.database.db.select().from(auditLog).where(eq(auditLog.subjectId, p!.id));
    expect(audited.map((a) => a.action)).toEqual(['sla_policy.create']);

    const page = await show(`${PAGE}?done=policy-added`);
    expect(page.body).toContain('SLA policy added.');
    expect(page.body).toContain('Mon 09:00–12:00, 13:00–17:00');
    expect(page.body).toContain('value="09:00-12:00, 13:00-17:00"');
    expect(page.body).toMatch(/name="priorities" value="urgent" checked/);
  });

  it('edits a policy to run 24/7 and reorders', async () => {
    const [a] = await policies();
    await post(admin, `${PAGE}/policies`, { name: 'Everything else', resolutionMinutes: '2880' });
    const edited = await post(admin, `${PAGE}/policies/${a!.id}`, {
      name: 'Urgent',
      priorities: 'urgent',
      firstResponseMinutes: '15',
    });
    expect(edited.headers.location).toBe(`${PAGE}?done=policy-changed`);
    const [changed, b] = await policies();
    expect(changed).toMatchObject({
      id: a!.id,
      name: 'Urgent',
      calendar: null,
      match: { priorities: ['urgent'] },
    });
    expect(changed!.match?.queues).toBeUndefined();
    expect((await show()).body).toContain('Clocks run 24/7.');

    const down = await post(admin, `${PAGE}/policies/${a!.id}/move`, { direction: 'down' });
    expect(down.headers.location).toBe(`${PAGE}?done=policy-moved`);
    expect((await policies()).map((x) => x.id)).toEqual([b!.id, a!.id]);
    await post(admin, `${PAGE}/policies/${a!.id}/move`, { direction: 'up' });
    expect((await policies()).map((x) => x.id)).toEqual([a!.id, b!.id]);
  });

  it('invalid input: the error next to the field, the values kept, nothing saved', async () => {
    const before = await policies();
    const cases: [FormFields, string, string][] = [
      [{ name: ' ' }, 'policy-new-name', 'Give the policy a name.'],
      [{ firstResponseMinutes: '-5' }, 'policy-new-firstResponseMinutes', 'A positive number of minutes'],
      [{ hoursMon: '9 to 5' }, 'policy-new-hoursMon', 'Write hours as 09:00-17:00'],
      [{ hoursMon: '17:00-09:00' }, 'policy-new-hoursMon', 'Interval on mon ends before it starts'],
      [{ timeZone: 'Mars/Olympus' }, 'policy-new-timeZone', 'Unknown time zone Mars/Olympus.'],
      [{ holidays: '2026-02-30x' }, 'policy-new-holidays', 'Write dates as YYYY-MM-DD'],
      [
        { escalateAtFraction: '0.3' },
        'policy-new-escalateAtFraction',
        'Escalation cannot come before the warning.',
      ],
    ];
    for (const [change, id, message] of cases) {
      const res = await post(admin, `${PAGE}/policies`, { ...officeHours, name: 'Draft policy', ...change });
      expect(res.statusCode, message).toBe(400);
      expect(res.body).toContain('role="alert"');
      expect(res.body).toContain('The SLA policy was not saved: please check the form.');
      expect(res.body, message).toContain(message);
      expect(res.body).toContain(`href="#${id}"`);
      expect(res.body).toMatch(new RegExp(`id="${id}"[^>]*aria-invalid="true"`));
      expect(res.body).toContain(`value="${change.timeZone ?? 'Europe/Berlin'}"`);
      expect(res.body).toMatch(/name="priorities" value="high" checked/);
    }
    expect(await policies()).toEqual(before);

    const edit = await post(admin, `${PAGE}/policies/${before[0]!.id}`, {
      name: 'Kept name',
      firstResponseMinutes: '0',
    });
    expect(edit.statusCode).toBe(400);
    expect(edit.body).toMatch(/<details open/);
    expect(edit.body).toContain('value="Kept name"');
    expect(await policies()).toEqual(before);
  });

  it('hostile input is shown as text', async () => {
    const evil = '<script>alert(1)</script>';
    expect(
      (await post(admin, `${PAGE}/policies`, { name: `${evil} policy`, firstResponseMinutes: '60' }))
        .statusCode,
    ).toBe(303);
    const page = await show();
    expect(page.body).not.toContain('<script>alert(1)');
    expect(page.body).toContain('&lt;script>alert(1)&lt;/script> policy');
    const refused = await post(admin, `${PAGE}/policies`, {
      name: 'x',
      businessHours: 'true',
      timeZone: evil,
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).not.toContain('<script>alert(1)');
  });

  it('removes a policy; removing it again says it is gone', async () => {
    const all = await policies();
    const last = all.at(-1)!;
    const res = await post(admin, `${PAGE}/policies/${last.id}/remove`, {});
    expect(res.headers.location).toBe(`${PAGE}?done=policy-removed`);
    expect((await policies()).map((x) => x.id)).toEqual(all.slice(0, -1).map((x) => x.id));
    const again = await post(admin, `${PAGE}/policies/${last.id}/remove`, {});
    expect(again.headers.location).toBe(`${PAGE}?done=policy-gone`);
    expect((await show(again.headers.location as string)).body).toContain(
      'That SLA policy was already removed.',
    );
  });
});

it('supervisors read without forms; agents get 403; only admins change', async () => {
  const supervisor = await t.signIn('supervisor');
  const view = await t.app.inject({ url: PAGE, headers: { cookie: supervisor.cookie } });
  expect(view.statusCode).toBe(200);
  expect(view.body).toContain('only admins change them');
  expect(view.body).not.toContain(`action="${PAGE}/policies"`);
  expect(view.body).not.toContain('/remove"');
  const before = await policies();
  expect(
    (await post(supervisor, `${PAGE}/policies`, { name: 'x', firstResponseMinutes: '5' })).statusCode,
  ).toBe(403);
  expect((await post(supervisor, `${PAGE}/policies/${before[0]!.id}/remove`, {})).statusCode).toBe(403);
  expect(await policies()).toEqual(before);

  const agent = await t.signIn('agent');
  expect((await t.app.inject({ url: PAGE, headers: { cookie: agent.cookie } })).statusCode).toBe(403);
  const home = await t.app.inject({ url: '/app', headers: { cookie: agent.cookie } });
  expect(home.body).not.toContain(`href="${PAGE}"`);
});

it('a form without its CSRF token is refused and nothing is saved', async () => {
  const before = await policies();
  for (const url of [`${PAGE}/policies`, `${PAGE}/policies/${before[0]!.id}/move`]) {
    const res = await post(
      admin,
      url,
      { name: 'csrf test', firstResponseMinutes: '5', direction: 'down' },
      { csrf: false },
    );
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Security token missing or expired');
  }
  expect(await policies()).toEqual(before);
});
