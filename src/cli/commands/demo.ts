/**
 * `earshot demo [--rate 5] [--forum-every 6] [--poll-seconds 2] [--once] [--tweets file.csv]`:
 * Earshot (web + workers, like `earshot start`) on its own data directory (./data-demo unless
 * EARSHOT_DATA_DIR is set), with the X simulator replaying real customer-support tweets and demo
 * members posting in the forum, so the inbox fills within a minute. Ctrl-C stops everything.
 */
import { DEFAULT_DEMO_OPTIONS, type DemoOptions, type RunningDemo, startDemo } from '../../demo/index.ts';
import { parseFlags } from '../flags.ts';
import { serve } from './serve.ts';

function positive(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${raw}"`);
  return n;
}

export function demoOptions(args: string[]): DemoOptions {
  const flags = parseFlags(args);
  return {
    rate: positive(flags.rate, DEFAULT_DEMO_OPTIONS.rate, 'rate'),
    forumEverySeconds: positive(flags['forum-every'], DEFAULT_DEMO_OPTIONS.forumEverySeconds, 'forum-every'),
    pollSeconds: positive(flags['poll-seconds'], DEFAULT_DEMO_OPTIONS.pollSeconds, 'poll-seconds'),
    loop: flags.once === undefined,
    ...(flags.tweets ? { tweetsCsv: flags.tweets } : {}),
  };
}

export async function run(args: string[]): Promise<number> {
  let options: DemoOptions;
  try {
    options = demoOptions(args);
  } catch (err) {
    console.error((err as Error).message);
    return 2;
  }
  // never mix demo traffic into ./data, nor fight a regular Earshot for its embedded database port
  process.env.EARSHOT_DATA_DIR ||= 'data-demo';
  process.env.EARSHOT_PG_PORT ||= '54339';
  process.env.LOG_LEVEL ||= 'warn';
  if (process.env.DATABASE_URL)
    console.warn('earshot demo: DATABASE_URL is set, so demo accounts and traffic go into that database.');

  let demo: RunningDemo | undefined;
  let progress: NodeJS.Timeout | undefined;
  const { ctx } = await serve('start', {
    beforeListen: async (runtime, context) => {
      demo = await startDemo(context, { ...options, log: (m) => runtime.log.warn(m) });
      runtime.onShutdown(async () => {
        clearInterval(progress);
        await demo?.stop();
      });
    },
  });
  progress = setInterval(() => {
    if (!demo) return;
    const s = demo.stats;
    console.log(
      `demo: ${s.tweets} customer tweets replayed, ${s.stored} posts fetched from X, ${s.forumPosts} forum posts${s.errors ? `, ${s.errors} poll errors` : ''}`,
    );
  }, 10_000);
  if (!demo || !ctx) return 1;
  const c = demo.credentials;
  console.log(`
Earshot demo is running at ${ctx.config.baseUrl}   (data: ${ctx.config.dataDir})

Sign in with any of these (password for all: ${c.password}):
${c.staff.map((s) => `  ${s.role.padEnd(10)} ${s.email}`).join('\n')}

X simulator: ${demo.xSimUrl}, replaying ${options.rate} customer tweets/s mentioning
  ${demo.handles.map((h) => `@${h}`).join(' ')}
Forum: demo members post a topic or reply every ${options.forumEverySeconds} s at ${ctx.config.baseUrl}/community

Press Ctrl-C to stop.
`);
  // runs until Ctrl-C: the runtime's signal handler stops the demo, Earshot and the database, then exits
  return new Promise<number>(() => {});
}
