/** CV scores recorded beside the shipped models (models/cv.json), keyed by task and evaluated source. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Task } from './data.ts';
import type { Scores } from './metrics.ts';
import { modelsDir } from './model-io.ts';

export function recordCv(task: Task, evaluated: string, s: Scores, dir = modelsDir()): void {
  const file = resolve(dir, 'cv.json');
  const all = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
  all[`${task} ${evaluated}`] = {
    folds: 5,
    n: s.n,
    accuracy: round(s.accuracy),
    macroF1: round(s.macroF1),
    macroRecall: round(s.macroRecall),
    recordedAt: new Date().toISOString().slice(0, 10),
  };
  writeFileSync(file, `${JSON.stringify(all, null, 2)}\n`);
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
