/**
 * The shared folder beside the project (`../shared`): labelled training data (`data/`) and platform
 * specs with recorded payloads (`specs/`). Used by model training, contract tests, simulators and the
 * demo — never by the running product. EARSHOT_SHARED_DIR overrides the location; a checkout that is
 * not beside it (a clone in a temporary folder) falls back to the workplace's /work/shared.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CANDIDATES = [resolve(REPO_ROOT, '../shared'), '/work/shared'];

function locate(): string {
  if (process.env.EARSHOT_SHARED_DIR) return process.env.EARSHOT_SHARED_DIR;
  return CANDIDATES.find((dir) => existsSync(join(dir, 'data'))) ?? CANDIDATES[0]!;
}

export function sharedDir(...parts: string[]): string {
  return join(locate(), ...parts);
}
