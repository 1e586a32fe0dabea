/**
 * The triage classifiers as the pipeline uses them: complaint + sentiment models (trained, shipped
 * under models/) and the intent rules. `loadClassifiers()` reads the weights once and caches them.
 */
import type { Task } from './data.ts';
import { type EmbeddingTable, loadEmbeddingTable } from './embeddings.ts';
import {
  embeddingMeanHash,
  embeddingRow,
  type FeatureConfig,
  FeatureExtractor,
  type SparseVector,
} from './features.ts';
import { decideIntent, type Intent } from './intent.ts';
import { densify, scoreDense, softmaxInPlace } from './logreg.ts';
import { loadModel, type ModelMeta, modelsDir } from './model-io.ts';
import { tokenize } from './tokenizer.ts';

export type Sentiment = 'negative' | 'neutral' | 'positive';
export type { Intent } from './intent.ts';

export interface Classification {
  complaint: boolean;
  /** Probability of complaint, 0..1. */
  complaintScore: number;
  sentiment: Sentiment;
  sentimentScores: Record<Sentiment, number>;
  intent: Intent;
  intentReason: string;
}

export interface Classifiers {
  classify(text: string): Classification;
  classifyBatch(texts: readonly string[]): Classification[];
  readonly meta: Record<Task, ModelMeta>;
}

interface RuntimeModel {
  meta: ModelMeta;
  dense: Float32Array;
  bias: Float32Array;
  extractor: FeatureExtractor;
  out: Float64Array;
}

function runtime(dir: string, task: Task): RuntimeModel {
  const { meta, model } = loadModel(dir, task);
  return {
    meta,
    dense: densify(model),
    bias: model.bias,
    extractor: new FeatureExtractor(
      meta.features,
      (meta.features.embWeight ?? 0) > 0 ? loadEmbeddingTable(dir) : undefined,
    ),
    out: new Float64Array(meta.classes.length),
  };
}

/**
 * Mean pooling is linear, so each word's vector can be projected through the models' weights once at
 * load: P[row * S + c] = weight · Σ_d v[row][d] · W[bucket(d)][c]. A post then costs S adds per word
 * instead of a 100-d sum plus 100 sparse features.
 */
function projectWordVectors(
  table: EmbeddingTable,
  features: FeatureConfig,
  joint: Float32Array,
  S: number,
): Float32Array {
  const { dim, vectors } = table;
  const mask = (1 << features.bits) - 1;
  const rows = Math.min(vectors.length / dim, features.embMaxWords ?? Number.POSITIVE_INFINITY);
  const weight = features.embWeight ?? 0;
  const base = Array.from({ length: dim }, (_, d) => (embeddingMeanHash(d) & mask) * S);
  const P = new Float32Array(rows * S);
  const acc = new Float64Array(S);
  for (let r = 0; r < rows; r++) {
    acc.fill(0);
    for (let d = 0; d < dim; d++) {
      const v = vectors[r * dim + d]!;
      if (v === 0) continue;
      const b = base[d]!;
      for (let c = 0; c < S; c++) acc[c]! += v * joint[b + c]!;
    }
    for (let c = 0; c < S; c++) P[r * S + c] = acc[c]! * weight;
  }
  return P;
}

function probabilities(m: RuntimeModel, x: SparseVector): Float64Array {
  scoreDense(x, m.dense, m.bias, m.out);
  for (let c = 0; c < m.out.length; c++) m.out[c]! += m.meta.decisionBias[c] ?? 0;
  return softmaxInPlace(m.out);
}

