import { describe, expect, it } from 'vitest';
import { decide, openConversation } from '../conversation.ts';
import type { BusinessCalendar } from './business-hours.ts';
import { computeSlaClocks, earliestDue, nextDeadline, type SlaClockState, type SlaEvent } from './clocks.ts';
import { slaEventsFromConversationEvents } from './events.ts';
import type { SlaPolicy } from './policy.ts';

const policy: SlaPolicy = {
  id: 'p',
  name: 'default',
  targets: { firstResponseMinutes: 60, nextResponseMinutes: 30, resolutionMinutes: 480 },
};
const at = (hm: string) => `2026-11-23T${hm}:00.000Z`;
const msg = (hm: string): SlaEvent => ({ type: 'customer_message', at: at(hm) });
const reply = (hm: string, extra: Partial<Extract<SlaEvent, { type: 'agent_reply' }>> = {}): SlaEvent => ({
  type: 'agent_reply',
  at: at(hm),
  visibility: 'public',
  ...extra,
});
const status = (hm: string, s: Extract<SlaEvent, { type: 'status_changed' }>['status']): SlaEvent => ({
  type: 'status_changed',
  at: at(hm),
  status: s,
});
const clock = (states: SlaClockState[], name: SlaClockState['clock']) =>
  states.find((s) => s.clock === name)!;

describe('first response', () => {
  it('starts with the first customer message; due, warning (75%) and escalation (90%) times', () => {
    const s = computeSlaClocks(policy, [msg('10:00')], at('10:20'));
    expect(clock(s, 'first_response')).toMatchObject({
      status: 'running',
      elapsedMinutes: 20,
      remainingMinutes: 40,
      dueAt: at('11:00'),
      warnAt: at('10:45'),
      escalateAt: at('10:54'),
      stage: 'ok',
    });
    expect(clock(s, 'next_response').status).toBe('not_started');
    expect(clock(s, 'resolution').status).toBe('running');
  });

  it('moves through warning, escalation and breach while running', () => {
    const stageAt = (hm: string) =>
      clock(computeSlaClocks(policy, [msg('10:00')], at(hm)), 'first_response').stage;
    expect([
      stageAt('10:44'),
      stageAt('10:45'),
      stageAt('10:54'),
      stageAt('11:00'),
      stageAt('12:00'),
    ]).toEqual(['ok', 'warning', 'escalation', 'breached', 'breached']);
    const late = clock(computeSlaClocks(policy, [msg('10:00')], at('11:30')), 'first_response');
    expect(late).toMatchObject({ status: 'running', remainingMinutes: -30, dueAt: at('11:00') });
  });

  it('is stopped by a private reply as well as a public one', () => {
    for (const visibility of ['public', 'private'] as const) {
      const s = computeSlaClocks(policy, [msg('10:00'), reply('10:30', { visibility })], at('12:00'));
      expect(clock(s, 'first_response')).toMatchObject({
        status: 'met',
        elapsedMinutes: 30,
        completedAt: at('10:30'),
      });
    }
  });

  it('internal notes do not count as replies', () => {
    const s = computeSlaClocks(
      policy,
      [msg('10:00'), { type: 'internal_note', at: at('10:10') }],
      at('10:30'),
    );
    expect(clock(s, 'first_response').status).toBe('running');
  });

  it('automatic acknowledgements count only when the policy says so', () => {
    const events = [msg('10:00'), reply('10:00', { automated: true })];
    expect(clock(computeSlaClocks(policy, events, at('10:30')), 'first_response').status).toBe('running');
    const counting = { ...policy, countAutoAcknowledgement: true };
    expect(clock(computeSlaClocks(counting, events, at('10:30')), 'first_response').status).toBe('met');
  });

  it('a reply stamped before the message (clock skew) gives zero, never negative, time', () => {
    const s = computeSlaClocks(policy, [msg('10:00'), reply('09:58')], at('10:30'));
    expect(clock(s, 'first_response')).toMatchObject({
      status: 'met',
      elapsedMinutes: 0,
      completedAt: at('10:00'),
    });
  });

  it('a late reply is recorded as missed', () => {
    const s = computeSlaClocks(policy, [msg('10:00'), reply('11:15')], at('12:00'));
    expect(clock(s, 'first_response')).toMatchObject({
      status: 'missed',
      stage: 'breached',
      missedCount: 1,
      dueAt: at('11:00'),
    });
  });
});

describe('next response', () => {
  it('a customer message starts it only if none is running', () => {
    const events = [msg('10:00'), reply('10:05'), msg('10:10'), msg('10:25')];
    const nr = clock(computeSlaClocks(policy, events, at('10:30')), 'next_response');
    expect(nr).toMatchObject({
      status: 'running',
      startedAt: at('10:10'),
      elapsedMinutes: 20,
      dueAt: at('10:40'),
      cycles: 1,
    });
  });

  it('messages during the first-response clock do not start it', () => {
    const nr = clock(computeSlaClocks(policy, [msg('10:00'), msg('10:05')], at('10:30')), 'next_response');
    expect(nr.status).toBe('not_started');
  });

  it('cycles: reply stops it, the next customer message starts a fresh one', () => {
    const events = [msg('10:00'), reply('10:05'), msg('10:10'), reply('10:50'), msg('11:00')];
    const nr = clock(computeSlaClocks(policy, events, at('11:05')), 'next_response');
    expect(nr).toMatchObject({
      status: 'running',
      cycles: 2,
      missedCount: 1,
      elapsedMinutes: 5,
      startedAt: at('11:00'),
    });
  });
});

