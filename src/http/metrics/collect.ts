/**
 * The metric families /metrics exposes: the triage pipeline (the same capped status the Pipeline page
 * shows), conversations and overdue SLA clocks per queue, the outboxes, each channel's sync health, and
 * this process. Everything is read fresh at each scrape; nothing is kept between scrapes.
 */
import { type IntervalHistogram, monitorEventLoopDelay } from 'node:perf_hooks';
import type { Db } from '../../db/client.ts';
import { GAUGE_COUNT_CAP, type OpsGauges, opsGaugesRepository } from '../../db/repositories/ops-gauges.ts';
import {
  DEAD_LETTER_COUNT_CAP,
  LANE_COUNT_CAP,
  type PipelineStatus,
  pipelineRepository,
  STORED_COUNT_CAP,
} from '../../db/repositories/pipeline.ts';
import { gauge, type MetricFamily, type Sample } from './exposition.ts';

const n = (v: number) => v.toLocaleString('en');

const perKey = (values: Record<string, number>, label: string): Sample[] =>
  Object.entries(values).map(([k, value]) => ({ labels: { [label]: k }, value }));

export function pipelineFamilies(s: PipelineStatus): MetricFamily[] {
  return [
    gauge(
      'earshot_pipeline_queued_posts',
      `Posts acknowledged and waiting for triage, per intake lane (counted up to ${n(LANE_COUNT_CAP)} per lane).`,
      s.lanes.map((l) => ({ labels: { lane: String(l.lane) }, value: l.queued })),
    ),
    gauge(
      'earshot_pipeline_lag_seconds',
      'How long the oldest queued post has waited (0 when none is queued).',
      [{ value: s.lagSeconds }],
    ),
    gauge(
      'earshot_pipeline_dead_letters',
      `Posts the pipeline could not store, waiting for an operator (counted up to ${n(DEAD_LETTER_COUNT_CAP)}).`,
      [{ value: s.deadLetters }],
    ),
    gauge(
      'earshot_pipeline_stored_posts',
      `Inbound posts stored that arrived within the window (counted up to ${n(STORED_COUNT_CAP)}).`,
      [
        { labels: { window: '5m' }, value: s.storedLast5Minutes },
        { labels: { window: '1h' }, value: s.storedLastHour },
      ],
    ),
  ];
}

export function operationsFamilies(g: OpsGauges): MetricFamily[] {
  const cap = `counted up to ${n(GAUGE_COUNT_CAP)}`;
  const channel = (c: OpsGauges['channels'][number]) => ({ channel_id: c.id, kind: c.kind, name: c.name });
  return [
    gauge(
      'earshot_conversations',
      `Active conversations per owning queue and status (${cap} each).`,
      Object.entries(g.conversations).flatMap(([queue, byStatus]) =>
        Object.entries(byStatus).map(([status, value]) => ({ labels: { queue, status }, value })),
      ),
    ),
    gauge(
      'earshot_conversations_sla_overdue',
      `Active conversations whose running SLA clock (first or next response) is past due, per queue (${cap}).`,
      perKey(g.slaOverdue, 'queue'),
    ),
    gauge('earshot_replies', `Public replies and private messages in the outbox per status (${cap} each).`, [
      ...perKey(g.replies, 'status'),
    ]),
    gauge(
      'earshot_replies_send_delay_seconds',
      'How long the oldest scheduled reply is past its send time (0 when none is late).',
      [{ value: g.replyDelaySeconds }],
    ),
    gauge(
      'earshot_emails',
      `Conversation e-mails to customers per status (${cap} each).`,
      perKey(g.emails, 'status'),
    ),
    gauge(
      'earshot_system_mails',
      `System mails (escalation digests, invitations) per status (${cap} each).`,
      perKey(g.systemMails, 'status'),
    ),
    gauge(
      'earshot_channel_enabled',
      '1 when the channel is listened to.',
      g.channels.map((c) => ({ labels: channel(c), value: c.enabled ? 1 : 0 })),
    ),
    gauge(
      'earshot_channel_failing',
      "1 when the channel's last sync failed (its last error is newer than its last success).",
      g.channels.map((c) => ({ labels: channel(c), value: c.failing ? 1 : 0 })),
    ),
    gauge(
      'earshot_channel_since_success_seconds',
      'Seconds since the channel last synced successfully (channels that never synced are left out).',
      g.channels.flatMap((c) =>
        c.sinceSuccessSeconds === null ? [] : [{ labels: channel(c), value: c.sinceSuccessSeconds }],
      ),
    ),
    gauge(
      'earshot_channel_lag_seconds',
      "Delay between a post's platform time and its storage, at the channel's last poll.",
      g.channels.flatMap((c) => (c.lagSeconds === null ? [] : [{ labels: channel(c), value: c.lagSeconds }])),
    ),
  ];
}

let loopDelay: IntervalHistogram | undefined;

/** This process: up time, memory, and the event loop's delay (p99 since the last scrape). */
export function processFamilies(version: string): MetricFamily[] {
  if (!loopDelay) {
    loopDelay = monitorEventLoopDelay({ resolution: 20 });
    loopDelay.enable();
  }
  const p99 = loopDelay.count > 0 ? loopDelay.percentile(99) / 1e9 : 0;
  loopDelay.reset();
  const memory = process.memoryUsage();
  return [
    gauge('earshot_build_info', 'Always 1; the version is a label.', [{ labels: { version }, value: 1 }]),
    gauge('earshot_process_uptime_seconds', 'Seconds since this process started.', [
      { value: Math.round(process.uptime()) },
    ]),
    gauge('earshot_process_resident_memory_bytes', 'Resident memory of this process.', [
      { value: memory.rss },
    ]),
    gauge('earshot_process_heap_used_bytes', 'V8 heap in use in this process.', [{ value: memory.heapUsed }]),
    gauge(
      'earshot_process_event_loop_delay_p99_seconds',
      "99th percentile of this process's event loop delay since the last scrape.",
      [{ value: p99 }],
    ),
  ];
}

export async function collectMetrics(db: Db, version: string): Promise<MetricFamily[]> {
  const [pipeline, operations] = await Promise.all([
    pipelineRepository(db).status(),
    opsGaugesRepository(db).read(),
  ]);
  return [...pipelineFamilies(pipeline), ...operationsFamilies(operations), ...processFamilies(version)];
}
