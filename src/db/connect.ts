/**
 * Resolve which PostgreSQL to use: DATABASE_URL, or the embedded server under the data directory.
 */
import type { Config } from '../config/index.ts';
import { startEmbeddedPostgres } from './embedded.ts';

export interface DatabaseServer {
  url: string;
  embedded: boolean;
  stop(): Promise<void>;
}

export async function resolveDatabaseServer(
  config: Config,
  log: (line: string) => void,
): Promise<DatabaseServer> {
  if (config.databaseUrl) {
    return { url: config.databaseUrl, embedded: false, stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: config.dataDir,
    port: config.embeddedPgPort,
    log: (line) => {
      if (/FATAL|PANIC|ERROR|recover|ready to accept/i.test(line)) log(`postgres: ${line}`);
    },
  });
  return { url: server.url, embedded: true, stop: server.stop };
}