describe('pausing and resolution', () => {
  it('clocks pause while waiting on the customer, except first response (nobody has answered yet)', () => {
    const events = [msg('10:00'), status('10:10', 'waiting_on_customer'), status('11:10', 'open')];
    const s = computeSlaClocks(policy, events, at('11:20'));
    expect(clock(s, 'first_response')).toMatchObject({
      status: 'running',
      elapsedMinutes: 80,
      dueAt: at('11:00'),
      stage: 'breached',
    });
    const waiting = computeSlaClocks(policy, events.slice(0, 2), at('10:40'));
    expect(clock(waiting, 'first_response')).toMatchObject({ status: 'running', elapsedMinutes: 40 });
    expect(clock(s, 'resolution').elapsedMinutes).toBe(20);
    const paused = computeSlaClocks(policy, events.slice(0, 2), at('10:40'));
    expect(clock(paused, 'resolution')).toMatchObject({ status: 'paused', elapsedMinutes: 10, dueAt: null });
    // Only the first response can still come due while waiting.
    expect(nextDeadline(paused, at('10:40'))).toMatchObject({ clock: 'first_response', at: at('10:45') });
  });

  it('a customer message ends the wait', () => {
    const events = [msg('10:00'), reply('10:05'), status('10:05', 'waiting_on_customer'), msg('12:05')];
    const s = computeSlaClocks(policy, events, at('12:15'));
    expect(clock(s, 'resolution').elapsedMinutes).toBe(15);
    expect(clock(s, 'next_response')).toMatchObject({ status: 'running', elapsedMinutes: 10 });
  });

  it('resolving stops everything; reopening resumes the resolution clock where it was', () => {
    const events = [msg('10:00'), reply('10:10'), status('10:30', 'resolved')];
    const done = computeSlaClocks(policy, events, at('11:00'));
    expect(clock(done, 'resolution')).toMatchObject({ status: 'met', elapsedMinutes: 30 });
    const reopened = computeSlaClocks(policy, [...events, msg('12:00')], at('12:10'));
    expect(clock(reopened, 'resolution')).toMatchObject({ status: 'running', elapsedMinutes: 40 });
    expect(clock(reopened, 'next_response')).toMatchObject({ status: 'running', elapsedMinutes: 10 });
  });

  it('resolving without any reply stops the response clocks without a verdict', () => {
    const s = computeSlaClocks(policy, [msg('10:00'), status('10:05', 'resolved')], at('12:00'));
    expect(clock(s, 'first_response')).toMatchObject({ status: 'stopped', dueAt: null });
  });

  it('ignores events after now and handles disabled targets', () => {
    const s = computeSlaClocks(
      { ...policy, targets: { firstResponseMinutes: 60 } },
      [msg('10:00'), reply('11:00')],
      at('10:30'),
    );
    expect(clock(s, 'first_response').status).toBe('running');
    expect(clock(s, 'resolution')).toMatchObject({ status: 'disabled', remainingMinutes: null, stage: 'ok' });
  });
});

describe('business hours', () => {
  const cal: BusinessCalendar = {
    timeZone: 'Europe/London',
    weekly: { mon: [{ start: '09:00', end: '17:00' }], fri: [{ start: '09:00', end: '17:00' }] },
  };
  it('counts only business time: a Friday-evening message is due on Monday', () => {
    const p = { ...policy, calendar: cal };
    const s = computeSlaClocks(
      p,
      [{ type: 'customer_message', at: '2026-11-27T16:30:00Z' }],
      '2026-11-28T12:00:00Z',
    );
    expect(clock(s, 'first_response')).toMatchObject({
      elapsedMinutes: 30,
      dueAt: '2026-11-30T09:30:00.000Z',
      warnAt: '2026-11-30T09:15:00.000Z',
    });
  });
});

describe('scheduler helpers', () => {
  it('nextDeadline walks warning → escalation → breach and picks the earliest clock', () => {
    const s = computeSlaClocks(policy, [msg('10:00')], at('10:00'));
    expect(nextDeadline(s, at('10:00'))).toEqual({
      at: at('10:45'),
      clock: 'first_response',
      kind: 'warning',
    });
    expect(nextDeadline(computeSlaClocks(policy, [msg('10:00')], at('10:50')), at('10:50'))).toMatchObject({
      kind: 'escalation',
    });
    expect(nextDeadline(computeSlaClocks(policy, [msg('10:00')], at('10:55')), at('10:55'))).toMatchObject({
      kind: 'breach',
      at: at('11:00'),
    });
    expect(nextDeadline(computeSlaClocks(policy, [msg('10:00')], at('11:30')), at('11:30'))).toEqual({
      at: at('16:00'),
      clock: 'resolution',
      kind: 'warning',
    });
    expect(earliestDue(s)).toBe(at('11:00'));
    expect(nextDeadline([], at('10:00'))).toBeNull();
  });
});

describe('from conversation events', () => {
  it('replays the state machine output', () => {
    const opened = openConversation({
      id: 'c',
      queue: 'support',
      isPrivate: false,
      intent: 'question',
      at: at('10:00'),
    });
    const agent = { id: 'a', role: 'agent' as const };
    const customer = decide(
      opened.state,
      { type: 'customer_message', isPrivate: false },
      { actor: { id: 'system', role: 'system' }, at: at('10:00') },
    );
    const replied = decide(
      customer.state,
      { type: 'reply_sent', visibility: 'public' },
      { actor: agent, at: at('10:20') },
    );
    const events = slaEventsFromConversationEvents([...opened.events, ...customer.events, ...replied.events]);
    expect(events.map((e) => e.type)).toEqual(['customer_message', 'agent_reply', 'status_changed']);
    const s = computeSlaClocks(policy, events, at('11:20'));
    expect(clock(s, 'first_response')).toMatchObject({ status: 'met', elapsedMinutes: 20 });
    expect(clock(s, 'resolution')).toMatchObject({ status: 'paused', elapsedMinutes: 20 });
  });
});
