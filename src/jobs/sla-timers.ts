/**
 * SLA timers: conversations whose scheduled check time has come (sla_schedule.next_at, written by
 * the pipeline) are replayed through src/domain/sla.ts; every warning, escalation and breach
 * crossed is raised once per clock cycle (sla_alerts) as a conversation event (`sla_warning`,
 * `sla_escalated`, `sla_breached`) and a bus notification (topic `sla.alert`; escalations name the
 * queue and team so supervisors' screens pick them up). Escalations and breaches are also e-mailed to
 * the team's supervisors, one digest each per round (src/domain/sla-escalation-mail.ts), written to the
 * mail outbox in the same transaction and sent after commit. Then the next check is scheduled.
 * Register in src/jobs/boss.ts with `registerSlaTimers(boss, deps)` (every minute).
 */
import type PgBoss from 'pg-boss';
import type { Database } from '../db/client.ts';
import { type EventRecord, insertEvents } from '../db/repositories/conversations.ts';
import { queueMailRows } from '../db/repositories/mail-outbox.ts';
import { scheduleSla, slaEventHistory } from '../db/repositories/sla-clocks.ts';
import type { ConversationStatus } from '../domain/conversation-types.ts';
import {
  type SlaMailAlert,
  type SlaMailRecipient,
  slaEscalationMails,
} from '../domain/sla-escalation-mail.ts';
import type { ChannelKind, PriorityLevel, QueueName } from '../domain/types.ts';
import type { EventBus } from '../lib/event-bus.ts';
import type { Mailer } from '../lib/mailer.ts';
import { loadPipelineConfig } from '../pipeline/config.ts';
import type { Queryable } from '../pipeline/intake.ts';
import { slaFor } from '../pipeline/sla-stage.ts';

export const SLA_TIMERS_JOB = 'sla-timers';
export const SLA_ALERT_TOPIC = 'sla.alert';
const ACTIVE = new Set<ConversationStatus>(['new', 'open', 'waiting_on_customer']);
const EVENT_TYPE = { warning: 'sla_warning', escalation: 'sla_escalated', breach: 'sla_breached' } as const;

export interface SlaTimerDeps {
  database: Database;
  bus?: EventBus;
  log?: (msg: string) => void;
  /** E-mail escalations and breaches to supervisors; omitted: no e-mail. */
  mail?: { mailer: Mailer; smtpConfigured: boolean; baseUrl: string };
}

/** An alert raised: what the supervisors' e-mail needs, and who the conversation is assigned to. */
export interface SlaAlert extends SlaMailAlert {
  assigneeId: string | null;
}

/** One round: at most `limit` due checks in one transaction; the alerts raised. */
export async function runSlaTimers(deps: SlaTimerDeps, now = new Date(), limit = 500): Promise<SlaAlert[]> {
  return (await slaTimerRound(deps, now, limit)).alerts;
}

