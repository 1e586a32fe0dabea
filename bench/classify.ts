/**
 * `npm run bench -- classify [seconds]`: posts/s of the full classify() (complaint + sentiment + intent)
 * on one core, over the TWCS sample texts repeated.
 */
import { resolve } from 'node:path';
import { readCsv, sharedDataDir } from '../src/pipeline/classify/data.ts';
import { loadClassifiers } from '../src/pipeline/classify/index.ts';

export default async function bench(args: string[]): Promise<void> {
  const seconds = Number(args[0] ?? 5);
  const texts = readCsv(resolve(sharedDataDir(), 'twcs/sample_5000.csv')).map((r) => r.text ?? '');
  const loadStart = performance.now();
  const classifiers = loadClassifiers();
  console.log(`models loaded in ${(performance.now() - loadStart).toFixed(0)} ms`);
  // Warm-up so the measurement is of optimised code.
  for (const t of texts) classifiers.classify(t);
  let n = 0;
  let complaints = 0;
  const start = performance.now();
  const deadline = start + seconds * 1000;
  while (performance.now() < deadline) {
    for (const t of texts) if (classifiers.classify(t).complaint) complaints++;
    n += texts.length;
  }
  const elapsed = (performance.now() - start) / 1000;
  console.log(
    `classify(): ${n} posts in ${elapsed.toFixed(2)} s = ${Math.round(n / elapsed)} posts/s on one core`,
  );
  console.log(
    `mean ${((elapsed / n) * 1e6).toFixed(1)} µs/post; ${((complaints / n) * 100).toFixed(1)}% complaints`,
  );
}
