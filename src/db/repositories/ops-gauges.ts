/**
 * What an operator's monitoring (Prometheus, /metrics) watches besides the pipeline: active
 * conversations and overdue SLA clocks per queue, the public-reply outbox, the e-mail outboxes, and each
 * channel's sync health. Every count reads at most COUNT_CAP rows through an index, so a scrape stays
 * cheap on a database with millions of conversations; a count at the cap is a lower bound.
 */
import { sql } from 'drizzle-orm';
import type { Db } from '../client.ts';
// The SLA clock that runs now, as the inbox's "breaching soon" view and its expression index read it.
import { SLA_DUE_SQL } from './inbox.ts';

/** Counts stop here (the exposition says so in its HELP text). */
export const GAUGE_COUNT_CAP = 10_000;

/** Queues a conversation can be owned by (conversations routed to "ignore" are never opened). */
export const WATCHED_QUEUES = ['support', 'marketing', 'moderation'] as const;
export const ACTIVE_STATUSES = ['new', 'open', 'waiting_on_customer'] as const;
/** Reply statuses worth watching: waiting for a reviewer, for its send time, being sent, given up. */
export const WATCHED_REPLY_STATUSES = ['pending_approval', 'scheduled', 'sending', 'failed'] as const;
export const EMAIL_STATUSES = ['queued', 'sending', 'failed'] as const;

export interface ChannelHealth {
  id: string;
  kind: string;
  name: string;
  enabled: boolean;
  /** Seconds since the last successful sync; null when it never synced. */
  sinceSuccessSeconds: number | null;
  /** The last sync attempt failed (its error is newer than the last success). */
  failing: boolean;
  /** Delay between a post's platform time and its storage, last poll (seconds); null when unknown. */
  lagSeconds: number | null;
}

export interface OpsGauges {
  /** queue → status → conversations (capped). */
  conversations: Record<string, Record<string, number>>;
  /** queue → active conversations whose current SLA clock (first or next response) is past due (capped). */
  slaOverdue: Record<string, number>;
  /** status → public replies and messages in the outbox (capped). */
  replies: Record<string, number>;
  /** Seconds the oldest scheduled reply is past its send time (0 when none is late). */
  replyDelaySeconds: number;
  /** status → conversation e-mails (capped). */
  emails: Record<string, number>;
  /** status → system mails: escalation digests, invitations (capped). */
  systemMails: Record<string, number>;
  channels: ChannelHealth[];
}

const capped = (from: string, where: string) =>
  `(select count(*) from (select 1 from ${from} where ${where} limit ${GAUGE_COUNT_CAP}) x)::int`;

const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Columns `<prefix>_<value>` counting rows of `table` per status value. */
const statusColumns = (prefix: string, table: string, statuses: readonly string[]) =>
  statuses.map((s) => `${capped(table, `status = '${s}'`)} as ${prefix}_${s}`).join(',\n');

function gaugeQuery(): string {
  const perQueue = WATCHED_QUEUES.flatMap((q) => [
    ...ACTIVE_STATUSES.map(
      (s) => `${capped('conversations', `queue = '${q}' and status = '${s}'`)} as conv_${q}_${s}`,
    ),
    `${capped('conversations c', `c.queue = '${q}' and c.status in (${list(ACTIVE_STATUSES)}) and ${SLA_DUE_SQL} < now()`)} as overdue_${q}`,
  ]);
  return `select ${[
    ...perQueue,
    statusColumns('reply', 'replies', WATCHED_REPLY_STATUSES),
    `coalesce(extract(epoch from now() - (select min(send_after) from replies
       where status = 'scheduled' and send_after < now())), 0)::float8 as reply_delay`,
    statusColumns('email', 'email_outbound', EMAIL_STATUSES),
    statusColumns('mail', 'mail_outbox', EMAIL_STATUSES),
  ].join(',\n')}`;
}

const QUERY = gaugeQuery();

type Row = Record<string, unknown>;

const pick = (row: Row, prefix: string, keys: readonly string[]) =>
  Object.fromEntries(keys.map((k) => [k, Number(row[`${prefix}_${k}`] ?? 0)]));

export function opsGaugesRepository(db: Db) {
  return {
    async read(): Promise<OpsGauges> {
      const [row] = (await db.execute(sql.raw(QUERY))).rows as Row[];
      const r = row ?? {};
      const channels = (
        await db.execute(sql`
          select id::text, kind, name, enabled,
                 extract(epoch from now() - last_success_at)::float8 as since_success,
                 (last_error_at is not null and (last_success_at is null or last_error_at > last_success_at)) as failing,
                 lag_ms
            from channels order by kind, name, id limit 1000`)
      ).rows as Row[];
      return {
        conversations: Object.fromEntries(
          WATCHED_QUEUES.map((q) => [q, pick(r, `conv_${q}`, ACTIVE_STATUSES)]),
        ),
        slaOverdue: pick(r, 'overdue', WATCHED_QUEUES),
        replies: pick(r, 'reply', WATCHED_REPLY_STATUSES),
        replyDelaySeconds: Math.max(0, Number(r.reply_delay ?? 0)),
        emails: pick(r, 'email', EMAIL_STATUSES),
        systemMails: pick(r, 'mail', EMAIL_STATUSES),
        channels: channels.map((c) => ({
          id: String(c.id),
          kind: String(c.kind),
          name: String(c.name),
          enabled: Boolean(c.enabled),
          sinceSuccessSeconds: c.since_success === null ? null : Math.max(0, Number(c.since_success)),
          failing: Boolean(c.failing),
          lagSeconds: c.lag_ms === null || c.lag_ms === undefined ? null : Number(c.lag_ms) / 1000,
        })),
      };
    },
  };
}
