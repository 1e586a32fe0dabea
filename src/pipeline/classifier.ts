/**
 * The classifier the pipeline needs: complaint probability, sentiment (with scores) and intent per
 * text. The shipped implementation is src/pipeline/classify (trained models + intent rules);
 * tests and benchmarks can pass another object with the same shape.
 */
import type { Intent, Sentiment } from '../domain/types.ts';
import { loadClassifiers } from './classify/index.ts';

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
