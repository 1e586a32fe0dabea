/**
 * `npm run bench -- startup`: cold first start (initdb included) and warm start of `earshot start`
 * to a ready /readyz, and the resident memory (RSS) of the idle process after start-up.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/global-setup.ts';
import { spawnEarshot, waitForReady } from '../test/helpers/process.ts';

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function once(dir: string): Promise<{ ms: number; rss: number }> {
  const port = await freePort();
  const env = {
    EARSHOT_DATA_DIR: dir,
    PORT: String(port),
    EARSHOT_PG_PORT: String(await freePort()),
    LOG_LEVEL: 'warn',
  };
  const started = Date.now();
  const proc = spawnEarshot(['start'], env);
  await waitForReady(`http://127.0.0.1:${port}`, proc);
  const ms = Date.now() - started;
  await new Promise((r) => setTimeout(r, 5_000)); // let it settle idle
  const rss = rssMb(proc.child.pid!);
  proc.child.kill('SIGTERM');
  await proc.exited;
  return { ms, rss };
}

export default async function run(): Promise<void> {
  const rows: string[] = [];
  for (let i = 0; i < 3; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'earshot-bench-start-'));
    const cold = await once(dir);
    const warm = await once(dir);
    rows.push(`| ${i + 1} | ${cold.ms} | ${warm.ms} | ${warm.rss.toFixed(0)} |`);
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(
    '| run | cold start to /readyz (ms, incl. initdb) | warm start to /readyz (ms) | idle RSS of earshot (MB) |',
  );
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(r);
}
