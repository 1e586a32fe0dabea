/**
 * Polling job: every minute (pg-boss cron) a worker runs for ~50 s, every 5 s claiming the enabled
 * channels whose poll interval has passed and that are not rate-limited (claim = stamping
 * last_polled_at, so workers never poll one channel twice), and polls each through its adapter
 * (src/services/channels.ts). Register in src/jobs/boss.ts with `registerPollChannels(boss, deps)`.
 */
import type PgBoss from 'pg-boss';
import { channelsRepository } from '../db/repositories/channels.ts';
import { adapterFor, type ChannelDeps, channelService } from '../services/channels.ts';

export const POLL_CHANNELS_JOB = 'poll-channels';

export interface PollSummary {
  polled: number;
  stored: number;
  deleted: number;
  errors: number;
  blocked: number;
}

/** Kinds whose adapter can poll (registry loaded lazily; absent adapters are skipped). */
async function pollableKinds(deps: ChannelDeps): Promise<string[]> {
  const kinds = ['x', 'facebook', 'reddit', 'mastodon', 'discourse', 'rss', 'email', 'webform', 'forum'];
  const out: string[] = [];
  for (const k of kinds) if ((await adapterFor(deps, k))?.fetchInbound) out.push(k);
  return out;
}

/** One round: claim due channels and poll them, four at a time. */
export async function pollDueChannels(deps: ChannelDeps, concurrency = 4): Promise<PollSummary> {
  const summary: PollSummary = { polled: 0, stored: 0, deleted: 0, errors: 0, blocked: 0 };
  const due = await channelsRepository(deps.database.db).claimDue(await pollableKinds(deps));
  const service = channelService(deps);
  const queue = [...due];
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let row = queue.shift(); row; row = queue.shift()) {
        const r = await service.poll(row).catch((e: unknown) => {
          deps.log?.(`poll ${row?.id}: ${e instanceof Error ? e.message : String(e)}`);
          return { status: 'error' as const, stored: 0, deleted: 0 };
        });
        summary.polled++;
        summary.stored += r.stored;
        summary.deleted += r.deleted;
        if (r.status === 'error') summary.errors++;
        if (r.status === 'blocked') summary.blocked++;
      }
    }),
  );
  return summary;
}

/** The job body: rounds every `everyMs` for `forMs`, then returns the totals. */
export async function runPollChannels(
  deps: ChannelDeps,
  forMs = 50_000,
  everyMs = 5_000,
): Promise<PollSummary> {
  const total: PollSummary = { polled: 0, stored: 0, deleted: 0, errors: 0, blocked: 0 };
  const until = Date.now() + forMs;
  do {
    const started = Date.now();
    const r = await pollDueChannels(deps);
    for (const k of Object.keys(total) as (keyof PollSummary)[]) total[k] += r[k];
    const wait = everyMs - (Date.now() - started);
    if (Date.now() + wait >= until) break;
    if (wait > 0) await new Promise((res) => setTimeout(res, wait));
  } while (Date.now() < until);
  return total;
}

export async function registerPollChannels(boss: PgBoss, deps: ChannelDeps): Promise<void> {
  await boss.createQueue(POLL_CHANNELS_JOB);
  await boss.schedule(POLL_CHANNELS_JOB, '* * * * *', {});
  await boss.work(POLL_CHANNELS_JOB, async () => {
    const r = await runPollChannels(deps);
    if (r.polled > 0) deps.log?.(`poll-channels: ${JSON.stringify(r)}`);
    return r;
  });
}
