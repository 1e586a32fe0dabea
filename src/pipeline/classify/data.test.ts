import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  describeSkipped,
  loadExtraLabels,
  loadLabelled,
  numericSentimentScheme,
  type SkippedRows,
} from './data.ts';

const dir = mkdtempSync(join(tmpdir(), 'earshot-data-'));
const csv = (name: string, body: string) => {
  const file = join(dir, name);
  writeFileSync(file, body);
  return file;
};
const skipped = (): SkippedRows => ({ blankText: 0, unknownLabels: new Map() });

describe('labelled files', () => {
  it('reads -1/0/1 polarity, 0/1/2 TweetEval and 0/2/4 Sentiment140 numbers as sentiment', () => {
    const polarity = csv('p.csv', 'polarity,text\n-1,bad\n0,meh\n1,good\n1,great\n');
    expect(loadLabelled(polarity, 'sentiment').map((r) => r.label)).toEqual([
      'negative',
      'neutral',
      'positive',
      'positive',
    ]);
    const tweeteval = csv('t.csv', 'label,text\n0,bad\n1,meh\n2,good\n');
    expect(loadLabelled(tweeteval, 'sentiment').map((r) => r.label)).toEqual([
      'negative',
      'neutral',
      'positive',
    ]);
    expect(numericSentimentScheme(['0', '4', '2'])).toEqual({
      '0': 'negative',
      '2': 'neutral',
      '4': 'positive',
    });
    expect(numericSentimentScheme(['0', '7'])).toBeUndefined();
  });

  it('prefers the column named after the task over a generic label column', () => {
    const file = csv('both.csv', 'label,sentiment,text\n1,negative,awful\n0,positive,lovely\n');
    expect(loadLabelled(file, 'sentiment').map((r) => r.label)).toEqual(['negative', 'positive']);
    expect(loadLabelled(file, 'complaint').map((r) => r.label)).toEqual(['complaint', 'not_complaint']);
  });

  it('keeps numeric rows when one label is blank or a word, and counts what it skips', () => {
    const file = csv('mixed.csv', 'label,text\n0,bad\n,blank label\nMixed,odd\npositive,good\n2,fine\n1,\n');
    const s = skipped();
    expect(loadLabelled(file, 'sentiment', file, s).map((r) => r.label)).toEqual([
      'negative',
      'positive',
      'positive',
    ]);
    expect(s.blankText).toBe(1);
    expect(Object.fromEntries(s.unknownLabels)).toEqual({ '': 1, Mixed: 1 });
    expect(describeSkipped(s)).toBe(
      'skipped 3 rows: 2 with a label that is not a class ("" × 1, "Mixed" × 1); 1 with no text',
    );
    expect(describeSkipped(skipped())).toBeUndefined();
  });

  it('says which column it needs when there is no label it knows', () => {
    const file = csv('none.csv', 'label,text\nmaybe,hm\n');
    expect(() => loadLabelled(file, 'sentiment')).toThrow(/no column holds sentiment labels/);
    expect(() => loadLabelled(file, 'sentiment')).toThrow(
      /label: "maybe"; classes: negative, neutral, positive/,
    );
    const unnamed = csv('unnamed.csv', 'verdict,text\nyes,hm\n');
    expect(() => loadLabelled(unnamed, 'complaint')).toThrow(/no complaint label column \(expected one of/);
  });
});

describe('agents’ corrections as extra labels', () => {
  it('turns intent corrections into complaint labels unless the text has a complaint correction', () => {
    const file = csv(
      'corrections.csv',
      'text,task,label\n' +
        'router keeps dropping,intent,complaint\n' +
        'how do I reset it,intent,question\n' +
        'love the new app,intent,praise\n' +
        'love the new app,complaint,complaint\n' +
        'nice weather,sentiment,positive\n',
    );
    expect(loadExtraLabels(file, 'complaint').map((r) => [r.text, r.label])).toEqual([
      ['love the new app', 'complaint'],
      ['router keeps dropping', 'complaint'],
      ['how do I reset it', 'not_complaint'],
    ]);
    expect(loadExtraLabels(file, 'sentiment').map((r) => [r.text, r.label])).toEqual([
      ['nice weather', 'positive'],
    ]);
  });
});
