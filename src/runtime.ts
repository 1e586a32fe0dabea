/**
 * Process runtime: resolves the database (embedded or DATABASE_URL), applies migrations, opens
 * the pool and event bus, and tears everything down in order on shutdown.
 */
import pino from 'pino';
import { type Config, ConfigError, loadConfig } from './config/index.ts';
import { type Database, migrateDatabase, openDatabase } from './db/client.ts';
import { type DatabaseServer, resolveDatabaseServer } from './db/connect.ts';
import { DataDirInUseError } from './db/data-dir-lock.ts';
import { REDACT } from './http/app.ts';
import { type EventBus, openEventBus } from './lib/event-bus.ts';

export interface Runtime {
  config: Config;
  log: pino.Logger;
  server: DatabaseServer;
  database: Database;
  bus: EventBus;
  onShutdown(fn: () => Promise<void>): void;
  shutdown(code?: number): Promise<never>;
}

export function configOrExit(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

export async function openRuntime(options: { poolSize?: number; name: string }): Promise<Runtime> {
  const config = configOrExit();
  const log = pino({ level: config.logLevel, redact: { paths: REDACT, censor: '[redacted]' } });
  let server: DatabaseServer;
  try {
    server = await resolveDatabaseServer(config, (line) => log.info(line));
  } catch (err) {
    if (err instanceof DataDirInUseError) {
      log.fatal(err.message);
      process.exit(75);
    }
    throw err;
  }
  const hooks: Array<() => Promise<void>> = [];
  let database: Database | undefined;
  let bus: EventBus | undefined;
  try {
    await migrateDatabase(server.url);
    database = openDatabase(server.url, {
      max: options.poolSize,
      applicationName: `earshot-${options.name}`,
    });
    bus = await openEventBus(server.url, database.pool, (m) => log.warn(m));
  } catch (err) {
    await database?.close().catch(() => {});
    await server.stop().catch(() => {});
    throw err;
  }
  let stopping = false;
  const runtime: Runtime = {
    config,
    log,
    server,
    database,
    bus,
    onShutdown: (fn) => hooks.push(fn),
    async shutdown(code = 0) {
      if (!stopping) {
        stopping = true;
        log.info('shutting down');
        for (const fn of hooks.reverse())
          await fn().catch((err) => log.error({ err }, 'shutdown step failed'));
        await runtime.bus.close().catch(() => {});
        await runtime.database.close().catch(() => {});
        await server.stop().catch((err) => log.error({ err }, 'database stop failed'));
      }
      process.exit(code);
    },
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void runtime.shutdown(0));
  // Ctrl-C in a terminal also reaches the embedded PostgreSQL (same process group), which then shuts
  // down under us: connection errors while stopping are expected, not a crash.
  process.on('uncaughtException', (err) => {
    if (stopping) {
      log.debug({ err: err.message }, 'ignored error while stopping');
      return;
    }
    log.fatal({ err }, 'uncaught exception');
    void runtime.shutdown(1);
  });
  return runtime;
}
