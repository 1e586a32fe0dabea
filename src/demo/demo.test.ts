import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/global-setup.ts';
import { createTestDatabase, databaseUrl } from '../../test/helpers/db.ts';
import { type Spawned, spawnEarshot } from '../../test/helpers/process.ts';
import { demoOptions } from '../cli/commands/demo.ts';
import { forumSteps } from './forum-script.ts';
import { loadReplayPlan } from './tweets.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let dataDir: string;

beforeAll(async () => {
  database = await createTestDatabase();
  dataDir = mkdtempSync(join(tmpdir(), 'earshot-demo-'));
});
afterAll(async () => {
  await database.drop();
  rmSync(dataDir, { recursive: true, force: true });
});

const q = async <T>(sql: string) => (await database.pool.query(sql)).rows as T[];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(proc: Spawned, text: string, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!proc.output().includes(text)) {
    if (Date.now() > until) throw new Error(`no "${text}" within ${ms} ms:\n${proc.output().slice(-3000)}`);
    await sleep(100);
  }
}

describe('replay plan and options', () => {
  it('replays real customer tweets with brand replies linking follow-ups into threads', () => {
    const plan = loadReplayPlan();
    expect(plan.handles).toContain('AmazonHelp');
    expect(plan.inboundCount).toBeGreaterThan(1000);
    const byId = new Map(plan.tweets.map((t, i) => [t.csvId, i]));
    const linked = plan.tweets.filter((t) => t.inReplyTo);
    expect(linked.length).toBeGreaterThan(100);
    // a parent is always replayed before its reply
    for (const t of linked) expect(byId.get(t.inReplyTo!)!).toBeLessThan(byId.get(t.csvId)!);
    expect(forumSteps().filter((s) => s.kind === 'topic').length).toBeGreaterThanOrEqual(5);
    expect(demoOptions(['--rate', '50', '--once'])).toMatchObject({ rate: 50, loop: false });
    expect(() => demoOptions(['--rate', '0'])).toThrow(/--rate/);
  });
});

describe('earshot demo', () => {
  it('fills the inbox with triaged conversations from X and the forum, and ends on SIGTERM', async () => {
    const port = await freePort();
    const proc = spawnEarshot(['demo', '--rate', '40', '--forum-every', '1', '--poll-seconds', '1'], {
      PORT: String(port),
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl(database.name),
      EARSHOT_DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
    });
    try {
      await waitFor(proc, 'Press Ctrl-C to stop.', 60_000);
      expect(proc.output()).toMatch(/admin@demo\.earshot/);
      const password = /password for all: (\S+)\)/.exec(proc.output())?.[1];
      expect(password?.length).toBeGreaterThanOrEqual(10);

      type Row = { channel_kind: string; n: number; triaged: number };
      let rows: Row[] = [];
      const until = Date.now() + 20_000;
      while (Date.now() < until) {
        rows = await q<Row>(
          `select channel_kind, count(*)::int as n,
                  count(*) filter (where intent <> '' and queue <> '')::int as triaged
             from conversations group by channel_kind`,
        );
        const x = rows.find((r) => r.channel_kind === 'x');
        const forum = rows.find((r) => r.channel_kind === 'forum');
        if (x && x.triaged >= 20 && forum && forum.triaged >= 2) break;
        await sleep(500);
      }
      const x = rows.find((r) => r.channel_kind === 'x');
      const forum = rows.find((r) => r.channel_kind === 'forum');
      expect(x?.triaged).toBeGreaterThanOrEqual(20);
      expect(forum?.triaged).toBeGreaterThanOrEqual(2);
      // replies joined their customer's conversation: some X conversations hold several posts
      const threads = await q<{ n: number }>(
        `select count(*)::int as n from (select conversation_id from posts where channel_kind = 'x'
           group by conversation_id having count(*) > 1) t`,
      );
      expect(threads[0]!.n).toBeGreaterThan(0);
      const intents = await q<{ intent: string }>(`select distinct intent from conversations`);
      expect(intents.length).toBeGreaterThan(1);
    } finally {
      proc.child.kill('SIGTERM');
    }
    // the process ends; its exit status is 143 today (see docs/DEMO.md, "Known gaps"), not asserted
    const ended = await Promise.race([proc.exited.then(() => true), sleep(20_000).then(() => false)]);
    expect(ended).toBe(true);
  }, 120_000);
});
