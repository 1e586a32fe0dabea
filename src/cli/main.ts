/**
 * The `earshot` command. Each sub-command lives in src/cli/commands/<name>.ts and exports
 * `run(args): Promise<number>` (an exit code), loaded only when used.
 */
import { serve } from './commands/serve.ts';

type Command = { summary: string; load: () => Promise<{ run(args: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  user: { summary: 'user add|list — manage accounts', load: () => import('./commands/user.ts') },
  migrate: { summary: 'apply database migrations and exit', load: () => import('./commands/migrate.ts') },
  classify: {
    summary: 'classify --in posts.csv --out predictions.csv',
    load: () => import('./commands/classify.ts'),
  },
  model: {
    summary: 'model train|retrain|eval|cv — the triage classifiers',
    load: () => import('./commands/model.ts'),
  },
  corrections: {
    summary: "corrections export --out FILE — agents' label corrections as training data",
    load: () => import('./commands/corrections.ts'),
  },
  pipeline: {
    summary:
      'pipeline status | dead-letters [list|show ID|retry ID|retry-all|discard ID] — triage backlog and failures',
    load: () => import('./commands/pipeline.ts'),
  },
  routing: {
    summary:
      'routing try --text "…" [--channel KIND] [--followers N] [--private] — what routing would decide',
    load: () => import('./commands/routing.ts'),
  },
  ignored: {
    summary:
      'ignored list [--reason R] [--channel KIND] [--before CURSOR] [--limit N] | restore POST_ID… [--queue Q] [--intent I] — posts triage ignored',
    load: () => import('./commands/ignored.ts'),
  },
  demo: {
    summary: 'start Earshot with simulators replaying real tweets and forum posts',
    load: () => import('./commands/demo.ts'),
  },
};

const SERVE = {
  start: 'web and workers in one process',
  web: 'HTTP only',
  worker: 'background jobs only',
} as const;

function usage(): void {
  console.log('usage: earshot <command> [options]\n');
  for (const [name, summary] of Object.entries(SERVE)) console.log(`  ${name.padEnd(10)} ${summary}`);
  for (const [name, cmd] of Object.entries(COMMANDS)) console.log(`  ${name.padEnd(10)} ${cmd.summary}`);
}

const [name = 'help', ...args] = process.argv.slice(2);
if (name in SERVE) {
  serve(name as keyof typeof SERVE).catch((err: unknown) => {
    console.error(`Earshot failed to start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
} else if (COMMANDS[name]) {
  const mod = await COMMANDS[name].load();
  process.exitCode = await mod.run(args);
  // one-shot commands end here even if a library left a handle open
  setImmediate(() => process.exit(process.exitCode ?? 0));
} else {
  usage();
  process.exitCode = name === 'help' || name === '--help' ? 0 : 2;
}
