/**
 * Facebook, Reddit and Discourse adapters against their simulators (`npm run bench -- channels-social`):
 * - parse rate: inject N posts (default 10,000) into the simulator, then poll with the cursor
 *   until the adapter has returned them all; posts/s over that wall time, and polls needed;
 * - polling latency: a poll loop every INTERVAL ms; time from a post appearing on the
 *   simulator to the adapter returning it (p50/p95), and the bare poll round trip;
 * - webhook latency (Facebook, Discourse): simulator → signed delivery → a local receiver that
 *   calls receiveWebhook; time from the post appearing to the parsed InboundPost (p50/p95).
 */

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startDiscourseSim } from '../sim/discourse/server.ts';
import { startFacebookSim } from '../sim/facebook/server.ts';
import { startRedditSim } from '../sim/reddit/server.ts';
import { adapter as discourse } from '../src/channels/discourse/index.ts';
import { adapter as facebook } from '../src/channels/facebook/index.ts';
import { adapter as reddit } from '../src/channels/reddit/index.ts';
import type { ChannelAdapter, ChannelConfig, SyncCursor, WebhookResult } from '../src/channels/types.ts';
import { parseRate, pct, sleep } from './_channels-common.ts';

interface Platform {
  name: string;
  adapter: ChannelAdapter;
  config: ChannelConfig;
  /** Put one matching post on the platform; returns nothing (ids are matched by text). */
  inject(text: string, bulk: boolean): void;
  setWebhook?(url: string | undefined): void;
  close(): Promise<void>;
}

interface Row {
  platform: string;
  posts: number;
  seconds: number;
  polls: number;
  pollRoundTripMs: number;
  pollP50: number;
  pollP95: number;
  hookP50?: number;
  hookP95?: number;
}

async function redditPlatform(): Promise<Platform> {
  const sim = await startRedditSim({ limit: 1_000_000 });
  const s = sim.injectSubmission({ subreddit: 'acme', author: 'op', title: 'Acme megathread' });
  return {
    name: 'reddit',
    adapter: reddit,
    config: {
      id: 'r',
      kind: 'reddit',
      baseUrl: sim.url,
      credentials: {
        clientId: 'sim-client',
        clientSecret: 'sim-secret',
        username: 'earshot_support',
        password: 'sim-password',
      },
      rules: { keywords: ['acme'], handles: [], sources: ['acme'] },
    },
    inject: (text) => sim.injectComment({ parent: `t3_${s.id}`, author: 'customer', body: `acme ${text}` }),
    close: sim.close,
  };
}

async function discoursePlatform(): Promise<Platform> {
  const sim = await startDiscourseSim();
  const { topic } = sim.createTopic({ title: 'Acme questions', author: 'op', raw: 'ask here' });
  return {
    name: 'discourse',
    adapter: discourse,
    config: {
      id: 'd',
      kind: 'discourse',
      baseUrl: sim.url,
      credentials: {
        apiKey: 'sim-api-key',
        apiUsername: 'earshot_support',
        webhookSecret: 'sim-webhook-secret',
      },
      rules: { keywords: ['acme'], handles: [], sources: [] },
      accountHandle: 'earshot_support',
    },
    inject: (text) => sim.injectPost({ topicId: topic.id, author: 'customer', raw: `acme ${text}` }),
    setWebhook: (url) => sim.setWebhookUrl(url),
    close: sim.close,
  };
}

async function facebookPlatform(): Promise<Platform> {
  const sim = await startFacebookSim();
  const posts = Array.from({ length: 10 }, (_, i) => sim.injectPost({ message: `Page post ${i}` }));
  let n = 0;
  return {
    name: 'facebook',
    adapter: facebook,
    config: {
      id: 'f',
      kind: 'facebook',
      baseUrl: sim.url,
      credentials: { pageAccessToken: 'sim-page-token', appSecret: 'sim-app-secret' },
      rules: { keywords: [], handles: [], sources: [] },
      accountId: sim.options.pageId,
    },
    inject: (text, bulk) => {
      const input = {
        parentId: posts[n++ % posts.length]!.id,
        from: { id: '2001', name: 'Customer' },
        message: text,
      };
      if (bulk) sim.state.addComment(input);
      else sim.injectComment(input);
    },
    setWebhook: (url) => {
      sim.webhooks.url = url;
    },
    close: sim.close,
  };
}

