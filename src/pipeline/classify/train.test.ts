import { describe, expect, it } from 'vitest';
import { densify, scoreDense } from './logreg.ts';
import { stratifiedFolds } from './metrics.ts';
import { extractorFor, nbScales, type SourceData, TASK_CONFIG, trainTask } from './train.ts';

const fixture: SourceData[] = [
  {
    source: 'fixture',
    weight: 1,
    rows: [
      { text: 'my order never arrived, want a refund', label: 'complaint', source: 'fixture' },
      { text: 'still waiting on hold for two hours', label: 'complaint', source: 'fixture' },
      { text: 'the app keeps crashing, fix it', label: 'complaint', source: 'fixture' },
      { text: 'charged twice and nobody answers', label: 'complaint', source: 'fixture' },
      { text: 'what a lovely sunny day at the beach', label: 'not_complaint', source: 'fixture' },
      { text: 'thanks for the quick help yesterday', label: 'not_complaint', source: 'fixture' },
      { text: 'watching the game with friends tonight', label: 'not_complaint', source: 'fixture' },
      { text: 'do you open on sundays?', label: 'not_complaint', source: 'fixture' },
    ],
  },
];

describe('trainTask', () => {
  it('is deterministic: the same data gives bit-identical weights', () => {
    const a = trainTask('complaint', fixture);
    const b = trainTask('complaint', fixture);
    expect(Array.from(a.buckets)).toEqual(Array.from(b.buckets));
    expect(Array.from(a.weights)).toEqual(Array.from(b.weights));
    expect(Array.from(a.bias)).toEqual(Array.from(b.bias));
  });

  it('fits its training data', () => {
    const config = { ...TASK_CONFIG.complaint, train: { ...TASK_CONFIG.complaint.train, minDf: 1 } };
    const m = trainTask('complaint', fixture, config);
    const fx = extractorFor(config);
    const dense = densify(m);
    const out = new Float64Array(2);
    for (const r of fixture[0]!.rows) {
      scoreDense(fx.extract(r.text), dense, m.bias, out);
      expect(m.classes[out[1]! > out[0]! ? 1 : 0]).toBe(r.label);
    }
  });

  it('makes stratified, seeded folds', () => {
    const labels = ['a', 'a', 'a', 'a', 'a', 'b', 'b', 'b', 'b', 'b'];
    const f1 = stratifiedFolds(labels, 5, 7);
    expect(Array.from(f1)).toEqual(Array.from(stratifiedFolds(labels, 5, 7)));
    for (let k = 0; k < 5; k++) expect(labels.filter((_, i) => f1[i] === k).sort()).toEqual(['a', 'b']);
  });

  it('NB scaling: dense buckets keep 1, and the folded weights score raw features as trained', () => {
    const config = {
      ...TASK_CONFIG.complaint,
      nbScale: 1,
      train: { ...TASK_CONFIG.complaint.train, minDf: 1 },
    };
    const fx = extractorFor(config);
    const rows = fixture[0]!.rows;
    const examples = rows.map((r) => ({
      x: fx.extract(r.text),
      y: r.label === 'complaint' ? 1 : 0,
      weight: 1,
    }));
    const scale = nbScales(examples, 2, config.features, 1);
    const cueBias = fx.extract('').idx; // an empty post fills only dense buckets
    for (const i of cueBias) expect(scale[i]).toBe(1);
    expect(scale.some((s) => s !== 1)).toBe(true);
    const m = trainTask('complaint', fixture, config);
    const dense = densify(m);
    const out = new Float64Array(2);
    for (const r of rows) {
      scoreDense(fx.extract(r.text), dense, m.bias, out);
      expect(m.classes[out[1]! > out[0]! ? 1 : 0]).toBe(r.label);
    }
  });
});
