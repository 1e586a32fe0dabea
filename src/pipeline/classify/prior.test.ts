import { describe, expect, it } from 'vitest';
import { loadEmbeddingTable } from './embeddings.ts';
import { embeddingRow } from './features.ts';
import { loadClassifiers } from './index.ts';
import { densify, scoreDense, softmaxInPlace } from './logreg.ts';
import { loadModel, modelsDir } from './model-io.ts';
import { PRIOR_FEATURES, priorFeatures } from './prior.ts';
import { tokenize } from './tokenizer.ts';
import { extractorFor, TASK_CONFIG } from './train.ts';

const prior = (text: string) => priorFeatures(tokenize(text), new Float64Array(PRIOR_FEATURES));

describe('prior lexicon features (VADER + AFINN)', () => {
  it('scores polarity, with negation, boosters and "but"', () => {
    expect(prior('what a great flight, love it')[0]).toBeGreaterThan(0.5);
    expect(prior('worst service ever, terrible')[0]).toBeLessThan(-0.5);
    expect(prior('the service was not good')[0]).toBeLessThan(0);
    expect(prior('the crew was extremely good')[0]).toBeGreaterThan(prior('the crew was good')[0]!);
    expect(prior('the seats were nice but the delay was awful')[0]).toBeLessThan(0);
    expect(prior('my flight leaves at noon')[0]).toBe(0);
    expect(prior('love it!!!')[0]).toBeGreaterThan(prior('love it')[0]!);
  });
});

describe('word vectors', () => {
  const table = loadEmbeddingTable(modelsDir());

  it('ships a compact table where related words are close', () => {
    const v = (w: string) => {
      const row = embeddingRow(table.index, w, Number.POSITIVE_INFINITY);
      expect(row).toBeGreaterThanOrEqual(0);
      return table.vectors.subarray(row * table.dim, (row + 1) * table.dim);
    };
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * b[i]!, 0);
    expect(cos(v('terrible'), v('awful'))).toBeGreaterThan(cos(v('terrible'), v('airport')));
    expect(embeddingRow(table.index, 'delayed_neg', Number.POSITIVE_INFINITY)).toBe(
      embeddingRow(table.index, 'delayed', Number.POSITIVE_INFINITY),
    );
  });

  it('the runtime (word vectors projected at load) scores like the training features', () => {
    const c = loadClassifiers();
    const { model, meta } = loadModel(modelsDir(), 'complaint');
    const fx = extractorFor(TASK_CONFIG.complaint);
    const dense = densify(model);
    const out = new Float64Array(2);
    for (const text of [
      '@united you lost my bag again, worst airline ever',
      'thanks for the quick help yesterday!',
      'is the store open on sunday?',
    ]) {
      scoreDense(fx.extract(text), dense, model.bias, out);
      for (let k = 0; k < 2; k++) out[k]! += meta.decisionBias[k] ?? 0;
      softmaxInPlace(out);
      expect(c.classify(text).complaintScore).toBeCloseTo(out[1]!, 4);
    }
  });
});
