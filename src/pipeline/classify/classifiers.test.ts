import { describe, expect, it } from 'vitest';
import { loadClassifiers } from './index.ts';

describe('shipped classifiers', () => {
  const c = loadClassifiers();

  it('loads once and records what each model was trained on', () => {
    expect(loadClassifiers()).toBe(c);
    expect(c.meta.complaint.trainedOn.map((s) => s.source)).toContain('complaints/train_dev.csv');
    expect(c.meta.sentiment.trainedOn.map((s) => s.source)).toContain('tweeteval/validation.csv');
  });

  it('spots an obvious complaint', () => {
    const r = c.classify(
      '@united you lost my bag again and nobody at the desk will help. worst airline ever',
    );
    expect(r.complaint).toBe(true);
    expect(r.complaintScore).toBeGreaterThan(0.5);
    expect(r.sentiment).toBe('negative');
    expect(r.intent).toBe('complaint');
  });

  it('spots praise', () => {
    const r = c.classify('@JetBlue thank you so much, the crew was amazing and the flight was great!');
    expect(r.complaint).toBe(false);
    expect(r.sentiment).toBe('positive');
    expect(r.intent).toBe('praise');
    expect(r.sentimentScores.positive).toBeGreaterThan(0.5);
  });

  it('tells questions, leads and spam apart by rules', () => {
    expect(c.classify('@AppleSupport what time does the Regent Street store open tomorrow?').intent).toBe(
      'question',
    );
    expect(c.classify('@acme how much is the business plan? thinking of switching our team').intent).toBe(
      'lead',
    );
    expect(
      c.classify('Follow me for free crypto giveaway!!! click here https://x.co/a https://x.co/b').intent,
    ).toBe('spam');
  });

  it('keeps a complaint that names a spam word and links a screenshot a complaint', () => {
    const stuck = c.classify(
      '@acmeapp I bought bitcoin in your app and my withdrawal has been stuck for 5 days, support ignores me. This is a scam https://imgur.com/a/x1',
    );
    expect(stuck.complaint).toBe(true);
    expect(stuck.intent).toBe('complaint');
    // Strong spam evidence still wins.
    expect(
      c.classify('crypto giveaway!! follow me and click here https://x.co/a worst app ever, terrible').intent,
    ).toBe('spam');
  });

  it('reads buying signals as whole words only', () => {
    for (const text of [
      'The agent quoted the wrong policy number to me',
      'That view from the window seat was priceless',
      'Reading about democracy on the flight',
    ]) {
      expect(c.classify(text).intent, text).not.toBe('lead');
    }
    expect(c.classify('Can you send me a quote for 50 seats').intent).toBe('lead');
  });

  it('classifies a batch like single posts', () => {
    const texts = ['great service today', 'my internet is down for the third day'];
    expect(c.classifyBatch(texts)).toEqual(texts.map((t) => c.classify(t)));
  });
});
