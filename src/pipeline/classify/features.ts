/**
 * Hashed sparse features for the triage classifiers: word uni/bi-grams over the tokenizer's tokens,
 * character n-grams inside word boundaries, and a few dense cue/lexicon features.
 * Each group is L2-normalised on its own and scaled by its weight, so groups can be balanced.
 */
import { type EmbeddingTable, loadEmbeddingTable } from './embeddings.ts';
import {
  BOS,
  EOS,
  embeddingMeanHash,
  FNV_OFFSET,
  FNV_PRIME,
  finalise,
  H_CUE_BIAS,
  H_CUE_CAPS,
  H_CUE_ELONG,
  H_CUE_EMONEG,
  H_CUE_EMOPOS,
  H_CUE_EXCL,
  H_CUE_LEN,
  H_CUE_MENTION,
  H_CUE_QUEST,
  H_CUE_URL,
  H_LEX_COMPLAINT,
  H_LEX_NEG,
  H_LEX_POS,
  H_OPINION,
  H_PRIOR,
  hashString,
  pair,
  SEED_CHAR,
  SEED_EMB,
  SEED_WORD,
} from './feature-hashes.ts';
import { lexiconScores } from './lexicon.ts';
import { modelsDir } from './model-io.ts';
import { OPINION_FEATURES, opinionWordsLoaded, PRIOR_FEATURES, priorFeatures } from './prior.ts';
import { type TokenizedPost, tokenize } from './tokenizer.ts';

export { denseBuckets, embeddingMeanHash } from './feature-hashes.ts';

export interface FeatureConfig {
  /** log2 of the hashed feature space. */
  bits: number;
  wordWeight: number;
  bigramWeight: number;
  charWeight: number;
  charMin: number;
  charMax: number;
  cueWeight: number;
  /** VADER + AFINN lexicon scores (prior.ts); absent in older models = 0. */
  priorWeight?: number;
  /** Liu opinion-word counts (prior.ts, models/opinion-words.txt); absent = 0. */
  opinionWeight?: number;
  /** Mean-pooled pretrained word vectors (embeddings.ts); absent = 0. */
  embWeight?: number;
  /** Also max-pool the word vectors (same weight). */
  embMax?: boolean;
  /** Only the first N words of the table are used (most frequent first). */
  embMaxWords?: number;
}

export const DEFAULT_FEATURES: FeatureConfig = {
  bits: 18,
  wordWeight: 1,
  bigramWeight: 0.6,
  charWeight: 1,
  charMin: 2,
  charMax: 5,
  cueWeight: 0.5,
};

/** The table row of a token's word vector (negation mark stripped), or −1. */
export function embeddingRow(index: Map<string, number>, token: string, limit: number): number {
  const row = index.get(token.endsWith('_neg') ? token.slice(0, -4) : token);
  return row === undefined || row >= limit ? -1 : row;
}

/** A sparse vector: sorted unique indices and their values. */
export interface SparseVector {
  idx: Int32Array;
  val: Float32Array;
}

/**
 * Reusable extractor: keeps scratch buffers so extraction allocates little.
 * Not re-entrant; one per thread of work.
 */
export class FeatureExtractor {
  readonly config: FeatureConfig;
  private readonly mask: number;
  private readonly scratch: Float32Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  private tokenHashes = new Int32Array(256);
  private groupStart = 0;

  private readonly emb: EmbeddingTable | undefined;
  private readonly embMean: Float64Array;
  private readonly embMaxV: Float64Array;
  private readonly hEmbMean: number[];
  private readonly hEmbMax: number[];
  private readonly prior = new Float64Array(PRIOR_FEATURES + OPINION_FEATURES);

