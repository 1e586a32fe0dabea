/** Map the conversation state machine's events to SLA clock events. */
import type { ConversationEvent } from '../conversation-events.ts';
import type { SlaEvent } from './clocks.ts';

export function slaEventFromConversationEvent(e: ConversationEvent): SlaEvent | null {
  switch (e.type) {
    case 'customer_messaged':
      return { type: 'customer_message', at: e.at };
    case 'reply_recorded':
      return { type: 'agent_reply', at: e.at, visibility: e.visibility, automated: e.actorId === 'system' };
    case 'status_changed':
      return { type: 'status_changed', at: e.at, status: e.to };
    default:
      return null;
  }
}

export function slaEventsFromConversationEvents(events: readonly ConversationEvent[]): SlaEvent[] {
  const out: SlaEvent[] = [];
  for (const e of events) {
    const s = slaEventFromConversationEvent(e);
    if (s) out.push(s);
  }
  return out;
}
