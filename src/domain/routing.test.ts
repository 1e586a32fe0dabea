import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';
import {
  compileRouter,
  defaultRoute,
  keywordPattern,
  type RoutingInput,
  type RoutingRule,
  RoutingRuleSchema,
  route,
  routingRuleProblems,
  validateRoutingRules,
} from './routing.ts';
import { INTENTS } from './types.ts';

const post = (over: Partial<RoutingInput> = {}): RoutingInput => ({
  channelKind: 'x',
  intent: 'complaint',
  sentiment: 'negative',
  text: 'My order never arrived',
  language: 'en',
  priority: 'normal',
  isPrivate: false,
  ...over,
});

const rule = (
  id: string,
  conditions: RoutingRule['conditions'],
  action: RoutingRule['action'],
): RoutingRule => ({
  id,
  name: id,
  enabled: true,
  conditions,
  action,
});

describe('default policy', () => {
  it('complaints, questions, feedback, other → support; praise, leads → marketing; spam → ignore (spam)', () => {
    const got = Object.fromEntries(INTENTS.map((i) => [i, route([], post({ intent: i }))]));
    expect(got.complaint).toEqual({ queue: 'support', ruleId: null });
    expect(got.question?.queue).toBe('support');
    expect(got.feedback?.queue).toBe('support');
    expect(got.other?.queue).toBe('support');
    expect(got.praise?.queue).toBe('marketing');
    expect(got.lead?.queue).toBe('marketing');
    expect(got.spam).toEqual({ queue: 'ignore', ignoreReason: 'spam', ruleId: null });
    expect(defaultRoute('lead').ruleId).toBeNull();
  });
});

describe('rules', () => {
  const rules: RoutingRule[] = [
    rule(
      'legal',
      { keywords: { any: ['lawyer', 'sue', 'legal action'] } },
      { queue: 'support', team: 'escalations' },
    ),
    rule('de', { languages: ['de'] }, { queue: 'support', team: 'dach' }),
    rule('urgent-public', { minPriority: 'high', visibility: 'public' }, { queue: 'support', team: 'tier2' }),
    rule(
      'fb-praise',
      { channelKinds: ['facebook'], intents: ['praise'], sentiments: ['positive'] },
      { queue: 'marketing', team: 'social' },
    ),
    rule(
      'bots',
      { keywords: { all: ['crypto', 'giveaway'] } },
      { queue: 'ignore', ignoreReason: 'crypto spam' },
    ),
  ];
  const router = compileRouter(rules);

  it('first match wins, in order', () => {
    expect(router(post({ text: 'I will SUE you', language: 'de', priority: 'urgent' })).ruleId).toBe('legal');
    expect(router(post({ language: 'de-AT', priority: 'urgent' })).ruleId).toBe('de');
    expect(router(post({ priority: 'urgent' }))).toEqual({
      queue: 'support',
      team: 'tier2',
      ruleId: 'urgent-public',
    });
  });

  it('keywords are case-insensitive whole words and phrases', () => {
    expect(router(post({ text: 'Taking LEGAL   ACTION now' })).ruleId).toBe('legal');
    expect(router(post({ text: 'the issue is resolved' })).ruleId).toBeNull(); // "sue" inside "issue"
    expect(router(post({ text: 'lawyers are expensive' })).ruleId).toBeNull();
    expect(router(post({ text: '(lawyer)' })).ruleId).toBe('legal');
    expect(keywordPattern('café').test('Le CAFÉ est froid')).toBe(true);
    expect(keywordPattern('c++').test('I love c++ a lot')).toBe(true);
  });

  it('all-keywords need every word', () => {
    expect(router(post({ text: 'Crypto giveaway!!', intent: 'other' }))).toMatchObject({
      queue: 'ignore',
      ignoreReason: 'crypto spam',
    });
    expect(router(post({ text: 'crypto only', intent: 'other' })).ruleId).toBeNull();
  });

  it('none-keywords exclude', () => {
    const r = compileRouter([
      rule('n', { keywords: { none: ['thanks'] }, intents: ['praise'] }, { queue: 'support' }),
    ]);
    expect(r(post({ intent: 'praise', text: 'thanks!' })).queue).toBe('marketing');
    expect(r(post({ intent: 'praise', text: 'great' })).queue).toBe('support');
  });

  it('combines conditions with AND and checks visibility, channel, priority floor', () => {
    expect(router(post({ channelKind: 'facebook', intent: 'praise', sentiment: 'positive' })).ruleId).toBe(
      'fb-praise',
    );
    expect(
      router(post({ channelKind: 'facebook', intent: 'praise', sentiment: 'neutral' })).ruleId,
    ).toBeNull();
    expect(router(post({ priority: 'high', isPrivate: true })).ruleId).toBeNull();
    expect(router(post({ priority: 'normal' })).ruleId).toBeNull();
    expect(router(post({ language: null })).ruleId).toBeNull();
  });

  it('skips disabled rules and matches channel ids', () => {
    const r = compileRouter([
      { ...rule('off', {}, { queue: 'moderation' }), enabled: false },
      rule('forum', { channelIds: ['ch-forum'] }, { queue: 'moderation' }),
    ]);
    expect(r(post()).ruleId).toBeNull();
    expect(r(post({ channelId: 'ch-forum' })).ruleId).toBe('forum');
  });

  it('a rule with no conditions matches everything', () => {
    expect(route([rule('all', {}, { queue: 'moderation' })], post({ intent: 'spam' })).queue).toBe(
      'moderation',
    );
  });
});

describe('validation', () => {
  it('the TypeBox schema accepts a good rule and rejects unknown fields', () => {
    const good = rule('a', { intents: ['lead'] }, { queue: 'marketing' });
    expect(Value.Check(RoutingRuleSchema, good)).toBe(true);
    expect(Value.Check(RoutingRuleSchema, { ...good, extra: 1 })).toBe(false);
    expect(RoutingRuleSchema.type).toBe('object');
  });

  it('reports semantic problems', () => {
    const bad = [
      rule('x', {}, { queue: 'ignore' }),
      rule('x', {}, { queue: 'support', ignoreReason: 'no' }),
      rule('y', { keywords: {} }, { queue: 'ignore', ignoreReason: 'r', team: 't' }),
      rule('z', { keywords: { any: ['!!!'] } }, { queue: 'support' }),
    ];
    const msgs = routingRuleProblems(bad).map((p) => `${p.path} ${p.message}`);
    expect(msgs).toEqual([
      '/0/action/ignoreReason ignoring needs a reason',
      '/1/id duplicate rule id x',
      '/1/action/ignoreReason only ignore actions take a reason',
      '/2/action/team ignore actions take no team',
      '/2/conditions/keywords keywords need any, all or none',
      '/3/conditions/keywords/any/0 keyword needs a letter or digit',
    ]);
  });

  it('rejects wrong shapes with an invalid DomainError', () => {
    for (const bad of [
      null,
      {},
      [{ id: 'a' }],
      [rule('a', { intents: [] }, { queue: 'support' })],
      [rule('a', { intents: ['rant' as never] }, { queue: 'support' })],
    ]) {
      try {
        validateRoutingRules(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(DomainError);
        expect((e as DomainError).code).toBe('invalid_routing_rules');
        expect(((e as DomainError).details?.problems as unknown[] | undefined)?.length).toBeGreaterThan(0);
      }
    }
    expect(() => compileRouter([rule('a', {}, { queue: 'ignore' })])).toThrow(DomainError);
  });
});
