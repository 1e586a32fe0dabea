import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/helpers/db.ts';
import { markPostsDeleted } from '../db/repositories/posts.ts';
import type { InboundPost } from '../domain/inbound-post.ts';
import { PENDING_DELETION_DAYS, runHousekeeping } from '../jobs/housekeeping.ts';
import { shippedClassifier } from './classifier.ts';
import { pipelineConfigCache } from './config.ts';
import { drainAll, type drainOnce } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let channelId: string;
let deps: Parameters<typeof drainOnce>[0];
const q = async <T = Record<string, unknown>>(text: string, params: unknown[] = []) =>
  (await database.pool.query(text, params)).rows as T[];

const post = (externalId: string): InboundPost => ({
  channelKind: 'x',
  channelId,
  externalId,
  threadExternalId: externalId,
  author: { externalId: `author-${externalId}`, handle: 'someone' },
  text: 'Your app charged me twice and support never answered',
  isPrivate: false,
  createdAt: new Date().toISOString(),
  matchedBy: 'mention',
});

beforeAll(async () => {
  database = await createTestDatabase();
  const [row] = await q<{ id: string }>(
    `insert into channels (kind, name, base_url) values ('x', 'Deletions X', 'http://127.0.0.1') returning id`,
  );
  channelId = row!.id;
  deps = { pool: database.pool, classifier: shippedClassifier(), config: pipelineConfigCache(database.db) };
});
afterAll(() => database.drop());

const stored = (externalId: string) =>
  q<{ deleted_at: Date | null; conversation_id: string }>(
    'select deleted_at, conversation_id from posts where channel_id = $1 and external_id = $2',
    [channelId, externalId],
  );

describe('platform deletions that arrive before the post is stored', () => {
  it('are kept and applied by the drain that stores the post, with the audit event', async () => {
    const id = `early-${randomUUID()}`;
    await enqueueInbound(database.pool, [post(id)]);
    const deletedAt = new Date(Date.now() - 60_000);
    expect(await markPostsDeleted(database.pool, channelId, [id], deletedAt)).toEqual([]);
    expect(await q('select 1 from inbound_deletions where external_id = $1', [id])).toHaveLength(1);
    await drainAll(deps);
    const [row] = await stored(id);
    expect(row!.deleted_at?.toISOString()).toBe(deletedAt.toISOString());
    const events = await q<{ data: { externalId: string } }>(
      `select data from conversation_events where conversation_id = $1 and type = 'post_deleted'`,
      [row!.conversation_id],
    );
    expect(events.map((e) => e.data.externalId)).toEqual([id]);
    expect(await q('select 1 from inbound_deletions where external_id = $1', [id])).toHaveLength(0);
  });

  it('housekeeping applies one recorded while its post was being stored, and forgets posts that never came', async () => {
    const id = `race-${randomUUID()}`;
    await enqueueInbound(database.pool, [post(id)]);
    await drainAll(deps);
    // As if the deletion had been recorded just before the drain committed the post.
    await q(`insert into inbound_deletions (channel_id, external_id, deleted_at) values ($1, $2, now())`, [
      channelId,
      id,
    ]);
    const never = `never-${randomUUID()}`;
    await markPostsDeleted(database.pool, channelId, [never]);
    await q(
      `update inbound_deletions set recorded_at = now() - make_interval(days => $2) where external_id = $1`,
      [never, PENDING_DELETION_DAYS + 1],
    );
    const result = await runHousekeeping(database.db, database.pool);
    expect(result.lateDeletions).toBe(1);
    expect(result.forgottenDeletions).toBe(1);
    expect((await stored(id))[0]!.deleted_at).not.toBeNull();
    expect(
      await q('select 1 from inbound_deletions where external_id = any($1)', [[id, never]]),
    ).toHaveLength(0);
  });
});
