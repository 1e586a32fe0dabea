/** Events the conversation state machine emits (the audit trail and the input of analytics). */
import type {
  ConversationStatus,
  NoResponseReason,
  PublicState,
  WaiverReason,
} from './conversation-types.ts';
import type { QueueName } from './types.ts';

interface Base {
  conversationId: string;
  at: string;
  actorId: string;
}

export type ConversationEvent =
  | (Base & {
      type: 'conversation_opened';
      queue: QueueName;
      team: string | null;
      startedAsPublicComplaint: boolean;
    })
  | (Base & { type: 'status_changed'; from: ConversationStatus; to: ConversationStatus })
  | (Base & { type: 'assigned'; from: string | null; to: string | null })
  | (Base & { type: 'customer_messaged'; isPrivate: boolean })
  | (Base & { type: 'reply_recorded'; visibility: 'public' | 'private'; kind: 'reply' | 'resolution_notice' })
  | (Base & { type: 'public_state_changed'; from: PublicState; to: PublicState })
  | (Base & { type: 'taken_private'; privateChannel: string })
  | (Base & { type: 'reopened'; cause: 'customer_message' | 'manual' })
  | (Base & { type: 'resolution_notice_waived'; reason: WaiverReason; text: string | null })
  | (Base & { type: 'no_response_needed'; reason: NoResponseReason; text: string | null })
  | (Base & {
      type: 'handed_off';
      fromQueue: QueueName;
      toQueue: QueueName;
      fromTeam: string | null;
      toTeam: string | null;
      previousAssigneeId: string | null;
      note: string | null;
    });
