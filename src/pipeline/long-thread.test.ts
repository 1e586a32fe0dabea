import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { THREAD_POSTS_READ } from '../db/repositories/conversations.ts';
import { drainAll } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let t: PipelineTestBed;
beforeAll(async () => {
  t = await pipelineTestBed('Thread X');
});
afterAll(() => t.database.drop());

describe('a long thread with many authors', () => {
  it("keeps every reply in the thread's conversation, across lanes and beyond the posts threading reads", async () => {
    const root = `root-${randomUUID()}`;
    const at = Date.now() - 3_600_000;
    const post = (i: number, author: string) =>
      t.post(author, {
        externalId: i === 0 ? root : `${root}-r${i}`,
        threadExternalId: root,
        ...(i === 0 ? {} : { parentExternalId: root }),
        text:
          i === 0
            ? 'The app deletes my photos after the update, this is unacceptable'
            : `Same here, reply ${i}`,
        createdAt: new Date(at + i * 1000).toISOString(),
      });
    // More replies than threading reads, from many authors (so from every lane), drained in small batches.
    const count = THREAD_POSTS_READ * 2;
    await enqueueInbound(t.database.pool, [post(0, 'starter')]);
    await drainAll(t.deps);
    for (let i = 1; i <= count; i += 7) {
      await enqueueInbound(
        t.database.pool,
        Array.from({ length: Math.min(7, count + 1 - i) }, (_, k) => post(i + k, `author-${(i + k) % 13}`)),
      );
      await Promise.all([drainAll(t.deps, 3), drainAll(t.deps, 3)]);
    }
    const rows = await t.q<{ conversation_id: string; n: number }>(
      `select conversation_id, count(*)::int as n from posts where thread_external_id = $1 group by 1`,
      [root],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.n).toBe(count + 1);
  });
});
