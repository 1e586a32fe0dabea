import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { loadPipelineConfig } from './config.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

describe('pipeline config', () => {
  it('skips a stored routing rule that no longer validates and keeps routing by the others', async () => {
    await database.pool.query(
      `insert into routing_rules (position, name, conditions, action) values
         (0, 'Broken', '{"keywords":{"any":["refund"]}}', '{"queue":"nowhere"}'),
         (1, 'Refunds to billing', '{"keywords":{"any":["refund"]}}', '{"queue":"support","team":"billing"}')`,
    );
    const config = await loadPipelineConfig(database.db);
    const decision = config.router({
      channelKind: 'x',
      intent: 'question',
      sentiment: 'neutral',
      text: 'When will my refund arrive?',
      language: 'en',
      priority: 'normal',
      isPrivate: false,
    });
    expect(decision).toMatchObject({ queue: 'support', team: 'billing' });
    expect(decision.ruleId).toBeTruthy();
  });
});
