/**
 * Database access for one-shot CLI commands. With DATABASE_URL, that server. Without it, the embedded
 * server: if a running Earshot already holds the data directory, connect to its server; otherwise
 * start the embedded server for the duration of the command.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.ts';
import { type Database, migrateDatabase, openDatabase } from '../db/client.ts';
import { resolveDatabaseServer } from '../db/connect.ts';
import { DataDirInUseError } from '../db/data-dir-lock.ts';
import { configOrExit } from '../runtime.ts';

export async function withCliDatabase<T>(fn: (database: Database, config: Config) => Promise<T>): Promise<T> {
  const config = configOrExit();
  let url: string;
  let stop = async () => {};
  try {
    const server = await resolveDatabaseServer(config, () => {});
    url = server.url;
    stop = server.stop;
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    const password = readFileSync(join(config.dataDir, 'pg-password'), 'utf8').trim();
    url = `postgres://earshot:${encodeURIComponent(password)}@127.0.0.1:${config.embeddedPgPort}/earshot`;
  }
  try {
    await migrateDatabase(url);
    const database = openDatabase(url, { max: 4, applicationName: 'earshot-cli' });
    try {
      return await fn(database, config);
    } finally {
      await database.close();
    }
  } finally {
    await stop();
  }
}
