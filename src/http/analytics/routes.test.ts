/** Analytics API, CSV export, pages and CSAT survey over a real app and the hand-checked fixture. */
import { parse } from 'csv-parse/sync';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { csatResponses } from '../../db/schema/index.ts';
import { runAnalyticsRollup } from '../../jobs/analytics-rollup.ts';
import { IDS, insertAnalyticsFixture, NOW } from '../../services/analytics-fixture.ts';
import { CSV_TABLE_NAMES } from './export.ts';

let t: TestApp;
let supervisor: Record<string, string>;
const WEEK_Q = 'period=custom&from=2026-03-02&to=2026-03-08';

beforeAll(async () => {
  t = await createTestApp();
  await insertAnalyticsFixture(t.ctx.database.db);
  await runAnalyticsRollup(t.ctx.database.db, { now: NOW });
  const { userId: _u, ...headers } = await t.signIn('supervisor');
  supervisor = headers;
});
afterAll(async () => t?.close());

describe('analytics API', () => {
  it('is for supervisors and admins only', async () => {
    expect((await t.app.inject({ url: `/api/analytics/report?${WEEK_Q}` })).statusCode).toBe(401);
    const { userId: _a, ...agent } = await t.signIn('agent');
    expect((await t.app.inject({ url: `/api/analytics/report?${WEEK_Q}`, headers: agent })).statusCode).toBe(
      403,
    );
    const page = await t.app.inject({ url: '/app/analytics' });
    expect(page.statusCode).toBe(303);
    expect(page.headers.location).toBe('/login?next=%2Fapp%2Fanalytics');
  });

  it('returns the same numbers in JSON and in every CSV table', async () => {
    const res = await t.app.inject({ url: `/api/analytics/report?${WEEK_Q}`, headers: supervisor });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.summary.conversations).toBe(7);
    expect(body.summary.frtWallMedianS).toBe(2700);
    expect(body.rates.responseRate).toBe(0.6364);
    expect(body.community).toEqual({ topics: 3, answeredByMembers: 1, answeredByStaff: 1, unanswered: 1 });
    expect(body.breakdowns.agent.map((r: { label: string }) => r.label)).toContain('Agent C');
    const csv = await t.app.inject({
      url: `/api/analytics/export/metrics.csv?${WEEK_Q}`,
      headers: supervisor,
    });
    expect(csv.headers['content-type']).toContain('text/csv');
    const rows = parse(csv.body, { columns: true }) as Array<{ key: string; value: string }>;
    const json = new Map(body.metrics.map((m: { key: string; value: number | null }) => [m.key, m.value]));
    expect(rows.length).toBe(json.size);
    for (const row of rows)
      expect([row.key, row.value === '' ? null : Number(row.value)]).toEqual([row.key, json.get(row.key)]);
    for (const table of CSV_TABLE_NAMES) {
      const r = await t.app.inject({
        url: `/api/analytics/export/${table}.csv?${WEEK_Q}`,
        headers: supervisor,
      });
      expect([table, r.statusCode]).toEqual([table, 200]);
    }
    const series = parse(
      (await t.app.inject({ url: `/api/analytics/export/series.csv?${WEEK_Q}`, headers: supervisor })).body,
      { columns: true },
    ) as Array<{ conversations: string }>;
    expect(series.reduce((a, r) => a + Number(r.conversations), 0)).toBe(7);
  });

  it('lists the conversations behind a metric', async () => {
    const res = await t.app.inject({
      url: `/api/analytics/conversations?metric=digital_silence&${WEEK_Q}`,
      headers: supervisor,
    });
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .conversations.map((c: { id: string }) => c.id)
        .sort(),
    ).toEqual([IDS.c(2), IDS.c(4), IDS.c(8)]);
    const page = await t.app.inject({
      url: `/app/analytics/conversations?metric=misrouted&${WEEK_Q}`,
      headers: supervisor,
    });
    expect(page.body).toContain(`/app/conversations/${IDS.c(3)}`);
    expect(page.body).toContain('1 conversation on this page');
  });

  it('renders the dashboard and the weekly report with ROI', async () => {
    const page = await t.app.inject({ url: `/app/analytics?${WEEK_Q}`, headers: supervisor });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<title id="ch-volume-t">Conversations opened per day</title>');
    expect(page.body).toMatch(/data-metric="conversations".*?>7<\/a>/s);
    const report = await t.app.inject({
      url: '/app/analytics/report?period=week&start=2026-03-04',
      headers: supervisor,
    });
    expect(report.body).toContain('Weekly report: 2026-03-02 to 2026-03-08');
    expect(report.body).toContain('EUR 175.00');
    expect(report.body).toContain('0.3 h'); // 1 member answer × 15 min
  });

  it('lets admins change costs, not supervisors', async () => {
    const put = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'PUT',
        url: '/api/analytics/settings',
        headers,
        payload: { phoneCostPerResolution: 150 },
      });
    expect((await put(supervisor)).statusCode).toBe(403);
    const { userId: _x, ...admin } = await t.signIn('admin');
    const res = await put(admin);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phoneCostPerResolution: 150, socialMonthlyCost: 3000 });
    const body = (await t.app.inject({ url: `/api/analytics/report?${WEEK_Q}`, headers: admin })).json();
    expect(body.roi.savingPerResolution).toBe(-25);
    const bad = await t.app.inject({
      method: 'POST',
      url: '/app/analytics/settings',
      headers: { ...admin, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin['x-csrf-token']}&currency=EUR&silenceHours=-1`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('silence hours');
  });
});

describe('OpenAPI', () => {
  it('documents the analytics routes', async () => {
    const doc = (await t.app.inject({ url: '/api/openapi.json' })).json();
    for (const path of [
      '/api/analytics/report',
      '/api/analytics/conversations',
      '/api/analytics/export/{file}',
    ]) {
      expect(doc.paths[path]?.get, path).toBeDefined();
    }
    expect(doc.paths['/api/analytics/settings'].put).toBeDefined();
  });
});

describe('CSAT survey', () => {
  it('sends a link and records one 1–5 answer from a form without JavaScript', async () => {
    const { userId: _g, ...agent } = await t.signIn('agent');
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/analytics/csat-surveys',
      headers: agent,
      payload: { conversationId: IDS.c(4) },
    });
    expect(created.statusCode).toBe(201);
    const path = new URL(created.json().url).pathname;
    const form = await t.app.inject({ url: path });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="score"');
    const cookie = String(form.headers['set-cookie']).split(';')[0]!;
    const csrf = /name="_csrf" value="([^"]+)"/.exec(form.body)![1]!;
    const post = (score: string) =>
      t.app.inject({
        method: 'POST',
        url: path,
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `_csrf=${encodeURIComponent(csrf)}&score=${score}&comment=Quick+and+kind`,
      });
    expect((await post('9')).statusCode).toBe(400);
    const ok = await post('4');
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('Thank you');
    expect((await post('1')).statusCode).toBe(409);
    const [row] = await t.ctx.database.db
      .select()
      .from(csatResponses)
      .where(eq(csatResponses.id, created.json().id));
    expect(row).toMatchObject({ score: 4, comment: 'Quick and kind' });
    expect((await t.app.inject({ url: '/csat/not-a-real-token-000000' })).statusCode).toBe(404);
  });
});
