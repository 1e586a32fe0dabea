import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { THREAD_POSTS_READ } from '../db/repositories/conversations.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { shippedClassifier } from './classifier.ts';
import { pipelineConfigCache } from './config.ts';
import { drainAll, type drainOnce } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let channelId: string;
let deps: Parameters<typeof drainOnce>[0];
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await database.pool.query(text, params)).rows as T[];

beforeAll(async () => {
  database = await createTestDatabase();
  const [row] = await q<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', 'Thread X', 'http://127.0.0.1') returning id`,
  );
  channelId = row!.id;
  deps = { pool: database.pool, classifier: shippedClassifier(), config: pipelineConfigCache(database.db) };
});
afterAll(() => database.drop());

describe('a long thread with many authors', () => {
  it("keeps every reply in the thread's conversation, across lanes and beyond the posts threading reads", async () => {
    const root = `root-${randomUUID()}`;
    const at = Date.now() - 3_600_000;
    const post = (i: number, author: string): InboundPost => ({
      channelKind: 'x',
      channelId,
      externalId: i === 0 ? root : `${root}-r${i}`,
      threadExternalId: root,
      ...(i === 0 ? {} : { parentExternalId: root }),
      author: { externalId: author, handle: author },
      text:
        i === 0
          ? 'The app deletes my photos after the update, this is unacceptable'
          : `Same here, reply ${i}`,
      isPrivate: false,
      createdAt: new Date(at + i * 1000).toISOString(),
      matchedBy: 'mention',
    });
    // More replies than threading reads, from many authors (so from every lane), drained in small batches.
    const count = THREAD_POSTS_READ * 2;
    await enqueueInbound(database.pool, [post(0, 'starter')]);
    await drainAll(deps);
    for (let i = 1; i <= count; i += 7) {
      await enqueueInbound(
        database.pool,
        Array.from({ length: Math.min(7, count + 1 - i) }, (_, k) => post(i + k, `author-${(i + k) % 13}`)),
      );
      await Promise.all([drainAll(deps, 3), drainAll(deps, 3)]);
    }
    const rows = await q<{ conversation_id: string; n: number }>(
      `select conversation_id, count(*)::int as n from posts where thread_external_id = $1 group by 1`,
      [root],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.n).toBe(count + 1);
  });
});
