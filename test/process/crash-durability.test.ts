/**
 * Durability: kill Earshot with SIGKILL in the middle of a stream of committed writes, restart it
 * (which must recover the embedded PostgreSQL the killed process left running), and check every
 * acknowledged write is there. Also: a second Earshot on the same data directory fails fast, and
 * SIGTERM stops the server cleanly.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../global-setup.ts';
import { runEarshot, spawnEarshot, waitForReady } from '../helpers/process.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function signIn(base: string, email: string, password: string): Promise<Record<string, string>> {
  const csrf = await fetch(`${base}/api/csrf`);
  const anon = (csrf.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    headers: { cookie: anon, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { csrfToken: string };
  const session = (res.headers.get('set-cookie') ?? '').split(';')[0]!;
  return { cookie: session, 'x-csrf-token': body.csrfToken, 'content-type': 'application/json' };
}

describe.skipIf(Boolean(process.env.DATABASE_URL))('embedded PostgreSQL process lifecycle', () => {
  it('keeps every acknowledged write across SIGKILL, recovering the orphaned server', async () => {
    const port = await freePort();
    const env = { EARSHOT_DATA_DIR: dir, PORT: String(port), EARSHOT_PG_PORT: String(await freePort()) };
    const base = `http://127.0.0.1:${port}`;
    const first = spawnEarshot(['start'], env);
    await waitForReady(base, first);
    const add = await runEarshot(
      [
        'user',
        'add',
        '--role',
        'admin',
        '--email',
        'root@example.test',
        '--name',
        'Root',
        '--password',
        'root-password-1',
      ],
      env,
    );
    expect(add.code, add.output).toBe(0);

    // a second Earshot on the same data directory fails fast with a clear message
    const second = await runEarshot(['start'], { ...env, PORT: String(await freePort()) });
    expect(second.code).not.toBe(0);
    expect(second.output).toMatch(/already using the data directory/);

    const headers = await signIn(base, 'root@example.test', 'root-password-1');
    const acknowledged: string[] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let i = 0; !stop; i++) {
        const email = `w${w}-${i}@example.test`;
        try {
          const res = await fetch(`${base}/api/users`, {
            method: 'POST',
            headers,
            body: JSON.stringify({
              email,
              displayName: `W ${w} ${i}`,
              role: 'agent',
              password: 'agent-password-1',
            }),
          });
          if (res.status === 201) acknowledged.push(email);
        } catch {
          return; // connection refused: the server is gone
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    const deadline = Date.now() + 60_000;
    while (acknowledged.length < 12) {
      if (Date.now() > deadline) throw new Error(`only ${acknowledged.length} writes acknowledged in 60 s`);
      await new Promise((r) => setTimeout(r, 20));
    }
    first.child.kill('SIGKILL');
    await first.exited;
    stop = true;
    await Promise.all(writers);
    expect(acknowledged.length).toBeGreaterThanOrEqual(12);

    // the killed process left its postmaster behind: the restart must stop it and start cleanly
    const pidFile = join(dir, 'pg', 'postmaster.pid');
    expect(existsSync(pidFile)).toBe(true);
    const orphan = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    expect(() => process.kill(orphan, 0)).not.toThrow();

    const restarted = spawnEarshot(['start'], env);
    await waitForReady(base, restarted);
    expect(restarted.output()).toMatch(/recovering: stopping PostgreSQL/);
    const after = await signIn(base, 'root@example.test', 'root-password-1');
    const list = (await (await fetch(`${base}/api/users`, { headers: after })).json()) as {
      users: { email: string }[];
    };
    const stored = new Set(list.users.map((u) => u.email));
    const lost = acknowledged.filter((e) => !stored.has(e));
    expect(lost).toEqual([]);

    // SIGTERM stops Earshot and its PostgreSQL cleanly
    restarted.child.kill('SIGTERM');
    expect(await restarted.exited).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(existsSync(join(dir, 'earshot.lock'))).toBe(false);
  }, 300_000);
});
