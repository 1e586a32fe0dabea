import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { type SmtpSink, startSmtpSink } from '../../test/mail/smtp-sink.ts';
import type { BusEvent, EventBus } from '../lib/event-bus.ts';
import { createMailer } from '../lib/mailer.ts';
import { drainAll } from '../pipeline/drain.ts';
import { enqueueInbound } from '../pipeline/intake.ts';
import { applyCommand } from '../services/conversations.ts';
import { runDueSlaChecks, runSlaTimers, SLA_ALERT_TOPIC } from './sla-timers.ts';

let t: PipelineTestBed;
let database: PipelineTestBed['database'];

beforeAll(async () => {
  t = await pipelineTestBed('X');
  database = t.database;
});
afterAll(() => t.database.drop());

/** A customer's post through the pipeline; its conversation's id. */
async function storePost(author: string, text: string): Promise<string> {
  const post = t.post(author, { text });
  await enqueueInbound(database.pool, [post]);
  await drainAll(t.deps);
  const [row] = await t.q<{ conversation_id: string }>(
    'select conversation_id from posts where external_id = $1',
    [post.externalId],
  );
  return row!.conversation_id;
}

describe('SLA timers job', () => {
  it('warns, escalates and marks the breach once each, as events and bus-ready alerts', async () => {
    await t.q(
      `insert into sla_policies (name, position, policy) values ('Tight', 0, '{"targets":{"firstResponseMinutes":10}}')`,
    );
    const conversationId = await storePost('sla-1', 'Where is my parcel?');
    const start = Date.now();
    expect(await runSlaTimers({ database }, new Date(start + 60_000))).toHaveLength(0);
    const warn = await runSlaTimers({ database }, new Date(start + 8 * 60_000));
    expect(warn.map((a) => a.kind)).toEqual(['warning']);
    // Published on the bus for the realtime stream (src/http/realtime/sla-alerts.ts picks who hears).
    const published: BusEvent[] = [];
    const bus = { publish: async (e: BusEvent) => void published.push(e) } as unknown as EventBus;
    const later = await runSlaTimers({ database, bus }, new Date(start + 11 * 60_000));
    expect(later.map((a) => a.kind).sort()).toEqual(['breach', 'escalation']);
    expect(published).toEqual([{ topic: SLA_ALERT_TOPIC, alerts: later }]);
    expect(later[0]).toMatchObject({ conversationId, clock: 'first_response', queue: 'support' });
    expect(await runSlaTimers({ database }, new Date(start + 12 * 60_000))).toHaveLength(0);
    const events = await t.q<{ type: string }>(
      `select type from conversation_events where conversation_id = $1 and type like 'sla_%' order by type`,
      [conversationId],
    );
    expect(events.map((e) => e.type)).toEqual(['sla_breached', 'sla_escalated', 'sla_warning']);
  });

  it('an agent reopening a resolved conversation has its clocks re-evaluated by the next run', async () => {
    await t.q(
      `update sla_policies set policy = '{"targets":{"firstResponseMinutes":10,"resolutionMinutes":30}}' where name = 'Tight'`,
    );
    const conversationId = await storePost('sla-reopen', 'My order never arrived, please help');
    const supervisor = { id: randomUUID(), role: 'supervisor' as const, team: null, displayName: 'Sup' };
    await t.q(`update conversations set started_as_public_complaint = false where id = $1`, [conversationId]);
    await applyCommand(database.db, conversationId, { type: 'resolve' }, supervisor);
    // Resolved: the next run drops the schedule (no running clock).
    await runSlaTimers({ database }, new Date(Date.now() + 1000));
    expect(await t.q('select 1 from sla_schedule where conversation_id = $1', [conversationId])).toHaveLength(
      0,
    );
    await applyCommand(database.db, conversationId, { type: 'reopen' }, supervisor);
    const [scheduled] = await t.q<{ next_at: Date }>(
      'select next_at from sla_schedule where conversation_id = $1',
      [conversationId],
    );
    expect(new Date(scheduled!.next_at).getTime()).toBeLessThanOrEqual(Date.now());
    // The resolution clock runs again; long past its 30 minutes, the reopened conversation breaches.
    const alerts = await runSlaTimers({ database }, new Date(Date.now() + 40 * 60_000));
    expect(alerts.filter((a) => a.conversationId === conversationId).map((a) => a.kind)).toContain('breach');
  });

  it("a hand-off to another queue has the conversation re-checked under that queue's policy", async () => {
    const conversationId = await storePost('sla-handoff', 'My order never arrived, please help');
    await t.q('delete from sla_schedule where conversation_id = $1', [conversationId]);
    const supervisor = { id: randomUUID(), role: 'supervisor' as const, team: null, displayName: 'Sup' };
    await applyCommand(database.db, conversationId, { type: 'hand_off', toQueue: 'marketing' }, supervisor);
    const [scheduled] = await t.q<{ next_at: Date }>(
      'select next_at from sla_schedule where conversation_id = $1',
      [conversationId],
    );
    expect(new Date(scheduled!.next_at).getTime()).toBeLessThanOrEqual(Date.now());
  });

  it('takes every due check in one run, in rounds, even when the checks raise no alert', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) ids.push(await storePost(`sla-round-${i}`, 'Where is my refund?'));
    // Due now, nothing crossed yet (as after an agent's reply brings a check forward).
    await t.q(
      `update sla_schedule set next_at = now() - interval '1 second' where conversation_id = any($1)`,
      [ids],
    );
    const run = await runDueSlaChecks({ database }, new Date(), 3);
    expect(run.checked).toBeGreaterThanOrEqual(7);
    expect(run.alerts).toBe(0);
    const stillDue = await t.q(
      'select 1 from sla_schedule where conversation_id = any($1) and next_at <= now()',
      [ids],
    );
    expect(stillDue).toHaveLength(0);
  });
});

