import { describe, expect, it } from 'vitest';
import {
  type ConversationCommand,
  type ConversationState,
  decide,
  openConversation,
  resolutionNoticeOutstanding,
} from './conversation.ts';
import { DomainError } from './errors.ts';
import type { Actor } from './roles.ts';

const agent: Actor = { id: 'u-agent', role: 'agent' };
const trainee: Actor = { id: 'u-trainee', role: 'trainee' };
const supervisor: Actor = { id: 'u-sup', role: 'supervisor' };
const system: Actor = { id: 'system', role: 'system' };
const T0 = '2026-11-23T10:00:00.000Z';

function publicComplaint(): ConversationState {
  return openConversation({ id: 'c1', queue: 'support', isPrivate: false, intent: 'complaint', at: T0 })
    .state;
}

function run(state: ConversationState, steps: Array<[ConversationCommand, Actor]>): ConversationState {
  let s = state;
  steps.forEach(([cmd, actor], i) => {
    s = decide(s, cmd, { actor, at: `2026-11-23T10:${String(i + 1).padStart(2, '0')}:00.000Z` }).state;
  });
  return s;
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

describe('openConversation', () => {
  it('marks public complaints and emits an opened event', () => {
    const { state, events } = openConversation({
      id: 'c1',
      queue: 'support',
      isPrivate: false,
      intent: 'complaint',
      at: T0,
    });
    expect(state).toMatchObject({ status: 'new', publicState: 'unanswered', startedAsPublicComplaint: true });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'conversation_opened',
        queue: 'support',
        startedAsPublicComplaint: true,
      }),
    ]);
  });
  it('private complaints and public questions are not bound by the resolution-notice rule', () => {
    expect(
      openConversation({ id: 'a', queue: 'support', isPrivate: true, intent: 'complaint', at: T0 }).state
        .startedAsPublicComplaint,
    ).toBe(false);
    expect(
      openConversation({ id: 'b', queue: 'support', isPrivate: false, intent: 'question', at: T0 }).state
        .startedAsPublicComplaint,
    ).toBe(false);
  });
});

describe('closing the loop', () => {
  it('refuses to resolve or close a public complaint without a resolution notice', () => {
    const s = run(publicComplaint(), [[{ type: 'reply_sent', visibility: 'public' }, agent]]);
    expect(codeOf(() => decide(s, { type: 'resolve' }, { actor: agent, at: T0 }))).toBe(
      'conflict:resolution_notice_required',
    );
    expect(codeOf(() => decide(s, { type: 'close' }, { actor: supervisor, at: T0 }))).toBe(
      'conflict:resolution_notice_required',
    );
  });

  it('walks the public state unanswered → answered publicly → handled privately → resolution notice posted', () => {
    let s = publicComplaint();
    const seen = [s.publicState];
    for (const cmd of [
      { type: 'reply_sent', visibility: 'public' },
      { type: 'reply_sent', visibility: 'private' },
      { type: 'reply_sent', visibility: 'public', kind: 'resolution_notice', onOriginalThread: true },
    ] as ConversationCommand[]) {
      s = decide(s, cmd, { actor: agent, at: T0 }).state;
      seen.push(s.publicState);
    }
    expect(seen).toEqual([
      'unanswered',
      'answered_publicly',
      'handled_privately',
      'resolution_notice_posted',
    ]);
    const resolved = decide(s, { type: 'resolve' }, { actor: agent, at: T0 });
    expect(resolved.state.status).toBe('resolved');
    expect(resolved.state.resolvedAt).toBe(T0);
  });

  it('a later public reply does not move the public state backwards', () => {
    const s = run(publicComplaint(), [
      [{ type: 'reply_sent', visibility: 'private' }, agent],
      [{ type: 'reply_sent', visibility: 'public' }, agent],
    ]);
    expect(s.publicState).toBe('handled_privately');
  });

  it('a resolution notice must be public and on the original thread', () => {
    const s = publicComplaint();
    for (const cmd of [
      { type: 'reply_sent', visibility: 'private', kind: 'resolution_notice', onOriginalThread: true },
      { type: 'reply_sent', visibility: 'public', kind: 'resolution_notice', onOriginalThread: false },
      { type: 'reply_sent', visibility: 'public', kind: 'resolution_notice' },
    ] as ConversationCommand[]) {
      expect(codeOf(() => decide(s, cmd, { actor: agent, at: T0 }))).toBe(
        'invalid:resolution_notice_not_public',
      );
    }
  });

  it('only supervisors and admins waive, with a reason; other needs text', () => {
    const s = publicComplaint();
    expect(
      codeOf(() => decide(s, { type: 'waive_resolution_notice', reason: 'legal' }, { actor: agent, at: T0 })),
    ).toBe('forbidden:forbidden');
    expect(
      codeOf(() =>
        decide(
          s,
          { type: 'waive_resolution_notice', reason: 'other', text: '  ' },
          { actor: supervisor, at: T0 },
        ),
      ),
    ).toBe('invalid:waiver_reason_text_required');
    const waived = decide(
      s,
      { type: 'waive_resolution_notice', reason: 'post_deleted' },
      { actor: supervisor, at: T0 },
    );
    expect(waived.state.waiver).toEqual({ reason: 'post_deleted', actorId: 'u-sup', at: T0 });
    expect(waived.events[0]).toMatchObject({
      type: 'resolution_notice_waived',
      reason: 'post_deleted',
      text: null,
    });
    expect(resolutionNoticeOutstanding(waived.state)).toBe(false);
    expect(decide(waived.state, { type: 'close' }, { actor: agent, at: T0 }).state.status).toBe('closed');
  });

  it('waivers make no sense where no notice is owed', () => {
    const q = openConversation({
      id: 'c',
      queue: 'support',
      isPrivate: false,
      intent: 'question',
      at: T0,
    }).state;
    expect(
      codeOf(() =>
        decide(q, { type: 'waive_resolution_notice', reason: 'legal' }, { actor: supervisor, at: T0 }),
      ),
    ).toBe('conflict:waiver_not_applicable');
  });

  it('non-complaints resolve freely', () => {
    const q = openConversation({
      id: 'c',
      queue: 'support',
      isPrivate: true,
      intent: 'complaint',
      at: T0,
    }).state;
    expect(decide(q, { type: 'resolve' }, { actor: agent, at: T0 }).state.status).toBe('resolved');
  });
});

