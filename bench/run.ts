/**
 * Benchmark harness: `npm run bench -- <name> [args...]` runs bench/<name>.ts's default export.
 * Each benchmark prints its figures; record them in docs/BENCHMARKS.md with the command used.
 */
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name>\navailable: ${available.join(', ') || '(none yet)'}`);
  process.exit(2);
}
const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as {
  default: (args: string[]) => Promise<void>;
};
const started = Date.now();
console.log(`# bench ${name} — ${new Date().toISOString()} — node ${process.version}`);
await mod.default(args);
console.log(`# done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(0);
