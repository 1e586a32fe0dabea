import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { drainAll } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let t: PipelineTestBed;
beforeAll(async () => {
  t = await pipelineTestBed('Write cost X');
});
afterAll(() => t.database.drop());

const schedule = async (conversationId: string) =>
  (
    await t.q<{ xmin: string; next_at: Date; policy_id: string | null }>(
      'select xmin::text, next_at, policy_id from sla_schedule where conversation_id = $1',
      [conversationId],
    )
  )[0];

describe('writes per post', () => {
  it('a customer message that moves no SLA clock leaves the schedule row as it was', async () => {
    const root = `root-${randomUUID()}`;
    const author = `calm-${randomUUID()}`;
    const at = Date.now() - 60_000;
    const text = 'Hello, which plan includes the family sharing option?';
    await enqueueInbound(t.database.pool, [
      t.post(author, {
        externalId: root,
        threadExternalId: root,
        text,
        createdAt: new Date(at).toISOString(),
      }),
    ]);
    await drainAll(t.deps);
    const [conversation] = await t.q<{ conversation_id: string }>(
      'select conversation_id from posts where external_id = $1',
      [root],
    );
    const before = await schedule(conversation!.conversation_id);
    expect(before).toBeDefined();

    await enqueueInbound(t.database.pool, [
      t.post(author, {
        externalId: `${root}-2`,
        threadExternalId: root,
        parentExternalId: root,
        text: 'Hello again, which plan includes the family sharing option?',
        createdAt: new Date(at + 1000).toISOString(),
      }),
    ]);
    await drainAll(t.deps);
    const [after] = await t.q<{ message_count: number }>(
      'select message_count from conversations where id = $1',
      [conversation!.conversation_id],
    );
    expect(after!.message_count).toBe(2);
    // Same next check and policy: no new row version was written (xmin is the writing transaction).
    expect(await schedule(conversation!.conversation_id)).toEqual(before);
  });
});