/** One round, also saying how many due checks it took (a full round means more may be due). */
async function slaTimerRound(
  deps: SlaTimerDeps,
  now: Date,
  limit: number,
): Promise<{ alerts: SlaAlert[]; checked: number }> {
  const config = await loadPipelineConfig(deps.database.db);
  const client = await deps.database.pool.connect();
  const alerts: SlaAlert[] = [];
  let mailed: SlaTimerDeps['mail'];
  let checked = 0;
  try {
    await client.query('begin');
    const due = await client.query<{
      id: string;
      status: ConversationStatus;
      queue: string;
      team: string | null;
      assignee_id: string | null;
      channel_kind: string;
      priority: string;
    }>(
      `select c.id, c.status, c.queue, c.team, c.assignee_id, c.channel_kind, c.priority
         from sla_schedule s join conversations c on c.id = s.conversation_id
        where s.next_at <= $1 order by s.next_at limit $2 for update of s skip locked`,
      [now, limit],
    );
    const rows = due.rows;
    checked = rows.length;
    const history = await slaEventHistory(
      client,
      rows.filter((r) => ACTIVE.has(r.status)).map((r) => r.id),
    );
    const events: EventRecord[] = [];
    const schedule: { conversationId: string; policyId: string | null; nextAt: string | null }[] = [];
    for (const c of rows) {
      if (!ACTIVE.has(c.status)) {
        schedule.push({ conversationId: c.id, policyId: null, nextAt: null });
        continue;
      }
      const sla = slaFor(
        config.slaPolicies,
        {
          queue: c.queue as QueueName,
          channelKind: c.channel_kind as ChannelKind,
          priority: c.priority as PriorityLevel,
        },
        history.get(c.id) ?? [],
        now,
      );
      for (const clock of sla.clocks) {
        if (clock.status !== 'running') continue;
        const crossed = (['warning', 'escalation', 'breach'] as const).filter(
          (k) =>
            ['warning', 'escalation', 'breached'].indexOf(clock.stage) >=
            ['warning', 'escalation', 'breach'].indexOf(k),
        );
        for (const kind of crossed) {
          const fresh = await client.query(
            `insert into sla_alerts (conversation_id, clock, cycle, kind) values ($1, $2, $3, $4)
             on conflict do nothing returning 1`,
            [c.id, clock.clock, clock.cycles, kind],
          );
          if (fresh.rowCount === 0) continue;
          const alert: SlaAlert = {
            conversationId: c.id,
            clock: clock.clock,
            kind,
            dueAt: clock.dueAt,
            queue: c.queue,
            team: c.team,
            assigneeId: c.assignee_id,
          };
          alerts.push(alert);
          events.push({
            type: EVENT_TYPE[kind],
            conversationId: c.id,
            at: now.toISOString(),
            actorId: 'system',
            clock: clock.clock,
            dueAt: clock.dueAt,
            cycle: clock.cycles,
            ...(kind === 'escalation' ? { escalateTo: 'supervisor', queue: c.queue, team: c.team } : {}),
          });
        }
      }
      await client.query(
        `update conversations set first_response_due_at = $2, next_response_due_at = $3, resolution_due_at = $4
          where id = $1`,
        [c.id, sla.firstResponseDueAt, sla.nextResponseDueAt, sla.resolutionDueAt],
      );
      schedule.push({ conversationId: c.id, policyId: sla.policyId, nextAt: sla.nextAt });
    }
    // Escalations and breaches are e-mailed; warnings are for the assignee's screen.
    mailed = deps.mail && alerts.some((a) => a.kind !== 'warning') ? deps.mail : undefined;
    await insertEvents(client, events);
    await scheduleSla(client, schedule);
    if (mailed) {
      const mails = slaEscalationMails(alerts, await supervisorsToMail(client), mailed.baseUrl);
      await queueMailRows(client, mails, mailed.smtpConfigured);
    }
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => {});
    throw e;
  } finally {
    client.release();
  }
  if (mailed) {
    // Not awaited: a slow or silent SMTP server must not hold up the next SLA checks. What this flush
    // does not send, the mail-retry job does.
    void mailed.mailer.flush().catch((e) => deps.log?.(`sla-timers: mail: ${(e as Error).message}`));
  }
  // Bus notifications after commit, in chunks that fit NOTIFY.
  for (let i = 0; i < alerts.length; i += 20) {
    await deps.bus?.publish({ topic: SLA_ALERT_TOPIC, alerts: alerts.slice(i, i + 20) }).catch(() => {});
  }
  return { alerts, checked };
}

/** Supervisors and admins who take these e-mails (active, not switched off). */
async function supervisorsToMail(client: Queryable): Promise<SlaMailRecipient[]> {
  const r = await client.query<SlaMailRecipient>(
    `select id, email, role, team from users
      where role in ('supervisor', 'admin') and disabled_at is null and sla_email order by created_at`,
  );
  return r.rows;
}

/**
 * Every due check, in rounds of `limit` (each its own short transaction), until a round finds fewer
 * than `limit` due or `maxRounds` have run. Most due checks raise no alert (an agent's reply brings a
 * check forward), so rounds continue while checks were due, not while alerts were raised.
 */
export async function runDueSlaChecks(
  deps: SlaTimerDeps,
  now = new Date(),
  limit = 500,
  maxRounds = 40,
): Promise<{ alerts: number; checked: number }> {
  let alerts = 0;
  let checked = 0;
  for (let round = 0; round < maxRounds; round++) {
    const r = await slaTimerRound(deps, now, limit);
    alerts += r.alerts.length;
    checked += r.checked;
    if (r.checked < limit) break;
  }
  return { alerts, checked };
}

export async function registerSlaTimers(boss: PgBoss, deps: SlaTimerDeps): Promise<void> {
  await boss.createQueue(SLA_TIMERS_JOB);
  await boss.schedule(SLA_TIMERS_JOB, '* * * * *', {});
  await boss.work(SLA_TIMERS_JOB, async () => {
    const r = await runDueSlaChecks(deps);
    if (r.alerts > 0) deps.log?.(`sla-timers: ${r.checked} checks, ${r.alerts} alerts`);
    return r;
  });
}
