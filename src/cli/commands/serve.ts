/**
 * `earshot start` (web + workers in one process), `earshot web`, `earshot worker`.
 * Any number of web and worker processes can share one external DATABASE_URL.
 */
import { randomBytes } from 'node:crypto';
import { buildApp } from '../../http/app.ts';
import { type AppContext, buildContext } from '../../http/context.ts';
import { startJobs } from '../../jobs/boss.ts';
import { startEmailInbound } from '../../jobs/email-inbound.ts';
import { openRuntime, type Runtime } from '../../runtime.ts';
import { triageService } from '../../services/triage.ts';
import { ensureClientBundle } from '../../web/client-bundle.ts';

export type ServeMode = 'start' | 'web' | 'worker';

export interface ServeHooks {
  /** Runs after the services are up and before the HTTP server listens (e.g. `earshot demo` seeding). */
  beforeListen?: (rt: Runtime, ctx: AppContext) => Promise<void>;
}

export async function serve(
  mode: ServeMode,
  hooks: ServeHooks = {},
): Promise<{ rt: Runtime; ctx?: AppContext }> {
  const started = Date.now();
  const rt = await openRuntime({ name: mode, poolSize: mode === 'worker' ? 6 : 12 });
  const { config, log } = rt;
  if (mode !== 'start' && rt.server.embedded) {
    log.warn(
      `"earshot ${mode}" without DATABASE_URL runs on the embedded server: only one process can use it. Use "earshot start", or set DATABASE_URL to run several processes.`,
    );
  }
  const jobs = await startJobs(rt.database, {
    work: mode !== 'web',
    log: (m) => log.info(m),
    config,
    bus: rt.bus,
  });
  rt.onShutdown(() => jobs.stop());

  if (mode !== 'web') {
    // the triage pipeline drains the durable intake; email arrives by IMAP IDLE / the SMTP listener
    const pipeline = triageService({ database: rt.database, bus: rt.bus }).startWorker({
      log: (m) => log.warn(m),
    });
    rt.onShutdown(() => pipeline.stop());
    const email = await startEmailInbound({
      db: rt.database.db,
      pool: rt.database.pool,
      config,
      log: (m) => log.info(m),
    });
    rt.onShutdown(() => email.stop());
  }

  if (mode === 'worker') {
    log.info({ ms: Date.now() - started }, 'worker ready');
    return { rt };
  }
  const bundle = await ensureClientBundle().catch((err: unknown) => {
    log.warn({ err }, 'could not build the agent app bundle: pages work without it (plain forms)');
    return 'failed' as const;
  });
  if (bundle === 'built') log.info('built the agent app bundle (dist/web)');
  if (bundle === 'no-vite')
    log.warn(
      'no agent app bundle and Vite is not installed: pages work as plain forms (run "npx vite build")',
    );
  const ctx = buildContext(config, rt.database, rt.bus, jobs.boss);
  await hooks.beforeListen?.(rt, ctx);
  if ((await ctx.accounts.userCount()) === 0) {
    ctx.setupToken = randomBytes(9).toString('base64url');
    console.log(
      `\nNo accounts yet. Create the first administrator with:\n  npx earshot user add --role admin --email you@example.com --name "Your Name"\nor open ${config.baseUrl}/setup with the one-time setup token: ${ctx.setupToken}\n`,
    );
  }
  const app = await buildApp(ctx);
  rt.onShutdown(() => app.close());
  await app.listen({ port: config.port, host: config.host });
  log.info(
    { ms: Date.now() - started, url: config.baseUrl, embeddedDatabase: rt.server.embedded },
    'Earshot is ready',
  );
  return { rt, ctx };
}
