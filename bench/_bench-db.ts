/**
 * The database of a data-heavy benchmark: an embedded PostgreSQL in `keep` (reused between runs, since
 * generating millions of rows takes minutes) or in a temporary directory removed afterwards, with one
 * migrated database `name`. `run` gets its URL and an open Database; everything is closed after it.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Database, migrateDatabase, openDatabase } from '../src/db/client.ts';
import { createDatabaseIfMissing, startEmbeddedPostgres } from '../src/db/embedded.ts';
import { freePort } from '../test/global-setup.ts';

export async function withBenchDatabase(
  options: { keep: string | undefined; name: string; poolMax: number },
  run: (bench: { url: string; dir: string; database: Database }) => Promise<void>,
): Promise<void> {
  const { keep, name, poolMax } = options;
  if (keep) mkdirSync(keep, { recursive: true });
  const dir = keep ?? mkdtempSync(join(tmpdir(), `earshot-bench-${name}-`));
  const server = await startEmbeddedPostgres({ dataDir: dir, port: await freePort() });
  try {
    await createDatabaseIfMissing(server.url, name);
    const url = new URL(server.url);
    url.pathname = `/${name}`;
    await migrateDatabase(url.toString());
    const database = openDatabase(url.toString(), { max: poolMax });
    try {
      await run({ url: url.toString(), dir, database });
    } finally {
      await database.close();
    }
  } finally {
    await server.stop();
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}

/** `--keep DIR` and the first other numeric argument (or `fallback`). */
export function keepAndCount(args: string[], fallback: number): { keep: string | undefined; n: number } {
  const keepAt = args.indexOf('--keep');
  const keep = keepAt >= 0 ? args[keepAt + 1] : undefined;
  const n = Number(args.find((a, i) => /^\d+$/.test(a) && (keepAt < 0 || i !== keepAt + 1)) ?? fallback);
  return { keep, n };
}
