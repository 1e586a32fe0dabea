/**
 * The hashing behind the triage classifiers' features (features.ts): FNV-1a with a murmur finaliser,
 * one seed per feature group, and the fixed buckets of the dense groups (cues, lexicon scores, word
 * vectors). Changing any of it changes every bucket: the shipped models must be retrained.
 */
import type { FeatureConfig } from './features.ts';
import { OPINION_FEATURES, PRIOR_FEATURES } from './prior.ts';

/** Hashed bucket of word-vector dimension `d` (mean pooling). */
export function embeddingMeanHash(d: number): number {
  return hashString(`emb:mean:${d}`, SEED_EMB);
}

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

export function hashString(s: string, seed: number): number {
  let h = (FNV_OFFSET ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return finalise(h);
}

export function finalise(h0: number): number {
  let h = h0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export const SEED_WORD = 0x1001;
export const SEED_BIGRAM = 0x2002;
export const SEED_CHAR = 0x3003;
export const SEED_CUE = 0x4004;
export const BOS = hashString('<s>', SEED_BIGRAM);
export const EOS = hashString('</s>', SEED_BIGRAM);

/** Hash of an ordered pair of token hashes (word bigram). */
export function pair(a: number, b: number): number {
  return finalise(Math.imul(a ^ SEED_BIGRAM, 0x9e3779b1) ^ b);
}

export const H_LEX_POS = hashString('lex:pos', SEED_CUE);
export const H_LEX_NEG = hashString('lex:neg', SEED_CUE);
export const H_LEX_COMPLAINT = hashString('lex:complaint', SEED_CUE);
export const H_CUE_EXCL = hashString('cue:excl', SEED_CUE);
export const H_CUE_QUEST = hashString('cue:quest', SEED_CUE);
export const H_CUE_CAPS = hashString('cue:caps', SEED_CUE);
export const H_CUE_ELONG = hashString('cue:elong', SEED_CUE);
export const H_CUE_EMOPOS = hashString('cue:emo+', SEED_CUE);
export const H_CUE_EMONEG = hashString('cue:emo-', SEED_CUE);
export const H_CUE_URL = hashString('cue:url', SEED_CUE);
export const H_CUE_MENTION = hashString('cue:mention', SEED_CUE);
export const H_CUE_LEN = hashString('cue:len', SEED_CUE);
export const H_CUE_BIAS = hashString('cue:bias', SEED_CUE);
export const SEED_PRIOR = 0x5005;
export const SEED_EMB = 0x6006;
export const H_PRIOR = Array.from({ length: PRIOR_FEATURES }, (_, i) => hashString(`prior:${i}`, SEED_PRIOR));
export const H_OPINION = Array.from({ length: OPINION_FEATURES }, (_, i) =>
  hashString(`opinion:${i}`, SEED_PRIOR),
);

/**
 * The buckets of the dense groups (cues, lexicon scores, word vectors) under a config: every post can
 * fill them, so training treats them apart from the sparse n-gram buckets (see nbScale in train.ts).
 */
export function denseBuckets(config: FeatureConfig, embeddingDim: number): Set<number> {
  const mask = (1 << config.bits) - 1;
  const hashes = [
    H_LEX_POS,
    H_LEX_NEG,
    H_LEX_COMPLAINT,
    H_CUE_EXCL,
    H_CUE_QUEST,
    H_CUE_CAPS,
    H_CUE_ELONG,
    H_CUE_EMOPOS,
    H_CUE_EMONEG,
    H_CUE_URL,
    H_CUE_MENTION,
    H_CUE_LEN,
    H_CUE_BIAS,
    ...H_PRIOR,
    ...H_OPINION,
  ];
  for (let d = 0; d < embeddingDim; d++) {
    hashes.push(embeddingMeanHash(d), hashString(`emb:max:${d}`, SEED_EMB));
  }
  return new Set(hashes.map((h) => h & mask));
}
