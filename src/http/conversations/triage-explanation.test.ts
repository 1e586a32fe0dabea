/** "Why here": the conversation API and page say which rule routed a post and what made its priority. */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.ts';
import { shippedClassifier } from '../../pipeline/classifier.ts';
import { pipelineConfigCache } from '../../pipeline/config.ts';
import { drainAll } from '../../pipeline/drain.ts';
import { enqueueInbound } from '../../pipeline/intake.ts';
import { routingEventText } from '../../web/app/triage-panel.tsx';

let t: TestApp;
let agent: Awaited<ReturnType<TestApp['signIn']>>;
let channelId: string;

beforeAll(async () => {
  t = await createTestApp();
  agent = await t.signIn('agent');
  const { pool } = t.ctx.database;
  const ch = await pool.query<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', 'X', 'http://127.0.0.1:9') returning id`,
  );
  channelId = ch.rows[0]!.id;
  await pool.query(
    `insert into routing_rules (position, name, enabled, conditions, action)
     values (0, 'Refunds to billing', true, '{"keywords":{"any":["refund"]}}', '{"queue":"support","team":"billing"}')`,
  );
});
afterAll(() => t.close());

/** A public X post through the real pipeline; its conversation's id. */
async function triaged(text: string, followers: number): Promise<string> {
  const id = randomUUID();
  const { database } = t.ctx;
  await enqueueInbound(database.pool, [
    {
      channelKind: 'x',
      channelId,
      externalId: id,
      threadExternalId: id,
      author: { externalId: `a-${id}`, handle: 'angry_customer', followers },
      text,
      isPrivate: false,
      createdAt: new Date().toISOString(),
      matchedBy: 'mention',
    },
  ]);
  await drainAll({
    pool: database.pool,
    classifier: shippedClassifier(),
    config: pipelineConfigCache(database.db),
  });
  const r = await database.pool.query<{ conversation_id: string }>(
    'select conversation_id from posts where external_id = $1',
    [id],
  );
  return r.rows[0]!.conversation_id;
}

const headers = () => ({ cookie: agent.cookie });

describe('why a conversation is here', () => {
  it('the API gives the rule, the classification and the priority factors', async () => {
    const id = await triaged('URGENT: still no refund after three weeks, this is a scam!', 12_000);
    const res = await t.app.inject({ method: 'GET', url: `/api/conversations/${id}`, headers: headers() });
    expect(res.statusCode).toBe(200);
    const triage = res.json().triage;
    expect(triage).toMatchObject({
      queue: 'support',
      team: 'billing',
      rule: { name: 'Refunds to billing' },
      intent: 'complaint',
      threading: 'no_match',
    });
    expect(triage.intentReason).toMatch(/complaint model score/);
    expect(triage.complaintScore).toBeGreaterThan(0.5);
    const factors = Object.fromEntries(
      (triage.priorityFactors as { factor: string; detail: string | null }[]).map((f) => [
        f.factor,
        f.detail,
      ]),
    );
    expect(factors.urgency).toContain('urgent');
    expect(factors.reach).toBe('12000 followers');
    expect(factors).toHaveProperty('public');
  });

  it('the page says it in words, with the default policy and an agent correction, and escapes the rule name', async () => {
    await t.ctx.database.pool.query(`update routing_rules set name = '<img src=x onerror=alert(1)> refunds'`);
    const ruled = await triaged('I want a refund for the broken kettle', 10);
    const plain = await triaged('How do I change the delivery address on my order?', 10);
    await t.ctx.database.pool.query(`update conversations set intent = 'feedback' where id = $1`, [plain]);

    const ruledPage = await t.app.inject({
      method: 'GET',
      url: `/app/conversations/${ruled}`,
      headers: headers(),
    });
    expect(ruledPage.statusCode).toBe(200);
    expect(ruledPage.body).toContain(
      'Why here: routed to support, team billing by rule “&lt;img src=x onerror=alert(1)> refunds”',
    );
    expect(ruledPage.body).not.toContain('<img src=x');

    const plainPage = await t.app.inject({
      method: 'GET',
      url: `/app/conversations/${plain}`,
      headers: headers(),
    });
    expect(plainPage.body).toContain('Why here: routed to support by the default policy');
    expect(plainPage.body).toMatch(/Intent question: [^<]*\(an agent changed it to feedback\)/);
    expect(plainPage.body).toContain(
      'New conversation: no open conversation of this customer or thread matched.',
    );
  });
});

describe('routing events in the audit trail', () => {
  it('read as sentences: routed by a rule or the default policy, handed off with the note', () => {
    expect(routingEventText('routed', { queue: 'support', team: 'billing', ruleId: 'r1' })).toBe(
      'Routed to support, team billing by a routing rule',
    );
    expect(routingEventText('routed', { queue: 'ignore', ruleId: null })).toBe(
      'Routed to ignore (ignored) by the default policy',
    );
    expect(
      routingEventText('handed_off', {
        fromQueue: 'marketing',
        toQueue: 'support',
        fromTeam: null,
        toTeam: 'billing',
        note: 'a refund, not a lead',
      }),
    ).toBe('Handed off from marketing to support, team billing: a refund, not a lead');
    expect(routingEventText('assigned', {})).toBeNull();
  });
});
