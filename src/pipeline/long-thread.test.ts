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
  it("on a forum, keeps every reply in the topic's conversation, across lanes and beyond the posts threading reads", async () => {
    const [forum] = await t.q<{ id: string }>(
      `insert into channels (kind, name, base_url) values ('discourse', 'Forum', 'http://127.0.0.1') returning id`,
    );
    t.deps.config.invalidate();
    const root = `root-${randomUUID()}`;
    const at = Date.now() - 3_600_000;
    const post = (i: number, author: string) =>
      t.post(author, {
        channelKind: 'discourse',
        channelId: forum!.id,
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

  it('on X, gives every author replying under a thread a conversation of their own, across lanes', async () => {
    const root = `xroot-${randomUUID()}`;
    const at = Date.now() - 3_600_000;
    const post = (i: number, author: string) =>
      t.post(author, {
        externalId: i === 0 ? root : `${root}-r${i}`,
        threadExternalId: root,
        ...(i === 0 ? {} : { parentExternalId: root }),
        text: i === 0 ? 'The app deletes my photos after the update' : `Same here, reply ${i}`,
        createdAt: new Date(at + i * 1000).toISOString(),
      });
    await enqueueInbound(t.database.pool, [post(0, `x-starter-${root}`)]);
    await drainAll(t.deps);
    const count = 40;
    for (let i = 1; i <= count; i += 7) {
      await enqueueInbound(
        t.database.pool,
        Array.from({ length: Math.min(7, count + 1 - i) }, (_, k) =>
          post(i + k, `x-author-${(i + k) % 13}-${root}`),
        ),
      );
      await Promise.all([drainAll(t.deps, 3), drainAll(t.deps, 3)]);
    }
    const rows = await t.q<{ author_handle: string; conversations: number }>(
      `select author_handle, count(distinct conversation_id)::int as conversations from posts
        where thread_external_id = $1 group by 1`,
      [root],
    );
    expect(rows).toHaveLength(14);
    expect(rows.every((r) => r.conversations === 1)).toBe(true);
    const [total] = await t.q<{ n: number }>(
      'select count(distinct conversation_id)::int as n from posts where thread_external_id = $1',
      [root],
    );
    expect(total!.n).toBe(14);
  });
});
