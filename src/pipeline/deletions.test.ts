import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PipelineTestBed, pipelineTestBed } from '../../test/helpers/pipeline.ts';
import { markPostsDeleted } from '../db/repositories/posts.ts';
import { PENDING_DELETION_DAYS, runHousekeeping } from '../jobs/housekeeping.ts';
import { drainAll } from './drain.ts';
import { enqueueInbound } from './intake.ts';

let t: PipelineTestBed;
beforeAll(async () => {
  t = await pipelineTestBed('Deletions X');
});
afterAll(() => t.database.drop());

const post = (externalId: string) =>
  t.post(`author-${externalId}`, {
    externalId,
    threadExternalId: externalId,
    text: 'Your app charged me twice and support never answered',
  });

const stored = (externalId: string) =>
  t.q<{ deleted_at: Date | null; conversation_id: string }>(
    'select deleted_at, conversation_id from posts where channel_id = $1 and external_id = $2',
    [t.channelId, externalId],
  );

describe('platform deletions that arrive before the post is stored', () => {
  it('are kept and applied by the drain that stores the post, with the audit event', async () => {
    const id = `early-${randomUUID()}`;
    await enqueueInbound(t.database.pool, [post(id)]);
    const deletedAt = new Date(Date.now() - 60_000);
    expect(await markPostsDeleted(t.database.pool, t.channelId, [id], deletedAt)).toEqual([]);
    expect(await t.q('select 1 from inbound_deletions where external_id = $1', [id])).toHaveLength(1);
    await drainAll(t.deps);
    const [row] = await stored(id);
    expect(row!.deleted_at?.toISOString()).toBe(deletedAt.toISOString());
    const events = await t.q<{ data: { externalId: string } }>(
      `select data from conversation_events where conversation_id = $1 and type = 'post_deleted'`,
      [row!.conversation_id],
    );
    expect(events.map((e) => e.data.externalId)).toEqual([id]);
    expect(await t.q('select 1 from inbound_deletions where external_id = $1', [id])).toHaveLength(0);
  });

  it('housekeeping applies one recorded while its post was being stored, and forgets posts that never came', async () => {
    const id = `race-${randomUUID()}`;
    await enqueueInbound(t.database.pool, [post(id)]);
    await drainAll(t.deps);
    // As if the deletion had been recorded just before the drain committed the post.
    await t.q(`insert into inbound_deletions (channel_id, external_id, deleted_at) values ($1, $2, now())`, [
      t.channelId,
      id,
    ]);
    const never = `never-${randomUUID()}`;
    await markPostsDeleted(t.database.pool, t.channelId, [never]);
    await t.q(
      `update inbound_deletions set recorded_at = now() - make_interval(days => $2) where external_id = $1`,
      [never, PENDING_DELETION_DAYS + 1],
    );
    const result = await runHousekeeping(t.database.db, t.database.pool);
    expect(result.lateDeletions).toBe(1);
    expect(result.forgottenDeletions).toBe(1);
    expect((await stored(id))[0]!.deleted_at).not.toBeNull();
    expect(
      await t.q('select 1 from inbound_deletions where external_id = any($1)', [[id, never]]),
    ).toHaveLength(0);
  });
});
