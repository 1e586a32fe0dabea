/**
 * The classifier the pipeline needs: complaint probability, sentiment (with scores) and intent per
 * text. The shipped implementation is src/pipeline/classify (trained models + intent rules);
 * tests and benchmarks can pass another object with the same shape. Workers use
 * `reloadingClassifier`: models retrained from agents' corrections (`earshot model retrain`) are
 * picked up within a minute, without a restart.
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Intent, Sentiment } from '../domain/types.ts';
import { forgetEmbeddingTable } from './classify/embeddings.ts';
import { createClassifiers, loadClassifiers } from './classify/index.ts';
import { modelsDir } from './classify/model-io.ts';

export interface PostClassification {
  complaint: boolean;
  complaintScore: number;
  sentiment: Sentiment;
  sentimentScores: Record<Sentiment, number>;
  intent: Intent;
  intentReason: string;
}

export interface Classifier {
  classifyBatch(texts: readonly string[]): PostClassification[];
}

/** The trained, shipped classifiers (weights under models/), loaded once per process. */
export function shippedClassifier(): Classifier {
  return loadClassifiers();
}

export interface ReloadingClassifier extends Classifier {
  /** Loads the models again when their files changed since the last load; true when it did. */
  reloadIfChanged(): boolean;
  stop(): void;
}

const MODEL_FILES = [
  'complaint.json',
  'complaint.bin',
  'sentiment.json',
  'sentiment.bin',
  'embeddings.bin',
  'embeddings.words.txt',
];

/** Size and modification time of each model file: changes when `earshot model train|retrain` writes. */
function modelFilesSignature(dir: string): string {
  return MODEL_FILES.map((f) => {
    try {
      const s = statSync(resolve(dir, f));
      return `${s.size}:${s.mtimeMs}`;
    } catch {
      return 'missing';
    }
  }).join('|');
}

/**
 * The models in `dir`, looked at every `intervalMs` (0: only when `reloadIfChanged` is called) and
 * loaded again when their files changed. Models that fail to load (half written, mismatched) leave the
 * current ones in use; they are tried again at the next look, and the failure is logged once.
 */
export function reloadingClassifier(
  options: { dir?: string; intervalMs?: number; log?: (msg: string) => void } = {},
): ReloadingClassifier {
  const dir = options.dir ?? modelsDir();
  let loaded = modelFilesSignature(dir);
  let current: Classifier = options.dir === undefined ? loadClassifiers() : createClassifiers(dir);
  let failed = '';
  const reloadIfChanged = (): boolean => {
    const seen = modelFilesSignature(dir);
    if (seen === loaded) return false;
    try {
      forgetEmbeddingTable(dir);
      const next = createClassifiers(dir);
      // Stable files: a write that finished while we read is loaded at the next look.
      if (modelFilesSignature(dir) !== seen) return false;
      current = next;
      loaded = seen;
      options.log?.(`classifier: models reloaded from ${dir}`);
      return true;
    } catch (e) {
      if (failed !== seen)
        options.log?.(
          `classifier: new models in ${dir} not loaded, keeping the current ones: ${(e as Error).message}`,
        );
      failed = seen;
      return false;
    }
  };
  const timer = options.intervalMs ? setInterval(reloadIfChanged, options.intervalMs) : undefined;
  timer?.unref();
  return {
    classifyBatch: (texts) => current.classifyBatch(texts),
    reloadIfChanged,
    stop: () => clearInterval(timer),
  };
}
