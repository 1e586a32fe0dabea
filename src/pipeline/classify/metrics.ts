/** Classification metrics and seeded stratified folds. */

export interface Scores {
  n: number;
  accuracy: number;
  macroF1: number;
  macroRecall: number;
  perClass: Record<string, { precision: number; recall: number; f1: number; support: number }>;
}

export function score(gold: readonly string[], pred: readonly string[], classes: readonly string[]): Scores {
  const perClass: Scores['perClass'] = {};
  let correct = 0;
  for (let i = 0; i < gold.length; i++) if (gold[i] === pred[i]) correct++;
  let f1Sum = 0;
  let recallSum = 0;
  for (const c of classes) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (pred[i] === c && gold[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (gold[i] === c) fn++;
    }
    const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
    const recall = tp + fn > 0 ? tp / (tp + fn) : 0;
    const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
    perClass[c] = { precision, recall, f1, support: tp + fn };
    f1Sum += f1;
    recallSum += recall;
  }
  return {
    n: gold.length,
    accuracy: gold.length ? correct / gold.length : 0,
    macroF1: f1Sum / classes.length,
    macroRecall: recallSum / classes.length,
    perClass,
  };
}

/** Deterministic PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fold number (0..k-1) per item, stratified by label, seeded. */
export function stratifiedFolds(labels: readonly string[], k: number, seed: number): Int32Array {
  const rand = rng(seed);
  const folds = new Int32Array(labels.length);
  const byLabel = new Map<string, number[]>();
  labels.forEach((l, i) => {
    const list = byLabel.get(l) ?? [];
    list.push(i);
    byLabel.set(l, list);
  });
  let offset = 0;
  for (const key of [...byLabel.keys()].sort()) {
    const idx = byLabel.get(key)!;
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j]!, idx[i]!];
    }
    idx.forEach((item, n) => {
      folds[item] = (n + offset) % k;
    });
    offset += idx.length;
  }
  return folds;
}

export function formatScores(s: Scores): string {
  const lines = [
    `n=${s.n}  accuracy=${s.accuracy.toFixed(4)}  macro-F1=${s.macroF1.toFixed(4)}  macro-recall=${s.macroRecall.toFixed(4)}`,
  ];
  for (const [c, m] of Object.entries(s.perClass)) {
    lines.push(
      `  ${c.padEnd(14)} P=${m.precision.toFixed(3)} R=${m.recall.toFixed(3)} F1=${m.f1.toFixed(3)} n=${m.support}`,
    );
  }
  return lines.join('\n');
}
