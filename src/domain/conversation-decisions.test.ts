import { describe, expect, it } from 'vitest';
import { type ConversationState, decide, openConversation } from './conversation.ts';
import { DomainError } from './errors.ts';
import type { Actor } from './roles.ts';

const agent: Actor = { id: 'u-agent', role: 'agent' };
const trainee: Actor = { id: 'u-trainee', role: 'trainee' };
const supervisor: Actor = { id: 'u-sup', role: 'supervisor' };
const marketing: Actor = { id: 'u-mkt', role: 'marketing' };
const member: Actor = { id: 'u-member', role: 'member' };
const T0 = '2026-11-23T10:00:00.000Z';

function publicComplaint(): ConversationState {
  return openConversation({ id: 'c1', queue: 'support', isPrivate: false, intent: 'complaint', at: T0 })
    .state;
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof DomainError) return `${e.kind}:${e.code}`;
    throw e;
  }
  return 'no error';
}

describe('no response needed', () => {
  const praise = openConversation({
    id: 'p',
    queue: 'marketing',
    isPrivate: false,
    intent: 'praise',
    at: T0,
  }).state;
  it('is an explicit, recorded decision with a reason and resolves the conversation', () => {
    const r = decide(
      praise,
      { type: 'mark_no_response_needed', reason: 'already_answered' },
      { actor: marketing, at: T0 },
    );
    expect(r.state.status).toBe('resolved');
    expect(r.state.noResponseNeeded).toMatchObject({ reason: 'already_answered', actorId: 'u-mkt' });
    expect(r.events.map((e) => e.type)).toEqual(['no_response_needed', 'status_changed']);
  });
  it("needs text for 'other' and is not for trainees", () => {
    const s = openConversation({
      id: 'q',
      queue: 'support',
      isPrivate: false,
      intent: 'question',
      at: T0,
    }).state;
    expect(
      codeOf(() => decide(s, { type: 'mark_no_response_needed', reason: 'other' }, { actor: agent, at: T0 })),
    ).toBe('invalid:no_response_reason_text_required');
    expect(
      codeOf(() =>
        decide(s, { type: 'mark_no_response_needed', reason: 'spam' }, { actor: trainee, at: T0 }),
      ),
    ).toBe('forbidden:forbidden');
  });
  it('dropping a public complaint takes a supervisor', () => {
    const s = publicComplaint();
    expect(
      codeOf(() =>
        decide(s, { type: 'mark_no_response_needed', reason: 'not_for_us' }, { actor: agent, at: T0 }),
      ),
    ).toBe('forbidden:forbidden');
    const r = decide(
      s,
      { type: 'mark_no_response_needed', reason: 'not_for_us' },
      { actor: supervisor, at: T0 },
    );
    expect(r.state.status).toBe('resolved');
    expect(r.state.waiver?.actorId).toBe('u-sup');
  });
});

describe('queues and hand-off', () => {
  const praise = openConversation({
    id: 'p',
    queue: 'marketing',
    isPrivate: false,
    intent: 'praise',
    at: T0,
  }).state;
  it('marketing hands a conversation to support: recorded, unassigned, then invisible to marketing', () => {
    const assigned = decide(
      praise,
      { type: 'assign', assigneeId: 'u-mkt' },
      { actor: marketing, at: T0 },
    ).state;
    const r = decide(
      assigned,
      { type: 'hand_off', toQueue: 'support', team: 'billing', note: ' refund ' },
      { actor: marketing, at: T0 },
    );
    expect(r.state).toMatchObject({ queue: 'support', team: 'billing', assigneeId: null });
    expect(r.events).toEqual([
      expect.objectContaining({
        type: 'handed_off',
        fromQueue: 'marketing',
        toQueue: 'support',
        toTeam: 'billing',
        previousAssigneeId: 'u-mkt',
        note: 'refund',
        actorId: 'u-mkt',
      }),
    ]);
    expect(codeOf(() => decide(r.state, { type: 'set_open' }, { actor: marketing, at: T0 }))).toBe(
      'forbidden:forbidden',
    );
  });
  it('marketing cannot act on support conversations at all, members never', () => {
    expect(codeOf(() => decide(publicComplaint(), { type: 'resolve' }, { actor: marketing, at: T0 }))).toBe(
      'forbidden:forbidden',
    );
    expect(codeOf(() => decide(publicComplaint(), { type: 'set_open' }, { actor: member, at: T0 }))).toBe(
      'forbidden:forbidden',
    );
  });
  it('hand-off to the same queue is refused', () => {
    expect(
      codeOf(() => decide(praise, { type: 'hand_off', toQueue: 'marketing' }, { actor: supervisor, at: T0 })),
    ).toBe('forbidden:forbidden');
  });
  it('does not mutate the input state', () => {
    const s = publicComplaint();
    const copy = structuredClone(s);
    decide(s, { type: 'reply_sent', visibility: 'public' }, { actor: agent, at: '2026-11-23T11:00:00.000Z' });
    expect(s).toEqual(copy);
  });
});
