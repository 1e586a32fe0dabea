/**
 * The shared folder beside the project (`../shared`): labelled training data (`data/`) and platform
 * specs with recorded payloads (`specs/`). Used by model training, contract tests, simulators and the
 * demo — never by the running product. EARSHOT_SHARED_DIR overrides the location.
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function sharedDir(...parts: string[]): string {
  return join(process.env.EARSHOT_SHARED_DIR ?? resolve(REPO_ROOT, '../shared'), ...parts);
}
