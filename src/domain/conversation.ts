/**
 * Conversation state machine. `decide(state, command, ctx)` is pure: it returns the new
 * state and the events to record, or throws a DomainError. Time comes in via ctx.at.
 *
 * Closing the loop: a conversation that began as a public complaint cannot be resolved or
 * closed until a resolution notice is posted on the original public thread, or a supervisor
 * records a waiver with a reason.
 */

import type { ConversationEvent } from './conversation-events.ts';
import type {
  ConversationCommand,
  ConversationState,
  ConversationStatus,
  DecideContext,
  DecideResult,
  OpenConversationInput,
} from './conversation-types.ts';
import { ConflictError, InvalidError } from './errors.ts';
import {
  canApprove,
  canAssign,
  canHandOff,
  canMarkNoResponseNeeded,
  canReply,
  canSeeQueue,
  canWaiveResolutionNotice,
  isStaff,
  requirePermission,
} from './roles.ts';

export type { ConversationEvent } from './conversation-events.ts';
export * from './conversation-types.ts';

export function openConversation(input: OpenConversationInput): DecideResult {
  const startedAsPublicComplaint = !input.isPrivate && input.intent === 'complaint';
  const state: ConversationState = {
    id: input.id,
    status: 'new',
    queue: input.queue,
    team: input.team ?? null,
    assigneeId: null,
    startedPublic: !input.isPrivate,
    startedAsPublicComplaint,
    publicState: 'unanswered',
    waiver: null,
    noResponseNeeded: null,
    reopenCount: 0,
    openedAt: input.at,
    updatedAt: input.at,
    resolvedAt: null,
    closedAt: null,
  };
  return {
    state,
    events: [
      {
        type: 'conversation_opened',
        conversationId: input.id,
        at: input.at,
        actorId: 'system',
        queue: input.queue,
        team: state.team,
        startedAsPublicComplaint,
      },
    ],
  };
}

const ACTIVE: ReadonlySet<ConversationStatus> = new Set(['new', 'open', 'waiting_on_customer']);

export function isActive(status: ConversationStatus): boolean {
  return ACTIVE.has(status);
}

/** Whether the resolution-notice rule still blocks resolving/closing. */
export function resolutionNoticeOutstanding(state: ConversationState): boolean {
  return (
    state.startedAsPublicComplaint &&
    state.publicState !== 'resolution_notice_posted' &&
    state.waiver === null
  );
}

function requireText(reason: string, text: string | undefined, code: string): string | undefined {
  const trimmed = text?.trim();
  if (reason === 'other' && !trimmed) {
    throw new InvalidError(code, "a reason of 'other' needs an explanation");
  }
  return trimmed || undefined;
}

function requireActive(state: ConversationState, action: string): void {
  if (!isActive(state.status)) {
    throw new ConflictError('conversation_not_active', `cannot ${action}: conversation is ${state.status}`, {
      status: state.status,
    });
  }
}

function requireLoopClosed(state: ConversationState): void {
  if (resolutionNoticeOutstanding(state)) {
    throw new ConflictError(
      'resolution_notice_required',
      'this conversation began as a public complaint: post a resolution notice on the original thread or have a supervisor record a waiver',
      { publicState: state.publicState },
    );
  }
}