describe('SLA escalation e-mail', () => {
  let bed: PipelineTestBed;
  let sink: SmtpSink;
  beforeAll(async () => {
    bed = await pipelineTestBed('X mail');
    sink = await startSmtpSink();
    await bed.q(
      `insert into sla_policies (name, position, policy) values ('Tight', 0, '{"targets":{"firstResponseMinutes":10}}')`,
    );
    await bed.q(
      `insert into users (email, display_name, role, password_hash, team) values
         ('lead.billing@example.com', 'Billing lead', 'supervisor', 'x', 'billing'),
         ('lead.shipping@example.com', 'Shipping lead', 'supervisor', 'x', 'shipping'),
         ('owner@example.com', 'Owner', 'admin', 'x', null)`,
    );
  });
  afterAll(async () => {
    await sink.close();
    await bed.database.drop();
  });

  /** The status of the digest naming this conversation, once it is `want` (or after 5 s, whatever it is). */
  async function statusOf(conversationId: string, want: string): Promise<string | undefined> {
    const until = Date.now() + 5_000;
    for (;;) {
      const [row] = await bed.q<{ status: string }>(
        `select status from mail_outbox where text_body like '%' || $1 || '%'`,
        [conversationId],
      );
      if (row?.status === want || Date.now() > until) return row?.status;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  async function billingConversation(author: string): Promise<string> {
    const post = bed.post(author, { text: 'Where is my refund?' });
    await enqueueInbound(bed.database.pool, [post]);
    await drainAll(bed.deps);
    const [row] = await bed.q<{ conversation_id: string }>(
      'select conversation_id from posts where external_id = $1',
      [post.externalId],
    );
    await bed.q(`update conversations set team = 'billing' where id = $1`, [row!.conversation_id]);
    return row!.conversation_id;
  }

  it("e-mails the team's supervisor once, after the round that escalated, and not for warnings", async () => {
    const conversationId = await billingConversation('mail-1');
    const mailer = createMailer(bed.database.db, { smtpUrl: sink.url, from: 'earshot@example.com' });
    const deps = {
      database: bed.database,
      mail: { mailer, smtpConfigured: true, baseUrl: 'https://earshot.example.com' },
    };
    const start = Date.now();
    expect((await runSlaTimers(deps, new Date(start + 8 * 60_000))).map((a) => a.kind)).toEqual(['warning']);
    expect(await bed.q('select 1 from mail_outbox')).toHaveLength(0);
    await runSlaTimers(deps, new Date(start + 11 * 60_000));
    const [mail] = await sink.waitFor(1);
    expect(mail!.envelope.to).toEqual(['lead.billing@example.com']);
    expect(mail!.parsed.subject).toBe('Earshot SLA: 1 conversation needs a supervisor (1 breached)');
    expect(mail!.parsed.text).toContain(`https://earshot.example.com/app/conversations/${conversationId}`);
    expect(mail!.parsed.text).toContain('BREACHED: first response was due');
    expect(await statusOf(conversationId, 'sent')).toBe('sent');
    // Raised once per clock cycle: the next run sends nothing.
    await runSlaTimers(deps, new Date(start + 12 * 60_000));
    expect(await bed.q('select 1 from mail_outbox')).toHaveLength(1);
    expect(sink.messages).toHaveLength(1);
  });

  it('keeps an escalation e-mail the SMTP server refused, and the retry sends it', async () => {
    const conversationId = await billingConversation('mail-2');
    const mailer = createMailer(bed.database.db, { smtpUrl: sink.url, from: 'earshot@example.com' });
    const deps = { database: bed.database, mail: { mailer, smtpConfigured: true, baseUrl: 'http://e' } };
    sink.failWith = 421;
    const before = sink.messages.length;
    await runSlaTimers(deps, new Date(Date.now() + 11 * 60_000));
    // The run does not wait for the mail: the refusal lands a moment later.
    expect(await statusOf(conversationId, 'failed')).toBe('failed');
    sink.failWith = null;
    expect(await mailer.flush()).toBe(1);
    const [sent] = await sink.waitFor(before + 1);
    expect(sink.messages.at(-1)!.parsed.text).toContain(conversationId);
    expect(sent).toBeDefined();
    expect(sink.messages).toHaveLength(before + 1);
  });

  it('skips supervisors who switched these e-mails off: the admins hear when no supervisor of the team does', async () => {
    await bed.q(`update users set sla_email = false where email = 'lead.billing@example.com'`);
    const conversationId = await billingConversation('mail-3');
    const mailer = createMailer(bed.database.db, { smtpUrl: sink.url, from: 'earshot@example.com' });
    const deps = { database: bed.database, mail: { mailer, smtpConfigured: true, baseUrl: 'http://e' } };
    const before = sink.messages.length;
    await runSlaTimers(deps, new Date(Date.now() + 11 * 60_000));
    const [mail] = (await sink.waitFor(before + 1)).slice(before);
    expect(mail!.envelope.to).toEqual(['owner@example.com']);
    expect(mail!.parsed.text).toContain(conversationId);
    expect(mail!.parsed.text).toContain('"Escalation e-mails: on" at the top of the app (http://e/app)');
    await bed.q(`update users set sla_email = true where email = 'lead.billing@example.com'`);
  });
});