  constructor(config: FeatureConfig, embeddings?: EmbeddingTable) {
    this.config = config;
    this.mask = (1 << config.bits) - 1;
    this.scratch = new Float32Array(1 << config.bits);
    this.touched = new Int32Array(1 << 16);
    this.emb = (config.embWeight ?? 0) > 0 ? (embeddings ?? loadEmbeddingTable(modelsDir())) : undefined;
    const dim = this.emb?.dim ?? 0;
    this.embMean = new Float64Array(dim);
    this.embMaxV = new Float64Array(dim);
    this.hEmbMean = Array.from({ length: dim }, (_, d) => embeddingMeanHash(d));
    this.hEmbMax = Array.from({ length: dim }, (_, d) => hashString(`emb:max:${d}`, SEED_EMB));
    if ((config.opinionWeight ?? 0) > 0 && !opinionWordsLoaded())
      throw new Error('models/opinion-words.txt is missing: run `earshot model train` to build it');
  }

  extract(text: string): SparseVector {
    return this.fromTokens(tokenize(text));
  }

  fromTokens(post: TokenizedPost): SparseVector {
    this.fill(post);
    return this.collect();
  }

  /**
   * `out[c] += Σ x[i] · table[i·stride + c]` for the post's features x, without building the sparse
   * vector (the run-time scoring path: same values, same order, so the same sums as over fromTokens).
   */
  dotInto(post: TokenizedPost, table: Float32Array, stride: number, out: Float64Array): void {
    this.fill(post);
    const s = this.scratch;
    for (let k = 0; k < this.nTouched; k++) {
      const i = this.touched[k]!;
      const v = s[i]!;
      s[i] = 0;
      const base = i * stride;
      for (let c = 0; c < stride; c++) out[c]! += v * table[base + c]!;
    }
  }

  private fill(post: TokenizedPost): void {
    const c = this.config;
    this.nTouched = 0;
    const { tokens, words, cues } = post;
    const n = tokens.length;
    if (this.tokenHashes.length < n + 1) this.tokenHashes = new Int32Array(n * 2 + 2);
    const th = this.tokenHashes;
    for (let k = 0; k < n; k++) th[k] = hashString(tokens[k]!, SEED_WORD);
    if (c.wordWeight > 0) {
      this.beginGroup();
      for (let k = 0; k < n; k++) this.add(th[k]! >>> 0, 1);
      this.endGroup(c.wordWeight, true);
    }
    if (c.bigramWeight > 0) {
      this.beginGroup();
      let prev = BOS;
      for (let k = 0; k < n; k++) {
        this.add(pair(prev, th[k]!), 1);
        prev = th[k]!;
      }
      this.add(pair(prev, EOS), 1);
      this.endGroup(c.bigramWeight, true);
    }
    if (c.charWeight > 0) {
      this.beginGroup();
      for (const w of words) this.addCharGrams(w);
      this.endGroup(c.charWeight, false);
    }
    if (c.cueWeight > 0) {
      this.beginGroup();
      const lex = lexiconScores(tokens);
      this.add(H_LEX_POS, Math.log1p(lex.positive));
      this.add(H_LEX_NEG, Math.log1p(lex.negative));
      this.add(H_LEX_COMPLAINT, Math.log1p(lex.complaint));
      this.add(H_CUE_EXCL, Math.log1p(cues.exclamations));
      this.add(H_CUE_QUEST, Math.log1p(cues.questions));
      this.add(H_CUE_CAPS, Math.log1p(cues.allCapsWords));
      this.add(H_CUE_ELONG, Math.log1p(cues.elongated));
      this.add(H_CUE_EMOPOS, Math.log1p(cues.emoticonsPositive));
      this.add(H_CUE_EMONEG, Math.log1p(cues.emoticonsNegative));
      this.add(H_CUE_URL, Math.log1p(cues.urls));
      this.add(H_CUE_MENTION, Math.log1p(cues.mentions));
      this.add(H_CUE_LEN, Math.log1p(cues.length) / 5);
      this.add(H_CUE_BIAS, 1);
      this.endGroup(c.cueWeight, false, false);
    }
    const pw = c.priorWeight ?? 0;
    const ow = c.opinionWeight ?? 0;
    if (pw > 0 || ow > 0) {
      const p = priorFeatures(post, this.prior);
      if (pw > 0) {
        this.beginGroup();
        for (let i = 0; i < PRIOR_FEATURES; i++) this.add(H_PRIOR[i]!, p[i]!);
        this.endGroup(pw, false, false);
      }
      if (ow > 0) {
        this.beginGroup();
        for (let i = 0; i < OPINION_FEATURES; i++) this.add(H_OPINION[i]!, p[PRIOR_FEATURES + i]!);
        this.endGroup(ow, false, false);
      }
    }
    if (this.emb) this.addEmbeddings(tokens, this.emb);
  }

