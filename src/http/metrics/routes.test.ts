/**
 * /metrics over real data: off without a token (404), 401 without or with a wrong token, and with it a
 * well-formed exposition whose figures follow posts queued, stored and dead-lettered by the real
 * pipeline, an overdue SLA clock, a late reply and a failing channel with a hostile name.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { pipelineFixture } from '../pipeline/fixtures.test-helper.ts';

const TOKEN = 'metrics-token-0123456789-abcdef';
let t: TestApp;
let off: TestApp;
let f: ReturnType<typeof pipelineFixture>;
beforeAll(async () => {
  [t, off] = await Promise.all([createTestApp({ env: { EARSHOT_METRICS_TOKEN: TOKEN } }), createTestApp()]);
  f = pipelineFixture(t);
});
afterAll(() => Promise.all([t.close(), off.close()]));

const scrape = (app: TestApp, authorization?: string) =>
  app.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

/** Every line of the body: a comment (HELP/TYPE) or `name{labels} value`. */
const SAMPLE = /^[a-z_][a-z0-9_]*(\{([a-z_]+="([^"\\\n]|\\["\\n])*",?)+\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/;

function samples(body: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of body.trimEnd().split('\n')) {
    if (line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
    expect(line).toMatch(SAMPLE);
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

describe('GET /metrics', () => {
  it('is off unless a token is configured', async () => {
    const res = await scrape(off, `Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('metrics_disabled');
  });

  it('asks for the bearer token, and refuses a wrong one', async () => {
    for (const auth of [undefined, `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN, `Bearer ${TOKEN.slice(1)}`]) {
      const res = await scrape(t, auth);
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('metrics_unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer realm="earshot-metrics"');
      expect(res.body).not.toContain(TOKEN);
    }
  });

  it('exposes the pipeline, queues, SLA clocks, outboxes and channels as they are', async () => {
    const before = samples((await scrape(t, `Bearer ${TOKEN}`)).body);
    expect(before.get('earshot_pipeline_dead_letters')).toBe(0);
    expect(before.get('earshot_conversations{queue="support",status="new"}')).toBe(0);

    const channelId = randomUUID();
    await f.connect(channelId);
    await f.enqueue([f.post(channelId), f.post(channelId), f.post(randomUUID())]);
    await f.q(`update inbound_queue set received_at = now() - interval '2 minutes'`);
    const queued = samples((await scrape(t, `Bearer ${TOKEN}`)).body);
    const lanes = [...queued].filter(([k]) => k.startsWith('earshot_pipeline_queued_posts{'));
    expect(lanes).toHaveLength(4);
    expect(lanes.reduce((n, [, v]) => n + v, 0)).toBe(3);
    expect(queued.get('earshot_pipeline_lag_seconds')).toBeGreaterThanOrEqual(119);

    await f.drain();
    const [conversation] = await f.q(
      `select id, queue, status from conversations where channel_id = $1 limit 1`,
      [channelId],
    );
    await f.q(`update conversations set first_response_due_at = now() - interval '5 minutes' where id = $1`, [
      conversation!.id,
    ]);
    await f.q(
      `insert into replies (conversation_id, kind, is_private, status, text, idempotency_key, send_after)
       values ($1, 'public_reply', false, 'scheduled', 'On it', $2, now() - interval '30 seconds')`,
      [conversation!.id, randomUUID()],
    );
    await f.q(
      `update channels set name = $2, last_success_at = now() - interval '90 seconds', last_error_at = now(),
              last_error = 'HTTP 503', lag_ms = 2500 where id = $1`,
      [channelId, 'X "main"\nsecond \\ line'],
    );

    const res = await scrape(t, `Bearer ${TOKEN}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const after = samples(res.body);
    const lanesAfter = [...after].filter(([k]) => k.startsWith('earshot_pipeline_queued_posts{'));
    expect(lanesAfter.reduce((n, [, v]) => n + v, 0)).toBe(0);
    expect(after.get('earshot_pipeline_lag_seconds')).toBe(0);
    expect(after.get('earshot_pipeline_dead_letters')).toBe(1);
    expect(after.get('earshot_pipeline_stored_posts{window="5m"}')).toBe(2);
    const queue = conversation!.queue as string;
    const status = conversation!.status as string;
    expect(after.get(`earshot_conversations{queue="${queue}",status="${status}"}`)).toBe(
      (before.get(`earshot_conversations{queue="${queue}",status="${status}"}`) ?? 0) +
        Number(
          (await f.q(`select count(*)::int as n from conversations where channel_id = $1`, [channelId]))[0]!
            .n,
        ),
    );
    expect(after.get(`earshot_conversations_sla_overdue{queue="${queue}"}`)).toBe(1);
    expect(after.get('earshot_replies{status="scheduled"}')).toBe(1);
    expect(after.get('earshot_replies_send_delay_seconds')).toBeGreaterThanOrEqual(29);
    const channel = `channel_id="${channelId}",kind="x",name="X \\"main\\"\\nsecond \\\\ line"`;
    expect(after.get(`earshot_channel_failing{${channel}}`)).toBe(1);
    expect(after.get(`earshot_channel_enabled{${channel}}`)).toBe(1);
    expect(after.get(`earshot_channel_since_success_seconds{${channel}}`)).toBeGreaterThanOrEqual(89);
    expect(after.get(`earshot_channel_lag_seconds{${channel}}`)).toBe(2.5);
    expect(after.get('earshot_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect([...after.keys()].some((k) => k.startsWith('earshot_build_info{version="'))).toBe(true);
  });

  it('is described in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/metrics'].get.summary).toMatch(/Prometheus/);
  });
});
