import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { insertConversation } from '../conversations/fixtures.test-helper.ts';
import { COUNTS_TTL_MS } from './routes.ts';

let t: TestApp;
type H = Awaited<ReturnType<TestApp['signIn']>>;
let supervisor: H;
let agent: H;

beforeAll(async () => {
  t = await createTestApp();
  supervisor = await t.signIn('supervisor');
  agent = await t.signIn('agent');
});
afterAll(() => t.close());

type Page = { items: { id: string; queue: string; slaDueAt: string | null }[]; next: string | null };

async function allPages(h: H, query: string): Promise<string[][]> {
  const pages: string[][] = [];
  let after = '';
  for (let i = 0; i < 20; i++) {
    const res = await t.app.inject({ url: `/api/inbox?${query}${after}`, headers: { cookie: h.cookie } });
    expect(res.statusCode).toBe(200);
    const page = res.json() as Page;
    pages.push(page.items.map((x) => x.id));
    if (!page.next) break;
    after = `&after=${page.next}`;
  }
  return pages;
}

describe('inbox pages (keyset)', () => {
  it('walks every page once, in order, across several queues, with ties and missing SLA clocks', async () => {
    const db = t.ctx.database.db;
    const made: string[] = [];
    for (let i = 0; i < 120; i++) {
      const { conversation } = await insertConversation(db, {
        queue: (['support', 'marketing', 'moderation'] as const)[i % 3],
        // Ties on the sort key (same due minute) and some without a clock at all (NULLS LAST).
        dueInMinutes: 10 + (i % 7),
        subject: `keyset ${i}`,
      });
      made.push(conversation.id);
    }
    await db.execute(
      sql`UPDATE conversations SET first_response_due_at = NULL WHERE subject IN ('keyset 3', 'keyset 50', 'keyset 97')`,
    );
    const pages = await allPages(supervisor, 'view=unassigned&sort=sla');
    const seen = pages.flat();
    expect(pages.length).toBeGreaterThan(2);
    expect(new Set(seen).size).toBe(seen.length);
    expect(made.every((id) => seen.includes(id))).toBe(true);
    // Same order as one big sorted read.
    const res = await t.app.inject({
      url: '/api/inbox?view=unassigned&sort=sla',
      headers: { cookie: supervisor.cookie },
    });
    expect(seen.slice(0, 50)).toEqual((res.json() as Page).items.map((x) => x.id));
    const priority = (await allPages(supervisor, 'view=all&sort=priority')).flat();
    expect(new Set(priority).size).toBe(priority.length);
    expect(made.every((id) => priority.includes(id))).toBe(true);
    // An agent's pages hold support work only.
    const agentSeen = (await allPages(agent, 'view=unassigned&sort=age')).flat();
    expect(made.filter((_, i) => i % 3 === 0).every((id) => agentSeen.includes(id))).toBe(true);
    expect(made.filter((_, i) => i % 3 !== 0).some((id) => agentSeen.includes(id))).toBe(false);
  });

  it('answers 400 to a forged cursor', async () => {
    const res = await t.app.inject({ url: '/api/inbox?after=bm9wZQ', headers: { cookie: agent.cookie } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_cursor');
    const wrongKind = Buffer.from(
      JSON.stringify(['not a time', '00000000-0000-4000-8000-000000000001']),
    ).toString('base64url');
    const bad = await t.app.inject({
      url: `/api/inbox?after=${wrongKind}`,
      headers: { cookie: agent.cookie },
    });
    expect(bad.statusCode).toBe(400);
  });
});

describe('plain HTML forms', () => {
  it('get an HTML page with the draft back when an action is refused, JSON callers keep JSON', async () => {
    const { conversation } = await insertConversation(t.ctx.database.db, { subject: 'form post' });
    const form = new URLSearchParams({
      _csrf: agent['x-csrf-token'],
      text: 'My reply that must not be lost',
      idempotencyKey: 'form-key-123456',
      basedOnVersion: '0',
    });
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversation.id}/replies`,
      headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: form.toString(),
    });
    expect(res.statusCode).toBe(409);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('data-code="stale_view"');
    expect(res.body).toContain('My reply that must not be lost');
    expect(res.body).toContain('name="acknowledgeStale"');
    expect(res.body).toContain(`action="/api/conversations/${conversation.id}/replies"`);

    const json = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversation.id}/replies`,
      headers: { cookie: agent.cookie, 'x-csrf-token': agent['x-csrf-token'] },
      payload: { text: 'x', idempotencyKey: 'json-key-123456', basedOnVersion: 0 },
    });
    expect(json.statusCode).toBe(409);
    expect(json.json().error.code).toBe('stale_view');

    // Validation errors of a form post (empty note) are pages too.
    const note = await t.app.inject({
      method: 'POST',
      url: `/api/conversations/${conversation.id}/commands`,
      headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ _csrf: agent['x-csrf-token'], type: 'no_such_command' }).toString(),
    });
    expect(note.statusCode).toBe(400);
    expect(note.headers['content-type']).toContain('text/html');
  });
});

describe('inbox view badges', () => {
  it('are served from cache while a background refresh runs, then show the new count', async () => {
    const db = t.ctx.database.db;
    const marketing = await t.signIn('marketing');
    const read = async () =>
      (
        (
          await t.app.inject({ url: '/api/inbox?view=unassigned', headers: { cookie: marketing.cookie } })
        ).json() as { counts: Record<string, number> }
      ).counts.unassigned!;
    const before = await read();
    await insertConversation(db, { queue: 'marketing', intent: 'lead', subject: 'Badge check' });
    // Within the TTL: the cached count.
    expect(await read()).toBe(before);
    // Past the TTL: the stale count comes back at once, and a refresh starts behind it.
    const realNow = Date.now;
    const later = realNow() + COUNTS_TTL_MS + 100;
    Date.now = () => later;
    try {
      expect(await read()).toBe(before);
      await new Promise((r) => setTimeout(r, 300));
      expect(await read()).toBe(before + 1);
    } finally {
      Date.now = realNow;
    }
  });
});

describe('inbox filters', () => {
  it('a tag filter lists the tagged conversations; "N matching" is the same for every sort and page', async () => {
    const db = t.ctx.database.db;
    const marketing = await t.signIn('marketing');
    const tagged: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { conversation } = await insertConversation(db, {
        queue: 'marketing',
        intent: 'lead',
        dueInMinutes: 10 + i,
      });
      if (i % 2 === 0) {
        await db.execute(
          sql`UPDATE conversations SET tags = ARRAY['vip-filter', 'other'] WHERE id = ${conversation.id}`,
        );
        tagged.push(conversation.id);
      }
    }
    const read = async (q: string) =>
      (
        await t.app.inject({
          url: `/api/inbox?view=all&tag=vip-filter&${q}`,
          headers: { cookie: marketing.cookie },
        })
      ).json() as { items: { id: string }[]; filtered: { count: number; atLeast: boolean } };
    for (const q of ['sort=sla', 'sort=age', 'sort=priority']) {
      const page = await read(q);
      expect(page.items.map((x) => x.id).sort()).toEqual([...tagged].sort());
      expect(page.filtered).toEqual({ count: tagged.length, atLeast: false });
    }
  });
});
