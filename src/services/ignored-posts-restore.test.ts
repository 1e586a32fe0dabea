/**
 * Restoring while a drain batch of the same customer is open: the restore waits for the batch (the
 * author's intake lane), then joins the conversation the batch opened — one customer, one conversation.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/helpers/app.ts';
import { ignoredPostsFixture, SPAM } from '../http/ignored-posts/fixtures.test-helper.ts';
import { shippedClassifier } from '../pipeline/classifier.ts';
import { pipelineConfigCache } from '../pipeline/config.ts';
import { drainOnce } from '../pipeline/drain.ts';
import { restoreIgnoredPosts } from './ignored-posts-restore.ts';

let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

it('a restore waits for an open drain batch of the same customer, then joins its conversation', async () => {
  const admin = await t.signIn('admin');
  const fx = await ignoredPostsFixture(t, admin);
  const author = `c-${randomUUID()}`;
  const { postId } = await fx.ingest(author, SPAM);
  // The same customer's complaint on another thread, drained by a batch held open before COMMIT.
  await fx.f.enqueue([fx.f.post(fx.channelId, author, 'My order never arrived and nobody answers me')]);
  let reached!: () => void;
  const inBatch = new Promise<void>((r) => {
    reached = r;
  });
  let release!: () => void;
  const gate = new Promise<void>((r) => {
    release = r;
  });
  const { pool, db } = t.ctx.database;
  const draining = drainOnce({
    pool,
    classifier: shippedClassifier(),
    config: pipelineConfigCache(db),
    beforeCommit: async () => {
      reached();
      await gate;
    },
  });
  await inBatch;
  const restoring = restoreIgnoredPosts(
    t.ctx.database,
    { id: admin.userId, role: 'admin', via: 'api' },
    { postIds: [postId], queue: 'support', intent: 'complaint' },
  );
  // The restore waits on an advisory lock (the author's lane) while the batch is open.
  const waiting = async () =>
    (
      await pool.query(
        `select 1 from pg_stat_activity where wait_event_type = 'Lock' and wait_event = 'advisory'`,
      )
    ).rowCount;
  for (let i = 0; i < 200 && (await waiting()) === 0; i++) await new Promise((r) => setTimeout(r, 50));
  expect(await waiting()).toBe(1);
  release();
  await draining;
  const [restored] = await restoring;
  expect(restored!.conversation).toBe('joined');
  const conversations = await fx.f.q(
    `select distinct c.id from conversations c join posts p on p.conversation_id = c.id
      join contact_identities ci on ci.id = p.author_identity_id where ci.external_id = $1`,
    [author],
  );
  expect(conversations).toHaveLength(1);
});
