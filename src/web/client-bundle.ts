/**
 * The agent app's browser bundle (src/web/app/client.tsx → dist/web/client.js, vite.config.ts), built
 * when it is missing or older than any source file, so `npm start` after `npm install` or a
 * `git pull` serves the current client. Pages work without it (every action is also a plain form),
 * so when Vite is not installed (a production install without dev dependencies and no prebuilt
 * bundle) this says so and the app runs without the bundle.
 * One build at a time (a lock directory; a lock older than two minutes is a crashed build's), into a
 * directory of its own, then moved into place: processes or test files starting together wait for one
 * build instead of overwriting each other's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OUT = join(ROOT, 'dist/web');
const BUNDLE = join(OUT, 'client.js');
const LOCK = join(ROOT, 'dist/.web-build-lock');
const STALE_LOCK_MS = 120_000;

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(tsx?|css)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name))
      newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

export function clientBundleIsCurrent(): boolean {
  if (!existsSync(BUNDLE)) return false;
  const built = statSync(BUNDLE).mtimeMs;
  return built >= Math.max(newestSource(join(ROOT, 'src')), statSync(join(ROOT, 'vite.config.ts')).mtimeMs);
}

async function withBuildLock<T>(fn: () => Promise<T>): Promise<T> {
  mkdirSync(join(ROOT, 'dist'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) rmSync(LOCK, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

/** Builds the bundle when it is not current; returns what it did. */
export async function ensureClientBundle(): Promise<'current' | 'built' | 'no-vite'> {
  if (clientBundleIsCurrent()) return 'current';
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    return 'no-vite';
  }
  return withBuildLock(async () => {
    if (clientBundleIsCurrent()) return 'current'; // built by whoever held the lock
    const staging = join(ROOT, `dist/web-build-${process.pid}-${randomBytes(4).toString('hex')}`);
    try {
      await vite.build({
        root: ROOT,
        configFile: join(ROOT, 'vite.config.ts'),
        logLevel: 'warn',
        build: { outDir: staging, emptyOutDir: true },
      });
      rmSync(OUT, { recursive: true, force: true });
      renameSync(staging, OUT);
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
    return 'built' as const;
  });
}