export function decide(
  state: ConversationState,
  command: ConversationCommand,
  ctx: DecideContext,
): DecideResult {
  const { actor, at } = ctx;
  requirePermission(
    isStaff(actor.role) && canSeeQueue(actor.role, state.queue),
    `act on the ${state.queue} queue`,
    actor,
  );
  const base = { conversationId: state.id, at, actorId: actor.id };
  const next: ConversationState = { ...state, updatedAt: at };
  const events: ConversationEvent[] = [];
  const setStatus = (status: ConversationStatus) => {
    if (next.status !== status) {
      events.push({ ...base, type: 'status_changed', from: next.status, to: status });
      next.status = status;
    }
  };

  switch (command.type) {
    case 'assign': {
      requirePermission(
        canAssign(actor.role, state.queue) || command.assigneeId === actor.id,
        'assign',
        actor,
      );
      requireActive(state, 'assign');
      if (state.assigneeId === command.assigneeId) return { state, events: [] };
      next.assigneeId = command.assigneeId;
      events.push({ ...base, type: 'assigned', from: state.assigneeId, to: command.assigneeId });
      if (next.status === 'new' && command.assigneeId) setStatus('open');
      break;
    }
    case 'customer_message': {
      if (state.status === 'closed') {
        throw new ConflictError(
          'conversation_closed',
          'a closed conversation cannot take new messages; start a new one',
        );
      }
      events.push({ ...base, type: 'customer_messaged', isPrivate: command.isPrivate });
      if (state.status === 'resolved') {
        next.reopenCount += 1;
        next.resolvedAt = null;
        next.noResponseNeeded = null;
        events.push({ ...base, type: 'reopened', cause: 'customer_message' });
        setStatus('open');
      } else if (state.status === 'waiting_on_customer') {
        setStatus('open');
      }
      break;
    }
    case 'reply_sent': {
      requirePermission(canReply(actor.role), 'reply', actor);
      if (state.status === 'closed') throw new ConflictError('conversation_closed', 'conversation is closed');
      const kind = command.kind ?? 'reply';
      if (
        kind === 'resolution_notice' &&
        (command.visibility !== 'public' || command.onOriginalThread !== true)
      ) {
        throw new InvalidError(
          'resolution_notice_not_public',
          'a resolution notice must be posted publicly on the original thread',
        );
      }
      events.push({ ...base, type: 'reply_recorded', visibility: command.visibility, kind });
      const before = next.publicState;
      if (kind === 'resolution_notice') next.publicState = 'resolution_notice_posted';
      else if (
        command.visibility === 'private' &&
        (before === 'unanswered' || before === 'answered_publicly')
      )
        next.publicState = 'handled_privately';
      else if (command.visibility === 'public' && before === 'unanswered')
        next.publicState = 'answered_publicly';
      if (next.publicState !== before) {
        events.push({ ...base, type: 'public_state_changed', from: before, to: next.publicState });
      }
      if (isActive(state.status) && kind !== 'resolution_notice') {
        setStatus(command.awaitCustomer === false ? 'open' : 'waiting_on_customer');
      }
      break;
    }
    case 'take_private': {
      requirePermission(canReply(actor.role), 'take a conversation private', actor);
      requireActive(state, 'take private');
      if (!state.startedPublic) throw new ConflictError('already_private', 'conversation is already private');
      events.push({ ...base, type: 'taken_private', privateChannel: command.privateChannel });
      if (state.publicState === 'unanswered' || state.publicState === 'answered_publicly') {
        next.publicState = 'handled_privately';
        events.push({
          ...base,
          type: 'public_state_changed',
          from: state.publicState,
          to: 'handled_privately',
        });
      }
      setStatus('waiting_on_customer');
      break;
    }
    case 'set_waiting_on_customer':
      requireActive(state, 'wait on the customer');
      setStatus('waiting_on_customer');
      break;
    case 'set_open':
      requireActive(state, 'open');
      setStatus('open');
      break;
    case 'resolve':
      requireActive(state, 'resolve');
      requireLoopClosed(state);
      next.resolvedAt = at;
      setStatus('resolved');
      break;
    case 'close':
      if (state.status === 'closed') throw new ConflictError('conversation_closed', 'already closed');
      requireLoopClosed(state);
      next.closedAt = at;
      if (next.resolvedAt === null) next.resolvedAt = at;
      setStatus('closed');
      break;
    case 'reopen':
      if (state.status !== 'resolved') {
        throw new ConflictError(
          'cannot_reopen',
          `only resolved conversations reopen (this one is ${state.status})`,
        );
      }
      next.reopenCount += 1;
      next.resolvedAt = null;
      next.noResponseNeeded = null;
      events.push({ ...base, type: 'reopened', cause: 'manual' });
      setStatus('open');
      break;
    case 'waive_resolution_notice': {
      requirePermission(canWaiveResolutionNotice(actor.role), 'waive the resolution notice', actor);
      if (!state.startedAsPublicComplaint) {
        throw new ConflictError(
          'waiver_not_applicable',
          'only conversations that began as public complaints need a waiver',
        );
      }
      if (state.publicState === 'resolution_notice_posted') {
        throw new ConflictError('resolution_notice_already_posted', 'a resolution notice is already posted');
      }
      const text = requireText(command.reason, command.text, 'waiver_reason_text_required');
      next.waiver = { reason: command.reason, ...(text ? { text } : {}), actorId: actor.id, at };
      events.push({ ...base, type: 'resolution_notice_waived', reason: command.reason, text: text ?? null });
      break;
    }
    case 'mark_no_response_needed': {
      requirePermission(canMarkNoResponseNeeded(actor.role), 'decide no response is needed', actor);
      requireActive(state, 'mark no response needed');
      if (resolutionNoticeOutstanding(state)) {
        // Dropping a public complaint silently is exactly what the loop rule forbids: it takes a supervisor.
        requirePermission(
          actor.role === 'system' ? false : canApprove(actor.role),
          'decide a public complaint needs no response',
          actor,
        );
      }
      const text = requireText(command.reason, command.text, 'no_response_reason_text_required');
      next.noResponseNeeded = { reason: command.reason, ...(text ? { text } : {}), actorId: actor.id, at };
      if (resolutionNoticeOutstanding(next)) {
        next.waiver = {
          reason: 'other',
          text: `no response needed: ${command.reason}`,
          actorId: actor.id,
          at,
        };
      }
      events.push({ ...base, type: 'no_response_needed', reason: command.reason, text: text ?? null });
      next.resolvedAt = at;
      setStatus('resolved');
      break;
    }
    case 'hand_off': {
      requirePermission(
        canHandOff(actor.role, state.queue, command.toQueue),
        `hand off to ${command.toQueue}`,
        actor,
      );
      if (state.status === 'closed') throw new ConflictError('conversation_closed', 'conversation is closed');
      next.queue = command.toQueue;
      next.team = command.team ?? null;
      next.assigneeId = null;
      events.push({
        ...base,
        type: 'handed_off',
        fromQueue: state.queue,
        toQueue: command.toQueue,
        fromTeam: state.team,
        toTeam: next.team,
        previousAssigneeId: state.assigneeId,
        note: command.note?.trim() || null,
      });
      break;
    }
  }
  return { state: next, events };
}
