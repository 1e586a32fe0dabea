/** Workers pick up retrained models without a restart, and never a broken model. */
import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reloadingClassifier } from './classifier.ts';
import { modelsDir } from './classify/model-io.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-models-'));
cpSync(modelsDir(), dir, { recursive: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const text = 'Thank you so much, the new app is wonderful!';

/** Rewrites sentiment.json with a decision bias that makes every post negative. */
function retrainToNegative(): void {
  const file = resolve(dir, 'sentiment.json');
  const meta = JSON.parse(readFileSync(file, 'utf8')) as { classes: string[]; decisionBias: number[] };
  meta.decisionBias = meta.classes.map((c) => (c === 'negative' ? 1000 : 0));
  writeFileSync(file, JSON.stringify(meta));
  const later = new Date(Date.now() + 5_000);
  utimesSync(file, later, later);
}

describe('reloading classifier', () => {
  it('loads models whose files changed, keeps the current ones when new files do not load', () => {
    const logs: string[] = [];
    const classifier = reloadingClassifier({ dir, log: (m) => logs.push(m) });
    expect(classifier.classifyBatch([text])[0]!.sentiment).toBe('positive');
    expect(classifier.reloadIfChanged()).toBe(false);

    retrainToNegative();
    expect(classifier.reloadIfChanged()).toBe(true);
    expect(classifier.classifyBatch([text])[0]!.sentiment).toBe('negative');
    expect(logs).toEqual([`classifier: models reloaded from ${dir}`]);

    // Half a weights file: refused, logged once, the loaded models stay in use.
    const bin = resolve(dir, 'complaint.bin');
    writeFileSync(bin, readFileSync(bin).subarray(0, 1000));
    expect(classifier.reloadIfChanged()).toBe(false);
    expect(classifier.reloadIfChanged()).toBe(false);
    expect(logs).toHaveLength(2);
    expect(logs[1]).toMatch(/not loaded, keeping the current ones: .*complaint\.bin/);
    expect(classifier.classifyBatch([text])[0]!.sentiment).toBe('negative');
    classifier.stop();
  });

  it('picks up rebuilt word vectors too', () => {
    const other = mkdtempSync(join(tmpdir(), 'earshot-models-'));
    try {
      cpSync(modelsDir(), other, { recursive: true });
      const classifier = reloadingClassifier({ dir: other });
      const before = classifier.classifyBatch([text])[0]!.sentimentScores.positive;
      // Every vector zero: the word-vector group adds nothing any more, so the scores move.
      const bin = resolve(other, 'embeddings.bin');
      writeFileSync(bin, Buffer.alloc(readFileSync(bin).length));
      const later = new Date(Date.now() + 5_000);
      utimesSync(bin, later, later);
      expect(classifier.reloadIfChanged()).toBe(true);
      expect(classifier.classifyBatch([text])[0]!.sentimentScores.positive).not.toBeCloseTo(before, 6);
      classifier.stop();
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