  private addEmbeddings(tokens: readonly string[], emb: EmbeddingTable): void {
    const { dim, index, vectors } = emb;
    const limit = this.config.embMaxWords ?? Number.POSITIVE_INFINITY;
    const mean = this.embMean;
    const max = this.embMaxV;
    const withMax = this.config.embMax === true;
    mean.fill(0);
    max.fill(-1);
    let n = 0;
    for (const t of tokens) {
      const row = embeddingRow(index, t, limit);
      if (row < 0) continue;
      n++;
      const base = row * dim;
      for (let d = 0; d < dim; d++) mean[d]! += vectors[base + d]!;
      if (withMax) {
        for (let d = 0; d < dim; d++) if (vectors[base + d]! > max[d]!) max[d] = vectors[base + d]!;
      }
    }
    if (n === 0) return;
    const weight = this.config.embWeight ?? 0;
    this.beginGroup();
    for (let d = 0; d < dim; d++) this.add(this.hEmbMean[d]!, (mean[d]! / n) * weight);
    if (this.config.embMax) for (let d = 0; d < dim; d++) this.add(this.hEmbMax[d]!, max[d]! * weight);
    this.endGroup(1, false, false);
  }

  private addCharGrams(w: string): void {
    const { charMin, charMax } = this.config;
    const s = ` ${w} `;
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let h = (FNV_OFFSET ^ SEED_CHAR) >>> 0;
      const end = Math.min(n, i + charMax);
      for (let j = i; j < end; j++) {
        h ^= s.charCodeAt(j);
        h = Math.imul(h, FNV_PRIME);
        const len = j - i + 1;
        if (len >= charMin && !(len === 1 && s.charCodeAt(j) === 32)) this.add(finalise(h ^ len), 1);
      }
    }
  }

  private beginGroup(): void {
    this.groupStart = this.nTouched;
  }

  private add(hash: number, v: number): void {
    if (v === 0) return;
    const i = hash & this.mask;
    if (this.scratch[i] === 0) {
      if (this.nTouched >= this.touched.length) return;
      this.touched[this.nTouched++] = i;
    }
    this.scratch[i] = (this.scratch[i] ?? 0) + v;
  }

  /** Sublinear tf, then L2-normalise the group and scale it. Collisions across groups are rare and harmless. */
  private endGroup(weight: number, sublinear: boolean, normalise = true): void {
    const s = this.scratch;
    let norm = 0;
    for (let k = this.groupStart; k < this.nTouched; k++) {
      const i = this.touched[k]!;
      let v = s[i]!;
      if (sublinear) {
        v = 1 + Math.log(v);
        s[i] = v;
      }
      norm += v * v;
    }
    const scale = normalise && norm > 0 ? weight / Math.sqrt(norm) : weight;
    for (let k = this.groupStart; k < this.nTouched; k++) {
      const i = this.touched[k]!;
      s[i] = s[i]! * scale + 1e-30;
    }
  }

  private collect(): SparseVector {
    const n = this.nTouched;
    const idx = this.touched.slice(0, n);
    const val = new Float32Array(n);
    for (let k = 0; k < n; k++) {
      const i = idx[k]!;
      val[k] = this.scratch[i]!;
      this.scratch[i] = 0;
    }
    return { idx, val };
  }
}
