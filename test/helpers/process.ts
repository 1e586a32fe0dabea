/** Run the real `earshot` command as a child process, for start-up, shutdown and crash tests. */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/earshot.mjs', import.meta.url));

export interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

export function spawnEarshot(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: {
      ...process.env,
      LOG_LEVEL: 'info',
      // vitest sets BASE_URL=/ for Vite; Earshot's BASE_URL is its public address
      BASE_URL: `http://127.0.0.1:${env.PORT ?? 3000}`,
      ...env,
      DATABASE_URL: env.DATABASE_URL ?? '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => out, exited };
}

export async function waitForReady(baseUrl: string, proc?: Spawned, timeoutMs = 120_000): Promise<number> {
  const started = Date.now();
  let exited = false;
  proc?.exited.then(() => {
    exited = true;
  });
  while (Date.now() - started < timeoutMs && !exited) {
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return Date.now() - started;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${baseUrl} not ready (exited: ${exited})\n${proc?.output().slice(-3000) ?? ''}`);
}

export async function runEarshot(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const p = spawnEarshot(args, env);
  const code = await p.exited;
  return { code, output: p.output() };
}
