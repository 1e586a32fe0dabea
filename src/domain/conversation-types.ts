/** Conversation vocabulary: statuses, public states, decisions, commands and state. */
import type { ConversationEvent } from './conversation-events.ts';
import type { Actor } from './roles.ts';
import type { Intent, QueueName } from './types.ts';

export const CONVERSATION_STATUSES = ['new', 'open', 'waiting_on_customer', 'resolved', 'closed'] as const;
export type ConversationStatus = (typeof CONVERSATION_STATUSES)[number];

export const PUBLIC_STATES = [
  'unanswered',
  'answered_publicly',
  'handled_privately',
  'resolution_notice_posted',
] as const;
export type PublicState = (typeof PUBLIC_STATES)[number];

export const WAIVER_REASONS = ['customer_asked_none', 'post_deleted', 'legal', 'other'] as const;
export type WaiverReason = (typeof WAIVER_REASONS)[number];

export const NO_RESPONSE_REASONS = [
  'spam',
  'not_for_us',
  'duplicate',
  'already_answered',
  'no_action_possible',
  'other',
] as const;
export type NoResponseReason = (typeof NO_RESPONSE_REASONS)[number];

export interface Decision<R extends string> {
  reason: R;
  /** Required when reason is 'other'. */
  text?: string;
  actorId: string;
  at: string;
}

export interface ConversationState {
  id: string;
  status: ConversationStatus;
  /** Exactly one owning queue. */
  queue: QueueName;
  team: string | null;
  assigneeId: string | null;
  /** The first post was public (readable by anyone on the platform). */
  startedPublic: boolean;
  /** Public and classified a complaint when opened: the resolution-notice rule applies. */
  startedAsPublicComplaint: boolean;
  publicState: PublicState;
  waiver: Decision<WaiverReason> | null;
  noResponseNeeded: Decision<NoResponseReason> | null;
  reopenCount: number;
  openedAt: string;
  updatedAt: string;
  resolvedAt: string | null;
  closedAt: string | null;
}

export type ConversationCommand =
  | { type: 'assign'; assigneeId: string | null }
  | { type: 'customer_message'; isPrivate: boolean }
  | {
      type: 'reply_sent';
      visibility: 'public' | 'private';
      /** A resolution notice must be public and on the original public thread to count. */
      kind?: 'reply' | 'resolution_notice';
      onOriginalThread?: boolean;
      /** Default true: after replying we wait for the customer. */
      awaitCustomer?: boolean;
    }
  | { type: 'take_private'; privateChannel: string }
  | { type: 'set_waiting_on_customer' }
  | { type: 'set_open' }
  | { type: 'resolve' }
  | { type: 'close' }
  | { type: 'reopen' }
  | { type: 'waive_resolution_notice'; reason: WaiverReason; text?: string }
  | { type: 'mark_no_response_needed'; reason: NoResponseReason; text?: string }
  | { type: 'hand_off'; toQueue: QueueName; team?: string | null; note?: string };

export interface DecideContext {
  actor: Actor;
  /** ISO-8601 time of the command. */
  at: string;
}

export interface DecideResult {
  state: ConversationState;
  events: ConversationEvent[];
}

export interface OpenConversationInput {
  id: string;
  queue: QueueName;
  team?: string | null;
  isPrivate: boolean;
  intent: Intent;
  at: string;
}
