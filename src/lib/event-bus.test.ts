import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { type EventBus, openEventBus } from './event-bus.ts';

let db: Awaited<ReturnType<typeof createTestDatabase>>;
let a: EventBus;
let b: EventBus;
beforeAll(async () => {
  db = await createTestDatabase();
  // two buses on separate connections stand for two processes
  a = await openEventBus(db.url, db.pool);
  b = await openEventBus(db.url, db.pool);
});
afterAll(async () => {
  await a.close();
  await b.close();
  await db.drop();
});

it('delivers an event published by one process to every listener, by topic and wildcard', async () => {
  const got: unknown[] = [];
  const all: unknown[] = [];
  b.subscribe('conversation.updated', (e) => got.push(e));
  a.subscribe('*', (e) => all.push(e));
  await a.publish({ topic: 'conversation.updated', id: 'c1' });
  await a.publish({ topic: 'other', id: 'x' });
  await new Promise((r) => setTimeout(r, 200));
  expect(got).toEqual([{ topic: 'conversation.updated', id: 'c1' }]);
  expect(all).toHaveLength(2);
});

it('refuses payloads too large for NOTIFY instead of losing them silently', async () => {
  await expect(a.publish({ topic: 't', blob: 'x'.repeat(9000) })).rejects.toThrow(/too large/);
});
