import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import type { BusEvent } from '../../lib/event-bus.ts';

let t: TestApp;
let h: { cookie: string; 'x-csrf-token': string };

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.signIn('admin');
  h = { cookie: admin.cookie, 'x-csrf-token': admin['x-csrf-token'] };
});
afterAll(async () => {
  await t.close();
});

const rule = (name: string, queue = 'support', extra: object = {}) => ({
  name,
  conditions: { keywords: { any: ['refund'] } },
  action: { queue, ...extra },
});

describe('routing rules API', () => {
  it('lists the default policy when there are no rules', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/routing-rules', headers: h });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      rules: [],
      defaultPolicy: {
        complaint: { queue: 'support' },
        praise: { queue: 'marketing' },
        spam: { queue: 'ignore', ignoreReason: 'spam' },
      },
    });
  });

  it('creates, reorders, updates and deletes rules, audited and announced on the bus', async () => {
    const seen: BusEvent[] = [];
    const off = t.bus.subscribe('routing.rules.changed', (e) => seen.push(e));
    const a = (
      await t.app.inject({ method: 'POST', url: '/api/routing-rules', headers: h, payload: rule('Refunds') })
    ).json().rule;
    const b = (
      await t.app.inject({
        method: 'POST',
        url: '/api/routing-rules',
        headers: h,
        payload: rule('VIP', 'support', { team: 'vip' }),
      })
    ).json().rule;
    expect([a.position, b.position]).toEqual([0, 1]);
    const reordered = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules/reorder',
      headers: h,
      payload: { ids: [b.id, a.id] },
    });
    expect(reordered.json().rules.map((r: { id: string }) => r.id)).toEqual([b.id, a.id]);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules/reorder',
      headers: h,
      payload: { ids: [a.id] },
    });
    expect(bad.statusCode).toBe(400);
    const upd = await t.app.inject({
      method: 'PUT',
      url: `/api/routing-rules/${a.id}`,
      headers: h,
      payload: { ...rule('Refunds'), enabled: false },
    });
    expect(upd.json().rule.enabled).toBe(false);
    expect(
      (await t.app.inject({ method: 'DELETE', url: `/api/routing-rules/${b.id}`, headers: h })).statusCode,
    ).toBe(204);
    const audit = await t.ctx.database.pool.query(
      `select action from audit_log where subject_type = 'routing_rule' order by at`,
    );
    expect(audit.rows.map((r) => r.action)).toEqual([
      'routing_rule.create',
      'routing_rule.create',
      'routing_rule.reorder',
      'routing_rule.update',
      'routing_rule.delete',
    ]);
    await new Promise((r) => setTimeout(r, 200));
    off();
    expect(seen.length).toBeGreaterThanOrEqual(5);
  });

  it('rejects invalid rules with the domain reason', async () => {
    const ignoreWithoutReason = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules',
      headers: h,
      payload: rule('Bad', 'ignore'),
    });
    expect(ignoreWithoutReason.statusCode).toBe(400);
    expect(ignoreWithoutReason.json().error.code).toBe('invalid_routing_rules');
    const unknownQueue = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules',
      headers: h,
      payload: rule('Bad', 'nowhere'),
    });
    expect(unknownQueue.statusCode).toBe(400);
    const check = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules/validate',
      headers: h,
      payload: {
        rules: [{ id: 'x', name: 'n', enabled: true, conditions: {}, action: { queue: 'ignore' } }],
      },
    });
    expect(check.json()).toMatchObject({ valid: false, problems: [{ path: '/0/action/ignoreReason' }] });
  });

  it('is for admins only', async () => {
    const sup = await t.signIn('supervisor');
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/routing-rules',
      headers: { cookie: sup.cookie, 'x-csrf-token': sup['x-csrf-token'] },
      payload: rule('x'),
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('SLA policies API', () => {
  it('validates with the domain rules and stores business calendars', async () => {
    const ok = await t.app.inject({
      method: 'POST',
      url: '/api/sla-policies',
      headers: h,
      payload: {
        name: 'Support office hours',
        match: { queues: ['support'] },
        targets: { firstResponseMinutes: 60, resolutionMinutes: 1440 },
        calendar: {
          timeZone: 'Europe/Berlin',
          weekly: { mon: [{ start: '09:00', end: '17:00' }] },
          holidays: ['2026-12-25'],
        },
      },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().policy).toMatchObject({
      name: 'Support office hours',
      targets: { firstResponseMinutes: 60 },
      calendar: { timeZone: 'Europe/Berlin' },
    });
    const bad = await t.app.inject({
      method: 'POST',
      url: '/api/sla-policies',
      headers: h,
      payload: {
        name: 'Late escalation',
        targets: { firstResponseMinutes: 60 },
        warnAtFraction: 0.9,
        escalateAtFraction: 0.5,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('invalid_sla_policy');
  });

  it('reorders and deletes SLA policies through the same ordered-list routes', async () => {
    const add = async (name: string) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/sla-policies',
          headers: h,
          payload: { name, targets: { firstResponseMinutes: 30 } },
        })
      ).json().policy as { id: string };
    const before = (await t.app.inject({ method: 'GET', url: '/api/sla-policies', headers: h })).json()
      .policies as { id: string }[];
    const a = await add('Urgent first');
    const b = await add('Everything else');
    const order = [b.id, a.id, ...before.map((p) => p.id)];
    const reordered = await t.app.inject({
      method: 'POST',
      url: '/api/sla-policies/reorder',
      headers: h,
      payload: { ids: order },
    });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().policies.map((p: { id: string }) => p.id)).toEqual(order);
    const partial = await t.app.inject({
      method: 'POST',
      url: '/api/sla-policies/reorder',
      headers: h,
      payload: { ids: [a.id] },
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.code).toBe('invalid_order');
    const del = await t.app.inject({ method: 'DELETE', url: `/api/sla-policies/${b.id}`, headers: h });
    expect(del.statusCode).toBe(204);
    const again = await t.app.inject({ method: 'DELETE', url: `/api/sla-policies/${b.id}`, headers: h });
    expect(again.statusCode).toBe(404);
    const badId = await t.app.inject({ method: 'DELETE', url: '/api/sla-policies/not-a-uuid', headers: h });
    expect(badId.statusCode).toBe(400);
    const after = (await t.app.inject({ method: 'GET', url: '/api/sla-policies', headers: h })).json()
      .policies as { id: string }[];
    expect(after.map((p) => p.id)).toEqual([a.id, ...before.map((p) => p.id)]);
  });
});