describe('status flow', () => {
  it('assignment opens a new conversation; a reply waits on the customer; a customer message reopens', () => {
    let s = publicComplaint();
    s = decide(s, { type: 'assign', assigneeId: 'u-agent' }, { actor: agent, at: T0 }).state;
    expect(s.status).toBe('open');
    s = decide(s, { type: 'reply_sent', visibility: 'public' }, { actor: agent, at: T0 }).state;
    expect(s.status).toBe('waiting_on_customer');
    const r = decide(s, { type: 'customer_message', isPrivate: false }, { actor: system, at: T0 });
    expect(r.state.status).toBe('open');
    expect(r.events.map((e) => e.type)).toEqual(['customer_messaged', 'status_changed']);
  });

  it('awaitCustomer false keeps the conversation open', () => {
    const s = decide(
      publicComplaint(),
      { type: 'reply_sent', visibility: 'public', awaitCustomer: false },
      { actor: agent, at: T0 },
    );
    expect(s.state.status).toBe('open');
  });

  it('reopens on a customer message after resolved, clearing the no-response decision', () => {
    const q = openConversation({
      id: 'q',
      queue: 'support',
      isPrivate: true,
      intent: 'question',
      at: T0,
    }).state;
    const resolved = decide(
      q,
      { type: 'mark_no_response_needed', reason: 'duplicate' },
      { actor: agent, at: T0 },
    ).state;
    const r = decide(resolved, { type: 'customer_message', isPrivate: true }, { actor: system, at: T0 });
    expect(r.state).toMatchObject({
      status: 'open',
      reopenCount: 1,
      noResponseNeeded: null,
      resolvedAt: null,
    });
    expect(r.events.map((e) => e.type)).toEqual(['customer_messaged', 'reopened', 'status_changed']);
  });

  it('a reopened public complaint still owes its notice only until posted once', () => {
    let s = run(publicComplaint(), [
      [
        { type: 'reply_sent', visibility: 'public', kind: 'resolution_notice', onOriginalThread: true },
        agent,
      ],
      [{ type: 'resolve' }, agent],
    ]);
    s = decide(s, { type: 'customer_message', isPrivate: false }, { actor: system, at: T0 }).state;
    expect(decide(s, { type: 'resolve' }, { actor: agent, at: T0 }).state.status).toBe('resolved');
  });

  it('closed is final; resolved-only reopen; actions on inactive conversations conflict', () => {
    const q = openConversation({
      id: 'q',
      queue: 'support',
      isPrivate: true,
      intent: 'question',
      at: T0,
    }).state;
    const closed = decide(q, { type: 'close' }, { actor: agent, at: T0 }).state;
    expect(closed).toMatchObject({ status: 'closed', closedAt: T0, resolvedAt: T0 });
    expect(
      codeOf(() => decide(closed, { type: 'customer_message', isPrivate: true }, { actor: system, at: T0 })),
    ).toBe('conflict:conversation_closed');
    expect(codeOf(() => decide(closed, { type: 'close' }, { actor: agent, at: T0 }))).toBe(
      'conflict:conversation_closed',
    );
    expect(codeOf(() => decide(q, { type: 'reopen' }, { actor: agent, at: T0 }))).toBe(
      'conflict:cannot_reopen',
    );
    expect(codeOf(() => decide(closed, { type: 'resolve' }, { actor: agent, at: T0 }))).toBe(
      'conflict:conversation_not_active',
    );
    const resolved = decide(q, { type: 'resolve' }, { actor: agent, at: T0 }).state;
    expect(decide(resolved, { type: 'reopen' }, { actor: agent, at: T0 }).state.status).toBe('open');
  });

  it('re-assigning to the same person is a no-op; trainees only take work themselves', () => {
    const s = decide(
      publicComplaint(),
      { type: 'assign', assigneeId: 'u-agent' },
      { actor: agent, at: T0 },
    ).state;
    expect(decide(s, { type: 'assign', assigneeId: 'u-agent' }, { actor: agent, at: T0 }).events).toEqual([]);
    expect(
      codeOf(() => decide(s, { type: 'assign', assigneeId: 'someone' }, { actor: trainee, at: T0 })),
    ).toBe('forbidden:forbidden');
    expect(
      decide(s, { type: 'assign', assigneeId: 'u-trainee' }, { actor: trainee, at: T0 }).state.assigneeId,
    ).toBe('u-trainee');
  });

  it('take private moves the public state and needs a public conversation', () => {
    const r = decide(
      publicComplaint(),
      { type: 'take_private', privateChannel: 'x-dm' },
      { actor: agent, at: T0 },
    );
    expect(r.state.publicState).toBe('handled_privately');
    expect(r.events.map((e) => e.type)).toEqual(['taken_private', 'public_state_changed', 'status_changed']);
    const dm = openConversation({
      id: 'd',
      queue: 'support',
      isPrivate: true,
      intent: 'complaint',
      at: T0,
    }).state;
    expect(
      codeOf(() => decide(dm, { type: 'take_private', privateChannel: 'x-dm' }, { actor: agent, at: T0 })),
    ).toBe('conflict:already_private');
  });
});
