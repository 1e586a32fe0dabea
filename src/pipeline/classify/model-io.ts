/**
 * Model files under models/: `<task>.json` (classes, feature config, scores, provenance) and
 * `<task>.bin` (little-endian: uint32 bucket ids, then int16 weights bucket-major, quantised with `scale`).
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, type Task } from './data.ts';
import type { FeatureConfig } from './features.ts';
import type { LinearModel } from './logreg.ts';

export interface ModelMeta {
  task: Task;
  format: 1;
  classes: string[];
  features: FeatureConfig;
  /** Added to the class scores before arg-max (decision thresholds tuned by CV), one per class. */
  decisionBias: number[];
  bias: number[];
  buckets: number;
  scale: number;
  trainedOn: { source: string; rows: number }[];
  trainedAt: string;
  cv?: Record<string, number>;
}

export interface StoredModel {
  meta: ModelMeta;
  model: LinearModel;
}

export function modelsDir(): string {
  return process.env.EARSHOT_MODELS_DIR ?? resolve(REPO_ROOT, 'models');
}

export function saveModel(
  dir: string,
  meta: Omit<ModelMeta, 'buckets' | 'scale' | 'bias' | 'format'>,
  m: LinearModel,
): void {
  mkdirSync(dir, { recursive: true });
  let maxAbs = 0;
  for (const w of m.weights) maxAbs = Math.max(maxAbs, Math.abs(w));
  const scale = maxAbs > 0 ? maxAbs / 32767 : 1;
  const n = m.buckets.length;
  const C = m.classes.length;
  const buf = Buffer.alloc(n * 4 + n * C * 2);
  for (let k = 0; k < n; k++) buf.writeUInt32LE(m.buckets[k]!, k * 4);
  for (let j = 0; j < n * C; j++) buf.writeInt16LE(Math.round(m.weights[j]! / scale), n * 4 + j * 2);
  const full: ModelMeta = { ...meta, format: 1, bias: Array.from(m.bias), buckets: n, scale };
  // Each file written whole, then renamed into place: a worker reloading models never reads half a file.
  writeWhole(resolve(dir, `${meta.task}.bin`), buf);
  writeWhole(resolve(dir, `${meta.task}.json`), `${JSON.stringify(full, null, 2)}\n`);
}

/** Writes a file whole under a temporary name, then renames it into place (readers see old or new). */
export function writeWhole(file: string, data: string | Buffer): void {
  const partial = `${file}.partial`;
  writeFileSync(partial, data);
  renameSync(partial, file);
}

export function loadModel(dir: string, task: Task): StoredModel {
  const meta = JSON.parse(readFileSync(resolve(dir, `${task}.json`), 'utf8')) as ModelMeta;
  const buf = readFileSync(resolve(dir, `${task}.bin`));
  const n = meta.buckets;
  const C = meta.classes.length;
  if (buf.length !== n * 4 + n * C * 2)
    throw new Error(`models/${task}.bin: size does not match ${task}.json`);
  const buckets = new Int32Array(n);
  for (let k = 0; k < n; k++) buckets[k] = buf.readUInt32LE(k * 4);
  const weights = new Float32Array(n * C);
  for (let j = 0; j < n * C; j++) weights[j] = buf.readInt16LE(n * 4 + j * 2) * meta.scale;
  return {
    meta,
    model: {
      classes: meta.classes,
      bits: meta.features.bits,
      buckets,
      weights,
      bias: Float32Array.from(meta.bias),
    },
  };
}
