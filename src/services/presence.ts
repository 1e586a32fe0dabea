/**
 * Collision detection: who else is viewing or typing in a conversation. Browsers send heartbeats;
 * every web process publishes them on the bus (LISTEN/NOTIFY) and keeps the same in-memory picture,
 * so agents on different web processes see each other. Entries expire without a heartbeat.
 */
import type { BusEvent, EventBus } from '../lib/event-bus.ts';

export type PresenceState = 'viewing' | 'typing' | 'left';

export interface Presence {
  userId: string;
  name: string;
  state: Exclude<PresenceState, 'left'>;
  at: number;
}

export const PRESENCE_TTL_MS = 30_000;
export const PRESENCE_TOPIC = 'presence';

export interface PresenceService {
  beat(conversationId: string, userId: string, name: string, state: PresenceState): Promise<void>;
  in(conversationId: string, now?: number): Presence[];
  close(): void;
}

export function presenceService(bus: EventBus): PresenceService {
  const rooms = new Map<string, Map<string, Presence>>();
  const apply = (e: BusEvent) => {
    const conversationId = String(e.conversationId);
    const userId = String(e.userId);
    const room = rooms.get(conversationId) ?? new Map<string, Presence>();
    if (e.state === 'left') room.delete(userId);
    else
      room.set(userId, {
        userId,
        name: String(e.name),
        state: e.state as Presence['state'],
        at: Number(e.at),
      });
    if (room.size === 0) rooms.delete(conversationId);
    else rooms.set(conversationId, room);
  };
  const off = bus.subscribe(PRESENCE_TOPIC, apply);
  const sweep = setInterval(() => {
    const cutoff = Date.now() - PRESENCE_TTL_MS;
    for (const [id, room] of rooms) {
      for (const [u, p] of room) if (p.at < cutoff) room.delete(u);
      if (room.size === 0) rooms.delete(id);
    }
  }, 10_000);
  sweep.unref();
  return {
    async beat(conversationId, userId, name, state) {
      await bus.publish({
        topic: PRESENCE_TOPIC,
        conversationId,
        userId,
        name: name.slice(0, 80),
        state,
        at: Date.now(),
      });
    },
    in(conversationId, now = Date.now()) {
      const room = rooms.get(conversationId);
      if (!room) return [];
      return [...room.values()].filter((p) => p.at >= now - PRESENCE_TTL_MS);
    },
    close() {
      off();
      clearInterval(sweep);
    },
  };
}

const byBus = new WeakMap<EventBus, PresenceService>();

/** One presence picture per process (per bus). */
export function presenceFor(bus: EventBus): PresenceService {
  let p = byBus.get(bus);
  if (!p) {
    p = presenceService(bus);
    byBus.set(bus, p);
  }
  return p;
}
