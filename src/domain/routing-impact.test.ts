import { describe, expect, it } from 'vitest';
import type { RoutingRule } from './routing.ts';
import { excerpt, type ReplayedPost, ruleRef, tallyImpact, withCandidateRule } from './routing-impact.ts';

const rule = (id: string, name = id): RoutingRule => ({
  id,
  name,
  enabled: true,
  conditions: {},
  action: { queue: 'support' },
});

describe('trying routing rules', () => {
  it('puts a candidate rule in place of the saved one with its id, else last', () => {
    const saved = [rule('a'), rule('b')];
    expect(withCandidateRule(saved, rule('b', 'B edited')).map((r) => r.name)).toEqual(['a', 'B edited']);
    expect(withCandidateRule(saved, rule('new')).map((r) => r.id)).toEqual(['a', 'b', 'new']);
    expect(ruleRef(saved, 'b')).toEqual({ id: 'b', name: 'b', position: 1 });
    expect(ruleRef(saved, null)).toBeNull();
  });

  it('cuts excerpts to one line', () => {
    expect(excerpt('  two\n\nlines  ')).toBe('two lines');
    expect(excerpt('x'.repeat(200), 10)).toBe(`${'x'.repeat(9)}…`);
  });

  it('counts per destination in queue order, and keeps the first examples of changes', () => {
    const post = (i: number, from: string, to: string, team: string | null = null): ReplayedPost => ({
      postId: `p${i}`,
      text: `post ${i}`,
      actual: { queue: from, team: null },
      candidate: { queue: to, team, ruleId: to === from && !team ? null : 'r' },
    });
    const replayed = [
      post(1, 'marketing', 'marketing'),
      ...Array.from({ length: 12 }, (_, i) => post(i + 2, 'support', 'support', 'billing')),
      post(14, 'ignore', 'ignore'),
    ];
    const impact = tallyImpact(replayed, [rule('r', 'Billing')], 10);
    expect(impact.posts).toBe(14);
    expect(impact.changed).toBe(12);
    expect(impact.destinations).toEqual([
      { queue: 'support', team: null, actual: 12, candidate: 0 },
      { queue: 'support', team: 'billing', actual: 0, candidate: 12 },
      { queue: 'marketing', team: null, actual: 1, candidate: 1 },
      { queue: 'ignore', team: null, actual: 1, candidate: 1 },
    ]);
    expect(impact.examples).toHaveLength(10);
    expect(impact.examples[0]).toEqual({
      postId: 'p2',
      excerpt: 'post 2',
      from: { queue: 'support', team: null },
      to: { queue: 'support', team: 'billing' },
      rule: { id: 'r', name: 'Billing', position: 0 },
    });
  });
});
