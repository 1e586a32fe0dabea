import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { ConversationEvent } from '../../domain/conversation-events.ts';
import { computeSlaClocks, slaEventsFromConversationEvents } from '../../domain/sla.ts';
import { insertConversation } from '../../http/conversations/fixtures.test-helper.ts';
import { insertEvents } from './conversations.ts';
import { slaEventHistory } from './sla-clocks.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('SLA event history', () => {
  it('skips repeated customer messages, and the clocks come out exactly as from every event', async () => {
    const { conversation } = await insertConversation(database.db);
    const id = conversation.id;
    const t0 = Date.parse('2026-11-02T09:00:00Z');
    const at = (min: number) => new Date(t0 + min * 60_000).toISOString();
    const ev = (type: string, min: number, extra: Record<string, unknown> = {}) =>
      ({
        type,
        conversationId: id,
        at: at(min),
        actorId: type === 'reply_recorded' ? 'agent-1' : 'system',
        ...extra,
      }) as never;
    const all = [
      ev('customer_messaged', 0, { postId: 'p1' }),
      ev('customer_messaged', 3, { postId: 'p2' }),
      ev('customer_messaged', 9, { postId: 'p3' }),
      ev('reply_recorded', 50, { visibility: 'public' }),
      ev('customer_messaged', 70, { postId: 'p4' }),
      ev('customer_messaged', 75, { postId: 'p5' }),
      ev('status_changed', 80, { from: 'open', to: 'waiting_on_customer' }),
      ev('customer_messaged', 200, { postId: 'p6' }),
      ev('customer_messaged', 201, { postId: 'p7' }),
      ev('reply_recorded', 400, { visibility: 'public' }),
      ev('customer_messaged', 401, { postId: 'p8' }),
    ] as ConversationEvent[];
    await database.pool.query('delete from conversation_events where conversation_id = $1', [id]);
    await insertEvents(database.pool, all);
    const read = (await slaEventHistory(database.pool, [id])).get(id)!;
    expect(read.map((e) => e.type)).toEqual([
      'customer_messaged',
      'reply_recorded',
      'customer_messaged',
      'status_changed',
      'customer_messaged',
      'reply_recorded',
      'customer_messaged',
    ]);
    const policy = {
      id: 'p',
      name: 'tight',
      targets: { firstResponseMinutes: 30, nextResponseMinutes: 60, resolutionMinutes: 600 },
    };
    for (const now of [at(5), at(60), at(100), at(300), at(500), at(2000)]) {
      expect(computeSlaClocks(policy, slaEventsFromConversationEvents(read), now)).toEqual(
        computeSlaClocks(policy, slaEventsFromConversationEvents(all), now),
      );
    }
  });
});
