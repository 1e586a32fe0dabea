/**
 * One Earshot per data directory: a lock file holding the owner's pid. A second Earshot fails fast
 * with a clear message; a lock left by a dead process (or a reused pid that is not Earshot) is taken over.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface DataDirLock {
  release(): void;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(
      `Another Earshot (pid ${pid}) is already using the data directory ${dataDir}. ` +
        'Stop it first, or set EARSHOT_DATA_DIR to another directory, or use DATABASE_URL to share one external database.',
    );
    this.name = 'DataDirInUseError';
  }
}

function isLiveEarshot(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /node|earshot|tsx|vitest/.test(cmdline);
  } catch {
    return true;
  }
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  const file = join(dataDir, 'earshot.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o644);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          try {
            if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
          } catch {
            // already gone
          }
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let owner = Number.NaN;
      try {
        owner = Number(readFileSync(file, 'utf8').trim());
      } catch {
        continue;
      }
      if (Number.isInteger(owner) && owner > 0 && isLiveEarshot(owner))
        throw new DataDirInUseError(dataDir, owner);
      try {
        unlinkSync(file);
      } catch {
        // raced with another starter; retry
      }
    }
  }
  throw new Error(`could not lock data directory ${dataDir}`);
}
