import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { shippedClassifier } from '../pipeline/classifier.ts';
import { pipelineConfigCache } from '../pipeline/config.ts';
import { drainAll } from '../pipeline/drain.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { applyCommand } from '../services/conversations.ts';
import { runSlaTimers } from './sla-timers.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database.drop();
});

describe('SLA timers job', () => {
  it('warns, escalates and marks the breach once each, as events and bus-ready alerts', async () => {
    const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;
    const [ch] = await q(
      `insert into channels (kind, name, base_url) values ('x', 'X', 'http://x') returning id`,
    );
    await q(
      `insert into sla_policies (name, position, policy) values ('Tight', 0, '{"targets":{"firstResponseMinutes":10}}')`,
    );
    const id = randomUUID();
    await enqueueInbound(database.pool, [
      {
        channelKind: 'x',
        channelId: ch.id,
        externalId: id,
        threadExternalId: id,
        author: { externalId: 'sla-1', handle: 'sla' },
        text: 'Where is my parcel?',
        isPrivate: false,
        createdAt: new Date().toISOString(),
      },
    ]);
    await drainAll({
      pool: database.pool,
      classifier: shippedClassifier(),
      config: pipelineConfigCache(database.db),
    });
    const [conv] = await q('select conversation_id from posts where external_id = $1', [id]);
    const start = Date.now();
    expect(await runSlaTimers({ database }, new Date(start + 60_000))).toHaveLength(0);
    const warn = await runSlaTimers({ database }, new Date(start + 8 * 60_000));
    expect(warn.map((a) => a.kind)).toEqual(['warning']);
    const later = await runSlaTimers({ database }, new Date(start + 11 * 60_000));
    expect(later.map((a) => a.kind).sort()).toEqual(['breach', 'escalation']);
    expect(await runSlaTimers({ database }, new Date(start + 12 * 60_000))).toHaveLength(0);
    const events = await q(
      `select type from conversation_events where conversation_id = $1 and type like 'sla_%' order by type`,
      [conv.conversation_id],
    );
    expect(events.map((e) => e.type)).toEqual(['sla_breached', 'sla_escalated', 'sla_warning']);
  });

  it('an agent reopening a resolved conversation has its clocks re-evaluated by the next run', async () => {
    const q = async (sql: string, params: unknown[] = []) => (await database.pool.query(sql, params)).rows;
    const [ch] = await q(`select id from channels limit 1`);
    await q(
      `update sla_policies set policy = '{"targets":{"firstResponseMinutes":10,"resolutionMinutes":30}}' where name = 'Tight'`,
    );
    const id = randomUUID();
    await enqueueInbound(database.pool, [
      {
        channelKind: 'x',
        channelId: ch.id,
        externalId: id,
        threadExternalId: id,
        author: { externalId: 'sla-reopen', handle: 'reopen' },
        text: 'My order never arrived, please help',
        isPrivate: false,
        createdAt: new Date().toISOString(),
      },
    ]);
    await drainAll({
      pool: database.pool,
      classifier: shippedClassifier(),
      config: pipelineConfigCache(database.db),
    });
    const [{ conversation_id: conversationId }] = await q(
      'select conversation_id from posts where external_id = $1',
      [id],
    );
    const supervisor = { id: randomUUID(), role: 'supervisor' as const, team: null, displayName: 'Sup' };
    await q(`update conversations set started_as_public_complaint = false where id = $1`, [conversationId]);
    await applyCommand(database.db, conversationId, { type: 'resolve' }, supervisor);
    // Resolved: the next run drops the schedule (no running clock).
    await runSlaTimers({ database }, new Date(Date.now() + 1000));
    expect(await q('select 1 from sla_schedule where conversation_id = $1', [conversationId])).toHaveLength(
      0,
    );
    await applyCommand(database.db, conversationId, { type: 'reopen' }, supervisor);
    const [scheduled] = await q('select next_at from sla_schedule where conversation_id = $1', [
      conversationId,
    ]);
    expect(new Date(scheduled.next_at).getTime()).toBeLessThanOrEqual(Date.now());
    // The resolution clock runs again; long past its 30 minutes, the reopened conversation breaches.
    const alerts = await runSlaTimers({ database }, new Date(Date.now() + 40 * 60_000));
    expect(alerts.filter((a) => a.conversationId === conversationId).map((a) => a.kind)).toContain('breach');
  });
});
