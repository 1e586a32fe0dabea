/**
 * X, Mastodon and RSS/Atom adapters against their simulators (`npm run bench -- channels [N] [intervalMs] [all]`).
 * Same method and table as bench/channels-social.ts (Facebook, Reddit, Discourse), so the rows merge:
 * - parse rate: inject N posts (default 10,000) into the simulator, then poll with the cursor until
 *   the adapter has returned them all; posts/s over that wall time, and polls needed;
 * - polling latency: a poll loop every INTERVAL ms; time from a post appearing on the simulator to
 *   the adapter returning it (p50/p95), and the bare poll round trip;
 * - push latency (X filtered stream): time from the post appearing to streamTweets' callback.
 * Pass `all` to also run bench/channels-social.ts (the other three adapters) after this one.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startMastodonSim } from '../sim/mastodon/server.ts';
import { startRssSim } from '../sim/rss/server.ts';
import { startXSim } from '../sim/x/server.ts';
import { adapter as mastodon } from '../src/channels/mastodon/index.ts';
import { adapter as rss } from '../src/channels/rss/index.ts';
import type { ChannelAdapter, ChannelConfig, SyncCursor } from '../src/channels/types.ts';
import { streamTweets, syncStreamRules, adapter as x } from '../src/channels/x/index.ts';
import { migrateDatabase } from '../src/db/client.ts';
import { startEmbeddedPostgres } from '../src/db/embedded.ts';
import { enqueueInbound } from '../src/pipeline/intake.ts';
import { parseRate, pct, sleep } from './_channels-common.ts';

interface Platform {
  name: string;
  adapter: ChannelAdapter;
  config: ChannelConfig;
  inject(text: string): void;
  /** Push delivery, where the platform has it: resolves when started; calls back with each post's text. */
  push?(onText: (text: string) => void, signal: AbortSignal): Promise<void>;
  /** Between the bulk run and the latency run (RSS: back to a realistic 50-item feed window). */
  afterBulk?(): void;
  close(): Promise<void>;
}

async function xPlatform(): Promise<Platform> {
  const sim = await startXSim();
  for (const t of ['/2/tweets/search/recent', '/2/users/:id/mentions', '/2/tweets', '/2/dm_events'])
    sim.state.setLimit(t, 1e9);
  const config: ChannelConfig = {
    id: 'x',
    kind: 'x',
    baseUrl: sim.url,
    credentials: { bearerToken: sim.bearerToken, caCert: sim.ca },
    rules: { keywords: ['acme'], handles: [], sources: [] },
    accountId: '1000',
    accountHandle: 'earshot_help',
  };
  let n = 0;
  return {
    name: 'x (polling: search+mentions+DMs)',
    adapter: x,
    config,
    inject: (text) => {
      sim.injectTweet({ text: `acme ${text}`, author: `customer${n++ % 500}` });
    },
    push: async (onText, signal) => {
      await syncStreamRules(config);
      let resolveConnected: () => void = () => {};
      const connected = new Promise<void>((r) => {
        resolveConnected = r;
      });
      void streamTweets(config, (p) => onText(p.text), signal, {
        onEvent: (e) => e.type === 'connected' && resolveConnected(),
      });
      await connected;
    },
    close: sim.close,
  };
}

async function mastodonPlatform(): Promise<Platform> {
  const sim = await startMastodonSim();
  sim.state.rateLimit.limit = 1e9;
  sim.state.rateLimit.remaining = 1e9;
  let n = 0;
  return {
    name: 'mastodon (mentions+search)',
    adapter: mastodon,
    config: {
      id: 'm',
      kind: 'mastodon',
      baseUrl: sim.url,
      credentials: { accessToken: sim.accessToken },
      rules: { keywords: ['refund'], handles: [], sources: [] },
      accountId: '1',
    },
    inject: (text) => {
      sim.injectStatus({ text: `@earshot ${text}`, author: `customer${n++ % 500}` });
    },
    close: sim.close,
  };
}

async function rssPlatform(): Promise<Platform> {
  const sim = await startRssSim();
  sim.addFeed('/forum.xml', { title: 'Acme forum' });
  return {
    name: 'rss (one feed, keyword filter)',
    adapter: rss,
    config: {
      id: 'f',
      kind: 'rss',
      baseUrl: sim.url,
      credentials: {},
      rules: { keywords: ['acme'], handles: [], sources: ['/forum.xml'] },
    },
    afterBulk: () => sim.setWindow('/forum.xml', 50),
    inject: (text) => {
      sim.appendItem('/forum.xml', {
        title: `acme ${text}`,
        content: `<p>Something about acme: ${text}</p>`,
        author: 'jo',
      });
    },
    close: sim.close,
  };
}

