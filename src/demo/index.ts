/**
 * `earshot demo` traffic over a running Earshot: starts the X simulator on 127.0.0.1, seeds
 * accounts, forum members and the X channel, then replays real customer tweets into the simulator
 * at a steady rate, posts forum topics and replies as demo members, and polls the X channel every
 * few seconds (the poll-channels cron runs only once a minute).
 */
import { startXSim, type XSim } from '../../sim/x/server.ts';
import type { AppContext } from '../http/context.ts';
import { pollDueChannels } from '../jobs/poll-channels.ts';
import { type Actor, createTopic, replyToTopic } from '../services/community.ts';
import { forumSteps } from './forum-script.ts';
import { type DemoCredentials, seedForum, seedStaff, seedXChannel } from './seed.ts';
import { loadReplayPlan, tweetsCsvPath } from './tweets.ts';

export interface DemoOptions {
  /** Customer tweets per second. */
  rate: number;
  /** Seconds between forum posts. */
  forumEverySeconds: number;
  /** Seconds between polls of the X channel. */
  pollSeconds: number;
  /** Replay the tweets again from the start when they run out. */
  loop: boolean;
  tweetsCsv?: string;
  log?: (msg: string) => void;
}

export const DEFAULT_DEMO_OPTIONS: DemoOptions = {
  rate: 5,
  forumEverySeconds: 6,
  pollSeconds: 2,
  loop: true,
};

export interface DemoStats {
  tweets: number;
  forumPosts: number;
  polled: number;
  stored: number;
  errors: number;
}

export interface RunningDemo {
  credentials: DemoCredentials;
  xSimUrl: string;
  handles: string[];
  stats: DemoStats;
  stop(): Promise<void>;
}

/** A timer loop that never overlaps itself and can be awaited to a stop. */
function every(ms: number, fn: () => Promise<void>, log: (m: string) => void) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    if (stopped) return;
    running = fn()
      .catch((e: unknown) => log(`demo: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, ms);
      });
  };
  timer = setTimeout(tick, 0);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await running;
  };
}

const X_LIMITED = ['/2/tweets/search/recent', '/2/users/:id/mentions', '/2/dm_events', '/2/tweets'];

export async function startDemo(ctx: AppContext, options: DemoOptions): Promise<RunningDemo> {
  const log = options.log ?? (() => {});
  const plan = loadReplayPlan(tweetsCsvPath(options.tweetsCsv));
  const credentials = await seedStaff(ctx);
  const forum = await seedForum(ctx, credentials.password);
  const sim: XSim = await startXSim();
  // the demo polls far more often than X's real rate limits allow; the simulator is ours
  for (const t of X_LIMITED) sim.state.setLimit(t, 1_000_000);
  await seedXChannel(ctx, sim, plan.handles, Math.max(1, Math.floor(options.pollSeconds)));
  const stats: DemoStats = { tweets: 0, forumPosts: 0, polled: 0, stored: 0, errors: 0 };

  // X replay: customer tweets at `rate` per second, brand replies in between as the plan has them
  const simIds = new Map<string, string>();
  let cursor = 0;
  let credit = 0;
  const tickMs = 200;
  const replay = () => {
    credit += (options.rate * tickMs) / 1000;
    while (credit >= 1) {
      if (cursor >= plan.tweets.length) {
        if (!options.loop) return;
        cursor = 0;
        simIds.clear();
      }
      const t = plan.tweets[cursor++]!;
      const parent = t.inReplyTo ? simIds.get(t.inReplyTo) : undefined;
      const injected = sim.injectTweet({
        text: t.text,
        author: { username: t.author, name: t.authorName },
        ...(parent ? { inReplyTo: parent } : {}),
      });
      simIds.set(t.csvId, injected.id);
      if (t.inbound) {
        credit -= 1;
        stats.tweets++;
      }
    }
  };
  const replayTimer = setInterval(replay, tickMs);

  const deps = { database: ctx.database, bus: ctx.bus, encryptionKey: ctx.config.encryptionKey, log };
  const stopPolling = every(
    options.pollSeconds * 1000,
    async () => {
      const r = await pollDueChannels(deps);
      stats.polled += r.polled;
      stats.stored += r.stored;
      stats.errors += r.errors;
    },
    log,
  );

  // forum: topics and replies from demo members, one every `forumEverySeconds`
  const steps = forumSteps();
  const topicIds = new Map<number, number>();
  const actors: Actor[] = forum.members;
  let step = 0;
  const stopForum = every(
    options.forumEverySeconds * 1000,
    async () => {
      const s = steps[step++];
      if (!s) return;
      const actor = actors[s.by % actors.length]!;
      if (s.kind === 'topic') {
        const { topic } = await createTopic(ctx.database.db, ctx.config.baseUrl, actor, {
          categoryId: forum.categoryId,
          title: s.title,
          body: s.body,
        });
        topicIds.set(s.topic, topic.id);
      } else {
        const topicId = topicIds.get(s.topic);
        if (!topicId) return;
        await replyToTopic(ctx.database.db, ctx.config.baseUrl, actor, topicId, { body: s.body });
      }
      stats.forumPosts++;
    },
    log,
  );

  return {
    credentials,
    xSimUrl: sim.url,
    handles: plan.handles,
    stats,
    async stop() {
      clearInterval(replayTimer);
      await Promise.all([stopPolling(), stopForum()]);
      await sim.close();
    },
  };
}
