import { describe, expect, it } from 'vitest';
import { DomainError } from '../errors.ts';
import { type SlaPolicy, selectSlaPolicy, validateSlaPolicy } from './policy.ts';

const p = (id: string, match: SlaPolicy['match'], extra: Partial<SlaPolicy> = {}): SlaPolicy => ({
  id,
  name: id,
  match,
  targets: { firstResponseMinutes: 60 },
  ...extra,
});

describe('selectSlaPolicy', () => {
  const policies = [
    p('urgent-x', { channelKinds: ['x'], priorities: ['urgent', 'high'] }),
    p('marketing', { queues: ['marketing'] }),
    p('fallback', {}),
  ];
  it('first match in order wins; empty lists match anything', () => {
    expect(selectSlaPolicy(policies, { queue: 'support', channelKind: 'x', priority: 'urgent' })?.id).toBe(
      'urgent-x',
    );
    expect(selectSlaPolicy(policies, { queue: 'marketing', channelKind: 'x', priority: 'low' })?.id).toBe(
      'marketing',
    );
    expect(
      selectSlaPolicy(policies, { queue: 'support', channelKind: 'email', priority: 'urgent' })?.id,
    ).toBe('fallback');
    expect(
      selectSlaPolicy(policies.slice(0, 2), { queue: 'support', channelKind: 'email', priority: 'low' }),
    ).toBeNull();
    expect(
      selectSlaPolicy([p('any', undefined)], { queue: 'moderation', channelKind: 'forum', priority: 'low' })
        ?.id,
    ).toBe('any');
  });
});

describe('validateSlaPolicy', () => {
  it('accepts sensible policies', () => {
    expect(validateSlaPolicy(p('ok', {}, { warnAtFraction: 0.5, escalateAtFraction: 0.8 })).id).toBe('ok');
  });
  it.each([
    [{ targets: { firstResponseMinutes: 0 } }, 'positive'],
    [{ targets: { resolutionMinutes: Number.NaN } }, 'positive'],
    [{ warnAtFraction: 1.2 }, 'warnAtFraction'],
    [{ escalateAtFraction: 1 }, 'before breach'],
    [{ warnAtFraction: 0.9, escalateAtFraction: 0.8 }, 'before the warning'],
    [{ calendar: { timeZone: 'Nowhere/Land', weekly: {} } }, 'unknown time zone'],
  ])('rejects %j', (extra, message) => {
    const bad = p('bad', {}, extra as Partial<SlaPolicy>);
    expect(() => validateSlaPolicy(bad)).toThrow(DomainError);
    expect(() => validateSlaPolicy(bad)).toThrow(message);
  });
});