/**
 * Polling latency to the adapter returning a post, and on to it being stored: each poll's posts are
 * written to the durable intake (inbound_queue, the acknowledgement) of a real embedded PostgreSQL.
 */
async function pollLatency(
  p: Platform,
  cursor: SyncCursor,
  samples: number,
  intervalMs: number,
  store: pg.Pool,
) {
  const appeared = new Map<string, number>();
  const latencies: number[] = [];
  const stored: number[] = [];
  const roundTrips: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const out = await p.adapter.fetchInbound!(p.config, cursor);
      const t1 = performance.now();
      roundTrips.push(t1 - t0);
      cursor = out.cursor;
      await enqueueInbound(store, out.posts);
      const t2 = performance.now();
      for (const post of out.posts) {
        const key = /probe \d+/.exec(post.text)?.[0];
        const at = key ? appeared.get(key) : undefined;
        if (key && at !== undefined) {
          latencies.push(t1 - at);
          stored.push(t2 - at);
          appeared.delete(key);
        }
      }
      await sleep(intervalMs);
    }
  })();
  for (let i = 0; i < samples; i++) {
    await sleep(Math.random() * intervalMs * 1.5);
    appeared.set(`probe ${i}`, performance.now());
    p.inject(`probe ${i}`);
  }
  while (latencies.length < samples) await sleep(20);
  running = false;
  await loop;
  return {
    p50: pct(latencies, 50),
    p95: pct(latencies, 95),
    storedP50: pct(stored, 50),
    storedP95: pct(stored, 95),
    roundTrip: pct(roundTrips, 50),
  };
}

async function pushLatency(p: Platform, samples: number) {
  const appeared = new Map<string, number>();
  const latencies: number[] = [];
  const ac = new AbortController();
  await p.push!((text) => {
    const key = /push \d+/.exec(text)?.[0];
    const at = key ? appeared.get(key) : undefined;
    if (key && at !== undefined) latencies.push(performance.now() - at);
  }, ac.signal);
  for (let i = 0; i < samples; i++) {
    appeared.set(`push ${i}`, performance.now());
    p.inject(`push ${i}`);
    await sleep(10);
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < samples && Date.now() < deadline) await sleep(10);
  ac.abort();
  return { p50: pct(latencies, 50), p95: pct(latencies, 95) };
}

export default async function (args: string[] = []): Promise<void> {
  const n = Number(args[0] ?? 10_000);
  const interval = Number(args[1] ?? 500);
  const lines: string[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-channels-'));
  const server = await startEmbeddedPostgres({
    dataDir: dir,
    port: 54000 + Math.floor(Math.random() * 1000),
  });
  await migrateDatabase(server.url);
  const store = new pg.Pool({ connectionString: server.url, max: 2 });
  const f = (v: number | undefined, d = 1) => (v === undefined || Number.isNaN(v) ? '—' : v.toFixed(d));
  for (const make of [xPlatform, mastodonPlatform, rssPlatform]) {
    const p = await make();
    try {
      const rate = await parseRate(p, (t) => p.inject(t), n);
      p.afterBulk?.();
      const poll = await pollLatency(p, rate.cursor, 20, interval, store);
      const push = p.push ? await pushLatency(p, 50) : undefined;
      lines.push(
        `| ${p.name} | ${Math.round(n / rate.seconds)} | ${rate.polls} | ${f(poll.roundTrip)} | ${f(poll.p50, 0)} / ${f(poll.p95, 0)} | ${f(poll.storedP50, 0)} / ${f(poll.storedP95, 0)} | ${f(push?.p50)} / ${f(push?.p95)} |`,
      );
    } finally {
      await p.close();
    }
  }
  console.log(
    `\nposts per run: ${n}; poll loop interval: ${interval} ms; latency samples: 20 polled, 50 pushed\n`,
  );
  console.log(
    '| adapter | posts/s parsed | polls for N | poll round trip ms (p50) | poll latency ms p50 / p95 | appeared → stored in intake ms p50 / p95 | push latency ms p50 / p95 (X: filtered stream) |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const l of lines) console.log(l);
  await store.end();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  // Facebook, Reddit, Discourse: bench/channels-social.ts (same columns; webhook latency in the last one).
  if (args.includes('all')) {
    const social = (await import('./channels-social.ts')) as { default: (a: string[]) => Promise<void> };
    await social.default(args.filter((a) => a !== 'all'));
  }
}