export function createClassifiers(dir = modelsDir()): Classifiers {
  const complaint = runtime(dir, 'complaint');
  const sentiment = runtime(dir, 'sentiment');
  const shared = JSON.stringify(complaint.meta.features) === JSON.stringify(sentiment.meta.features);
  const complaintIdx = complaint.meta.classes.indexOf('complaint');
  const sentimentClasses = sentiment.meta.classes as Sentiment[];

  // When both models use the same features, interleave their weights (stride Cc + Cs) so one memory
  // fetch per feature serves both.
  const Cc = complaint.meta.classes.length;
  const Cs = sentiment.meta.classes.length;
  const joint = shared ? interleave(complaint.dense, Cc, sentiment.dense, Cs) : undefined;
  const jointOut = new Float64Array(Cc + Cs);
  const features = complaint.meta.features;
  const projected =
    joint && (features.embWeight ?? 0) > 0 && !features.embMax
      ? {
          table: loadEmbeddingTable(dir),
          P: projectWordVectors(loadEmbeddingTable(dir), features, joint, Cc + Cs),
          extractor: new FeatureExtractor({ ...features, embWeight: 0 }),
          limit: features.embMaxWords ?? Number.POSITIVE_INFINITY,
        }
      : undefined;

  const score = (text: string): { pc: Float64Array; ps: Float64Array; post: ReturnType<typeof tokenize> } => {
    const post = tokenize(text);
    if (!joint) {
      const pc = probabilities(complaint, complaint.extractor.fromTokens(post));
      return { pc, ps: probabilities(sentiment, sentiment.extractor.fromTokens(post)), post };
    }
    const S = Cc + Cs;
    jointOut.fill(0);
    (projected?.extractor ?? complaint.extractor).dotInto(post, joint, S, jointOut);
    if (projected)
      addWordVectorScores(post.tokens, projected.table.index, projected.P, projected.limit, S, jointOut);
    for (let c = 0; c < Cc; c++)
      complaint.out[c] = jointOut[c]! + complaint.bias[c]! + (complaint.meta.decisionBias[c] ?? 0);
    for (let c = 0; c < Cs; c++) {
      sentiment.out[c] = jointOut[Cc + c]! + sentiment.bias[c]! + (sentiment.meta.decisionBias[c] ?? 0);
    }
    return { pc: softmaxInPlace(complaint.out), ps: softmaxInPlace(sentiment.out), post };
  };

  const classify = (text: string): Classification => {
    const { pc, ps, post } = score(text);
    const complaintScore = pc[complaintIdx]!;
    const isComplaint = complaintScore >= 0.5;
    const sentimentScores = { negative: 0, neutral: 0, positive: 0 };
    let best: Sentiment = 'neutral';
    let bestP = -1;
    sentimentClasses.forEach((c, i) => {
      sentimentScores[c] = ps[i]!;
      if (ps[i]! > bestP) {
        bestP = ps[i]!;
        best = c;
      }
    });
    const { intent, intentReason } = decideIntent({
      text,
      words: post.words,
      cues: post.cues,
      complaint: isComplaint,
      complaintScore,
      sentiment: best,
      positive: sentimentScores.positive,
    });
    return {
      complaint: isComplaint,
      complaintScore,
      sentiment: best,
      sentimentScores,
      intent,
      intentReason,
    };
  };

  return {
    classify,
    classifyBatch: (texts) => texts.map(classify),
    meta: { complaint: complaint.meta, sentiment: sentiment.meta },
  };
}

let wordVectorSum = new Float64Array(0);

function addWordVectorScores(
  tokens: readonly string[],
  index: Map<string, number>,
  P: Float32Array,
  limit: number,
  S: number,
  out: Float64Array,
): void {
  let n = 0;
  if (wordVectorSum.length !== S) wordVectorSum = new Float64Array(S);
  const sum = wordVectorSum.fill(0);
  for (const t of tokens) {
    const row = embeddingRow(index, t, limit);
    if (row < 0) continue;
    n++;
    for (let c = 0; c < S; c++) sum[c]! += P[row * S + c]!;
  }
  if (n > 0) for (let c = 0; c < S; c++) out[c]! += sum[c]! / n;
}

function interleave(a: Float32Array, ca: number, b: Float32Array, cb: number): Float32Array {
  const rows = a.length / ca;
  const s = ca + cb;
  const out = new Float32Array(rows * s);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < ca; c++) out[r * s + c] = a[r * ca + c]!;
    for (let c = 0; c < cb; c++) out[r * s + ca + c] = b[r * cb + c]!;
  }
  return out;
}

let cached: Classifiers | undefined;

/** The shipped classifiers, loaded lazily once per process. */
export function loadClassifiers(): Classifiers {
  cached ??= createClassifiers();
  return cached;
}
