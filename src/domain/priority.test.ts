import { describe, expect, it } from 'vitest';
import { computePriority, levelForScore } from './priority.ts';

describe('computePriority', () => {
  it('a calm private note from nobody is low', () => {
    const r = computePriority({ text: 'hello there', isPrivate: true });
    expect(r).toEqual({ score: 0, level: 'low', factors: [] });
  });

  it('public weighs more than private for the same text', () => {
    const pub = computePriority({ text: 'my card is not working', isPrivate: false });
    const priv = computePriority({ text: 'my card is not working', isPrivate: true });
    expect(pub.score - priv.score).toBe(10);
  });

  it('reach is log-scaled and capped', () => {
    const s = (followers: number) => computePriority({ text: '', isPrivate: true, followers }).score;
    expect(s(0)).toBe(0);
    expect(s(9)).toBeCloseTo(3.3, 1);
    expect(s(999_999)).toBe(20);
    expect(s(50_000_000)).toBe(20);
    expect(s(1000) - s(100)).toBeCloseTo(s(100) - s(10), 0);
    expect(s(-5)).toBe(0);
  });

  it('urgency words count as whole words, strongest first', () => {
    const r = computePriority({ text: 'EMERGENCY: stranded at the airport, help!!', isPrivate: true });
    const urgency = r.factors.find((f) => f.factor === 'urgency');
    expect(urgency?.detail).toBe('emergency, stranded, help');
    expect(urgency?.points).toBe(21.1); // 14 + 0.3·(14 + 3) + 2 exclamation marks
    expect(computePriority({ text: 'downstairs', isPrivate: true }).score).toBe(0);
  });

  it('an angry public complaint from a big VIP account is urgent', () => {
    const r = computePriority({
      text: 'Double charged AGAIN and still waiting for a refund. Fraud!',
      isPrivate: false,
      followers: 250_000,
      sentiment: 'negative',
      complaintScore: 0.95,
      history: { previousComplaints: 3, vip: true },
    });
    expect(r.level).toBe('urgent');
    expect(r.factors.map((f) => f.factor)).toEqual([
      'urgency',
      'reach',
      'public',
      'history',
      'vip',
      'sentiment',
      'complaint',
    ]);
    expect(r.score).toBeLessThanOrEqual(100);
  });

  it('negativeScore overrides the label and bad numbers are clamped', () => {
    expect(
      computePriority({ text: '', isPrivate: true, sentiment: 'negative', negativeScore: 0.5 }).score,
    ).toBe(5);
    expect(
      computePriority({ text: '', isPrivate: true, complaintScore: Number.NaN, negativeScore: 7 }).score,
    ).toBe(10);
  });

  it('maps scores to levels at the thresholds', () => {
    expect([0, 19.9, 20, 44.9, 45, 64.9, 65, 100].map(levelForScore)).toEqual([
      'low',
      'low',
      'normal',
      'normal',
      'high',
      'high',
      'urgent',
      'urgent',
    ]);
  });
});