async function pollLatency(p: Platform, cursor: SyncCursor, samples: number, intervalMs: number) {
  const appeared = new Map<string, number>();
  const latencies: number[] = [];
  const roundTrips: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      const out = await p.adapter.fetchInbound!(p.config, cursor);
      const t1 = performance.now();
      roundTrips.push(t1 - t0);
      cursor = out.cursor;
      for (const post of out.posts) {
        const key = /probe \d+/.exec(post.text)?.[0];
        const at = key ? appeared.get(key) : undefined;
        if (key && at !== undefined) {
          latencies.push(t1 - at);
          appeared.delete(key);
        }
      }
      await sleep(intervalMs);
    }
  })();
  for (let i = 0; i < samples; i++) {
    await sleep(Math.random() * intervalMs * 1.5);
    appeared.set(`probe ${i}`, performance.now());
    p.inject(`probe ${i}`, true);
  }
  while (latencies.length < samples) await sleep(20);
  running = false;
  await loop;
  return { p50: pct(latencies, 50), p95: pct(latencies, 95), roundTrip: pct(roundTrips, 50) };
}

async function webhookLatency(p: Platform, samples: number) {
  const appeared = new Map<string, number>();
  const latencies: number[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const out: WebhookResult = p.adapter.receiveWebhook!(p.config, {
        method: req.method ?? 'POST',
        headers: req.headers,
        query: {},
        rawBody: Buffer.concat(chunks),
      });
      const done = performance.now();
      if (out.kind === 'posts') {
        for (const post of out.posts) {
          const key = /hook \d+/.exec(post.text)?.[0];
          const at = key ? appeared.get(key) : undefined;
          if (key && at !== undefined) latencies.push(done - at);
        }
      }
      res.writeHead(out.kind === 'rejected' ? out.status : 200).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  p.setWebhook?.(`http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`);
  for (let i = 0; i < samples; i++) {
    appeared.set(`hook ${i}`, performance.now());
    p.inject(`hook ${i}`, false);
    await sleep(10);
  }
  const deadline = Date.now() + 10_000;
  while (latencies.length < samples && Date.now() < deadline) await sleep(10);
  p.setWebhook?.(undefined);
  await new Promise<void>((r) => server.close(() => r()));
  return { p50: pct(latencies, 50), p95: pct(latencies, 95) };
}

export default async function (args: string[] = []): Promise<void> {
  const n = Number(args[0] ?? 10_000);
  const interval = Number(args[1] ?? 500);
  const rows: Row[] = [];
  for (const make of [facebookPlatform, redditPlatform, discoursePlatform]) {
    const p = await make();
    try {
      const rate = await parseRate(p, (t) => p.inject(t, true), n);
      const poll = await pollLatency(p, rate.cursor, 20, interval);
      const row: Row = {
        platform: p.name,
        posts: n,
        seconds: rate.seconds,
        polls: rate.polls,
        pollRoundTripMs: poll.roundTrip,
        pollP50: poll.p50,
        pollP95: poll.p95,
      };
      if (p.adapter.receiveWebhook && p.setWebhook) {
        const hook = await webhookLatency(p, 50);
        row.hookP50 = hook.p50;
        row.hookP95 = hook.p95;
      }
      rows.push(row);
    } finally {
      await p.close();
    }
  }
  const f = (x: number | undefined, d = 1) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
  console.log(
    `\nposts per run: ${n}; poll loop interval: ${interval} ms; latency samples: 20 polled, 50 webhook\n`,
  );
  console.log(
    '| adapter | posts/s parsed | polls for N | poll round trip ms (p50) | poll latency ms p50 / p95 | webhook latency ms p50 / p95 |',
  );
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.platform} | ${Math.round(r.posts / r.seconds)} | ${r.polls} | ${f(r.pollRoundTripMs)} | ${f(r.pollP50, 0)} / ${f(r.pollP95, 0)} | ${f(r.hookP50)} / ${f(r.hookP95)} |`,
    );
  }
}
